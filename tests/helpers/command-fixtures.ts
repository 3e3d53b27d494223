/** Stored stories and command deps for the /digest command tests (our own wording throughout). */
import type { CommandDeps, Invocation } from '../../src/commands/types.js';
import { insertNewItems, setItemSummary, setItemTopics } from '../../src/store/items.js';
import type { Sql } from '../../src/store/sql.js';
import { storeNewStory } from './place-story.js';

export const HOUR = 3_600_000;
export const NOW = Date.parse('2026-03-10T12:00:00Z');

export const TOPICS = {
  'platform-liability': { name: 'Platform liability & Section 230', query: '"Section 230" OR "liability shield"' },
  'child-safety': { name: 'Child online safety', query: 'KOSA OR "age verification"' },
  'eu-dsa': { name: 'EU Digital Services Act', query: '"Digital Services Act"' },
};

export interface SeedReport {
  outlet: string;
  url?: string | null;
  /** Hours before NOW. */
  hoursAgo: number;
}

export interface SeedStory {
  title: string;
  content?: string;
  /** topic id → score; none for an off-beat story. */
  topics?: Record<string, number>;
  /** The first report is the representative. */
  reports: SeedReport[];
}

const feeds = new WeakMap<Sql, Map<string, number>>();
let guid = 0;

/**
 * Stores a story as ingest would leave it: items per outlet, topics, a summary, one story. Returns its id. On
 * either backend (a better-sqlite3 handle, or a Sql).
 */
export async function seedStory(db: Sql, s: SeedStory): Promise<number> {
  let storyId = 0;
  for (const [i, r] of s.reports.entries()) {
    const at = NOW - r.hoursAgo * HOUR;
    const [item] = await insertNewItems(
      db,
      await feedFor(db, r.outlet),
      [
        {
          id: `g${++guid}`,
          url: r.url === undefined ? `https://${slug(r.outlet)}.example/${guid}` : r.url,
          title: s.title,
          published: new Date(at).toISOString(),
          publishedEstimated: false,
          author: null,
          categories: [],
          content: s.content ?? `${s.title}. The report adds detail on what happens next.`,
          enclosures: [],
        },
      ],
      { now: at, announced: true },
    );
    if (!item) throw new Error('seedStory: item not stored');
    await setItemTopics(
      db,
      item.itemId,
      Object.entries(s.topics ?? {}).map(([topic, score]) => ({
        topic,
        score,
        hits: [{ term: topic, field: 'title' as const, count: 1 }],
        explanation: topic,
      })),
    );
    await setItemSummary(db, item.itemId, {
      text: `Summary: ${s.title}.`,
      sentences: [s.title],
      method: 'extractive',
      note: null,
    });
    if (i === 0) {
      storyId = await storeNewStory(
        db,
        { itemId: item.itemId, title: s.title, lead: s.title, publishedAt: at, announced: true },
        at,
      );
    } else {
      // Joining is the clustering module's decision; here the test says which story a report belongs to.
      await db.run('UPDATE items SET story_id = ? WHERE id = ?', [storyId, item.itemId]);
      await db.run('UPDATE stories SET item_count = item_count + 1 WHERE id = ?', [storyId]);
    }
  }
  return storyId;
}

export function commandDeps(db: Sql, over: Partial<CommandDeps> = {}): CommandDeps & { logged: string[] } {
  const logged: string[] = [];
  const log = {
    debug: () => {},
    info: () => {},
    warn: (m: string) => logged.push(m),
    error: (m: string, f?: Record<string, unknown>) => logged.push(`${m} ${JSON.stringify(f)}`),
    child: () => log,
  };
  return {
    db: db,
    config: {
      topics: TOPICS,
      bot: { name: 'watchdesk', url: 'https://example.org/watchdesk' },
      digest: { skipEmpty: true },
    },
    now: () => NOW,
    log,
    ...over,
    logged,
  };
}

export function invocation(over: Partial<Invocation> = {}): Invocation {
  return {
    platform: 'discord',
    workspace: '1200000000000000001',
    channel: '1300000000000000001',
    thread: '',
    user: { id: '1500000000000000001', admin: true },
    adminRule: 'the Manage Channels permission',
    ...over,
  };
}

async function feedFor(db: Sql, outlet: string): Promise<number> {
  const byName = feeds.get(db) ?? new Map<string, number>();
  feeds.set(db, byName);
  const known = byName.get(outlet);
  if (known !== undefined) return known;
  const id = Number(
    await db.value('INSERT INTO feeds (url, name, interval_ms, created_at) VALUES (?, ?, 900000, 0) RETURNING id', [
      `https://${slug(outlet)}.example/feed.xml`,
      outlet,
    ]),
  );
  byName.set(outlet, id);
  return id;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
