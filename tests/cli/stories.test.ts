import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD } from '../../src/stories/similarity.js';
import { runCli } from '../helpers/cli.js';
import { tempDb } from '../helpers/db.js';
import { assignStory } from '../helpers/place-story.js';
import { EVENTS, OTHER_EVENTS } from '../stories/fixtures.js';

const cli = (args: string[], env: Record<string, string> = {}) => runCli(['stories', ...args], env);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-stories-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('watchdesk stories cluster', () => {
  it('clusters plain-text articles (first line is the title) and prints the largest story first', async () => {
    const files = [...EVENTS[0]!, OTHER_EVENTS[2]!].map((a, i) => {
      const file = path.join(dir, `article-${i}.txt`);
      writeFileSync(file, `${a.title}\n\n${a.lead} A further paragraph follows with background.\n`);
      return file;
    });
    const r = await cli(['cluster', ...files]);
    expect(r.code).toBe(0);
    const blocks = r.stdout.split(/^Story \d+: /m).filter((b) => b.trim());
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('(3 items, 3 outlets)');
    for (const a of EVENTS[0]!) expect(blocks[0]).toContain(a.title);
    expect(blocks[1]).toContain(OTHER_EVENTS[2]!.title);
  });

  it('reads a JSON array of normalized items and prints JSON with outlets taken from URL hosts', async () => {
    const items = [...EVENTS[1]!, OTHER_EVENTS[0]!].map((a, i) => ({
      id: `item-${i}`,
      url: `https://www.outlet${i}.example/news/${i}`,
      title: a.title,
      published: new Date(Date.UTC(2025, 2, 3, 9 + i)).toISOString(),
      publishedEstimated: false,
      author: null,
      categories: [],
      content: `${a.lead} More text.`,
      enclosures: [],
    }));
    const file = path.join(dir, 'items.json');
    writeFileSync(file, JSON.stringify(items));
    const r = await cli(['cluster', '--json', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{
      size: number;
      outlets: string[];
      representative: string;
      members: { key: string }[];
    }>;
    expect(out.map((s) => s.size)).toEqual([3, 1]);
    expect(out[0]!.outlets).toEqual(['outlet0.example', 'outlet1.example', 'outlet2.example']);
    expect(out[0]!.representative).toBe('item-0');
    expect(out[1]!.members.map((m) => m.key)).toEqual(['item-3']);
  });

  it('honours --threshold and rejects a bad one', async () => {
    const file = path.join(dir, 'items2.json');
    writeFileSync(
      file,
      JSON.stringify(
        EVENTS[2]!.map((a, i) => ({
          id: `i${i}`,
          url: `https://o${i}.example/`,
          title: a.title,
          published: '2025-03-03T09:00:00Z',
          content: a.lead,
        })),
      ),
    );
    const strict = await cli(['cluster', '--json', '--threshold', '0.99', file]);
    expect((JSON.parse(strict.stdout) as unknown[]).length).toBe(3);
    const bad = await cli(['cluster', '--threshold', '7', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--threshold must be a number from 0 to 1');
  });

  it('says which file it cannot read', async () => {
    const r = await cli(['cluster', path.join(dir, 'missing.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.txt');
  });
});

describe('watchdesk stories list', () => {
  it('lists stories from the store named by WATCHDESK_DB, with their sources', async () => {
    const t = tempDb();
    const now = Date.now();
    const feedIds = ['Harbor Gazette', 'Metro Wire', null].map((name, i) =>
      Number(
        t.db
          .prepare('INSERT INTO feeds (url, name, interval_ms, created_at) VALUES (?, ?, 600000, 0)')
          .run(`https://feeds${i}.example/rss`, name).lastInsertRowid,
      ),
    );
    const addAndAssign = async (feedId: number, a: { title: string; lead: string }, at: number, url: string | null) => {
      const itemId = Number(
        t.db
          .prepare(
            'INSERT INTO items (feed_id, guid, url, title, published_at, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(feedId, a.title, url, a.title, at, at).lastInsertRowid,
      );
      await assignStory(
        t.sql,
        { itemId, ...a, publishedAt: at, announced: true },
        { now: at, windowMs: 72 * 3_600_000, threshold: DEFAULT_THRESHOLD },
      );
    };
    for (const [i, a] of EVENTS[0]!.entries()) {
      await addAndAssign(feedIds[i]!, a, now - (3 - i) * 3_600_000, i === 2 ? null : `https://site${i}.example/a`);
    }
    await addAndAssign(feedIds[0]!, OTHER_EVENTS[1]!, now - 10 * 24 * 3_600_000, null);
    t.db.close();
    try {
      const r = await cli(['list', '--since', '24h'], { WATCHDESK_DB: t.file });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('3 items');
      expect(r.stdout).toContain(`- Harbor Gazette: ${EVENTS[0]![0]!.title}  <https://site0.example/a>`);
      expect(r.stdout).toContain(`- Metro Wire: ${EVENTS[0]![1]!.title}`);
      expect(r.stdout).toContain(`- feeds2.example: ${EVENTS[0]![2]!.title}`);
      expect(r.stdout).not.toContain(OTHER_EVENTS[1]!.title);

      const j = await cli(['list', '--since', '30d', '--json'], { WATCHDESK_DB: t.file });
      const rows = JSON.parse(j.stdout) as Array<{ itemCount: number; members: unknown[]; announceSeq: number | null }>;
      expect(rows.map((s) => s.itemCount)).toEqual([3, 1]);
      expect(rows[0]!.members).toHaveLength(3);
      expect(rows[0]!.announceSeq).not.toBeNull();
    } finally {
      t.close();
    }
  });

  it('rejects a malformed --since', async () => {
    const t = tempDb();
    t.db.close();
    try {
      const r = await cli(['list', '--since', 'yesterday'], { WATCHDESK_DB: t.file });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--since');
    } finally {
      t.close();
    }
  });
});
