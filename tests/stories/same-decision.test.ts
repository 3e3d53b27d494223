/**
 * One clustering decision: the same items, clustered by `watchdesk stories cluster` (the in-memory
 * StoryIndex) and stored by ingest (the store's StoryIndex, on the backend WATCHDESK_TEST_DB picks), make
 * the same stories.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/feeds/fetch.js';
import type { NormalizedItem } from '../../src/feeds/types.js';
import { silentLogger } from '../../src/log.js';
import { ingestPoll } from '../../src/pipeline/ingest.js';
import { getFeedByUrl, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { createExtractiveSummarizer } from '../../src/summarize/extractive.js';
import { runCli } from '../helpers/cli.js';
import { tempStore, testBackend } from '../helpers/db.js';
import { EVENTS, OTHER_EVENTS, T0 } from './fixtures.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;

interface TestItem {
  /** The feed that carries it: one outlet, or an aggregator. */
  feed: string;
  source?: string;
  guid: string;
  title: string;
  lead: string;
  at: number;
}

/** Reports of three events by three outlets, near misses, a templated series, an aggregator, a late repeat. */
function items(): TestItem[] {
  const out: TestItem[] = [];
  for (const [e, variants] of EVENTS.entries()) {
    for (const [k, v] of variants.entries()) {
      out.push({ feed: v.outlet, guid: `e${e}v${k}`, ...v, at: T0 + (k * 3 + e) * HOUR });
    }
  }
  for (const [i, o] of OTHER_EVENTS.entries()) {
    out.push({ feed: o.outlet, guid: `other${i}`, ...o, at: T0 + (10 + i) * HOUR });
  }
  // One outlet's series: the same template with one word changed is another story; a re-run joins.
  const series = ['Kurs USD/PLN 1 marca 2025', 'Kurs GBP/PLN 1 marca 2025', 'Kurs USD/PLN 1 marca 2025'];
  for (const [i, title] of series.entries()) {
    out.push({ feed: 'Kurs Desk', guid: `kurs${i}`, title, lead: '', at: T0 + (14 + i) * HOUR });
  }
  // An aggregator feed, days later: the outlets it credits are different outlets, so their reports
  // join; a second report credited to the same outlet does not (it is no re-publication).
  const [a, b, c] = EVENTS[0]!;
  const days = T0 + 8 * 24 * HOUR;
  out.push({ feed: 'Roundup', source: 'Alpha Post', guid: 'agg0', title: a!.title, lead: a!.lead, at: days });
  out.push({ feed: 'Roundup', source: 'Beta Times', guid: 'agg1', title: b!.title, lead: b!.lead, at: days + HOUR });
  out.push({
    feed: 'Roundup',
    source: 'Alpha Post',
    guid: 'agg2',
    title: c!.title,
    lead: c!.lead,
    at: days + 2 * HOUR,
  });
  // Past the window: the same event again starts a new story.
  const late = EVENTS[2]![0]!;
  out.push({ feed: 'Metro Wire', guid: 'late', title: late.title, lead: late.lead, at: T0 + 5 * 24 * HOUR });
  return out.sort((x, y) => x.at - y.at);
}

function normalized(it: TestItem): NormalizedItem {
  return {
    id: it.guid,
    url: `https://${slug(it.source ?? it.feed)}.example/${it.guid}`,
    title: it.title,
    published: new Date(it.at).toISOString(),
    publishedEstimated: false,
    author: null,
    categories: [],
    content: it.lead,
    enclosures: [],
    source: it.source ?? null,
  };
}

/** A story as both paths can describe it: its representative and its members, by guid. */
type Story = { representative: string; members: string[] };
const canonical = (stories: Story[]) =>
  stories
    .map((s) => ({ representative: s.representative, members: [...s.members].sort() }))
    .sort((x, y) => x.representative.localeCompare(y.representative));

describe('stories cluster and ingest make the same stories', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-same-decision-'));
  const fetcher = createFetcher({
    userAgent: 'watchdesk-test',
    timeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    maxBodyBytes: 1 << 20,
    maxRedirects: 5,
    perHostConcurrency: 2,
    globalConcurrency: 4,
  });
  afterAll(async () => {
    await fetcher.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`on the same items, through the in-memory and the ${testBackend()} StoryIndex`, async () => {
    const all = items();

    // The cluster path: the real CLI on the items as `watchdesk parse --json` prints them, plus their feed.
    const file = path.join(dir, 'items.json');
    writeFileSync(file, JSON.stringify(all.map((it) => ({ ...normalized(it), feed: it.feed }))));
    const r = await runCli(['stories', 'cluster', '--json', '--window', '72h', file]);
    expect(r.stderr).toBe('');
    const clustered = (JSON.parse(r.stdout) as Array<{ representative: string; members: { key: string }[] }>).map(
      (s) => ({ representative: s.representative, members: s.members.map((m) => m.key) }),
    );

    // The ingest path: each item arrives in its own poll of its feed, in time order.
    const t = await tempStore();
    try {
      const now = T0 + 30 * 24 * HOUR;
      const feeds = [...new Set(all.map((it) => it.feed))];
      const feedUrl = (f: string) => `https://${slug(f)}.example/rss`;
      await syncFeedsFromConfig(
        t.sql,
        feeds.map((f) => ({ url: feedUrl(f), fullText: 'never' as const })),
        { intervalMs: 900_000 },
        now,
      );
      const deps = {
        db: t.sql,
        fetcher,
        summarizer: createExtractiveSummarizer(),
        topics: [],
        budget: { sentences: 2, maxChars: 320 },
        stories: { windowMs: WINDOW, threshold: 0.5 },
        now: () => now,
        log: silentLogger,
      };
      for (const it of all) {
        const feed = (await getFeedByUrl(t.sql, feedUrl(it.feed)))!;
        const parsed = { title: it.feed, link: null, ttlMinutes: null, items: [normalized(it)] };
        await ingestPoll(deps, { feed, status: 'ok', firstPoll: false, elapsedMs: 1, parsed });
      }
      const rows = await t.sql.all<{ guid: string; storyId: number; representative: string }>(
        `SELECT i.guid, i.story_id AS "storyId", r.guid AS representative
         FROM items i JOIN stories s ON s.id = i.story_id JOIN items r ON r.id = s.representative_item_id`,
      );
      expect(rows).toHaveLength(all.length);
      const ingested = new Map<number, Story>();
      for (const row of rows) {
        const s = ingested.get(row.storyId) ?? { representative: row.representative, members: [] };
        s.members.push(row.guid);
        ingested.set(row.storyId, s);
      }

      expect(canonical([...ingested.values()])).toEqual(canonical(clustered));
      // Not identical by being trivial: events joined across outlets, the series and the late repeat did not.
      const sizes = canonical(clustered).map((s) => s.members.length);
      expect(Math.max(...sizes)).toBeGreaterThanOrEqual(3);
      const storyOf = (guid: string) => clustered.find((s) => s.members.includes(guid))!.representative;
      expect(storyOf('kurs1')).not.toBe(storyOf('kurs0'));
      expect(storyOf('kurs2')).toBe(storyOf('kurs0'));
      expect(storyOf('late')).not.toBe(storyOf('e2v0'));
      expect(storyOf('agg1')).toBe(storyOf('agg0'));
      expect(storyOf('agg2')).not.toBe(storyOf('agg0'));
    } finally {
      await t.close();
    }
  });
});

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
