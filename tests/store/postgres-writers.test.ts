import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/feeds/types.js';
import type { ProcessOwner } from '../../src/process-owner.js';
import { storiesAfterCursor } from '../../src/store/digest-stories.js';
import { dropClaim } from '../../src/store/enrichment.js';
import { listFeeds, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { insertNewItems, setItemSummary, setItemTopics } from '../../src/store/items.js';
import { openStore } from '../../src/store/open.js';
import type { Sql } from '../../src/store/sql.js';
import { beatStories } from '../helpers/beat-feeds.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';
import { assignStory } from '../helpers/place-story.js';

/**
 * Issue 16: the writers' guarantees of issue 7 on PostgreSQL, where the processes of a scale-out share one
 * store. Each writer is its own pool of connections on one schema, as each process would hold it, driven
 * through the store's functions, so a cursor can read between their commits (concurrent-writers.test.ts runs
 * real `poll --once` processes on either backend; announce-order.test.ts two connections, one after the other).
 * Always run on PostgreSQL, whatever WATCHDESK_TEST_DB says.
 */
const NOW = Date.parse('2026-03-02T12:00:00Z');
const OPTS = { now: NOW, windowMs: 72 * 3_600_000, threshold: 0.5 };
const FEEDS = 6;
const PER_FEED = 30;

const schema = pgTestSchema();
const url = pgSchemaUrl(schema);
let sql: Sql;
const writers: Sql[] = [];
let feeds: number[];

beforeAll(async () => {
  sql = await openStore(url);
  for (let i = 0; i < 3; i++) writers.push(await openStore(url, { poolSize: 3 }));
  const configured = Array.from({ length: FEEDS }, (_, f) => ({
    url: `https://outlet${f}.example/rss`,
    fullText: 'never' as const,
  }));
  await syncFeedsFromConfig(sql, configured, { intervalMs: 900_000 }, NOW);
  feeds = (await listFeeds(sql)).map((f) => f.id);
});

afterAll(async () => {
  for (const s of [...writers, sql]) await s?.close();
  await dropPgSchema(schema);
});

const itemsOf = (feed: number, from: number): NormalizedItem[] =>
  beatStories(feed, from, PER_FEED).map((s) => ({
    id: s.guid,
    url: s.link,
    title: s.title,
    published: new Date(NOW).toISOString(),
    publishedEstimated: false,
    author: null,
    categories: [],
    content: s.text,
    enclosures: [],
  }));

/**
 * What one poll of every feed does to the store, as ingest does it: store the feed's new items claimed by
 * this process, then enrich them. Returns how many items this writer stored.
 */
async function pollAll(on: Sql, owner: ProcessOwner, from: number): Promise<number> {
  let stored = 0;
  // Each writer starts at another feed, so they meet on every feed from different sides.
  for (let k = 0; k < FEEDS; k++) {
    const f = (k + owner.pid) % FEEDS;
    const fresh = await insertNewItems(on, feeds[f]!, itemsOf(f, from), { now: NOW, announced: true, owner });
    stored += fresh.length;
    await enrich(on, fresh);
  }
  return stored;
}

/** Per batch of 10 one write, per item a savepoint with its topics, summary, story, and its claim dropped. */
async function enrich(on: Sql, items: { itemId: number; title: string; content: string }[]): Promise<void> {
  for (let b = 0; b < items.length; b += 10) {
    await on.write(async () => {
      for (const item of items.slice(b, b + 10)) {
        await on.savepoint(async () => {
          await setItemTopics(on, item.itemId, [
            { topic: 'platform-liability', score: 0.5, hits: [], explanation: 't' },
          ]);
          await setItemSummary(on, item.itemId, { text: item.title, sentences: [], method: 'extractive', note: null });
          const text = { title: item.title, lead: item.content, publishedAt: NOW, announced: true };
          await assignStory(on, { itemId: item.itemId, ...text }, OPTS);
          await dropClaim(on, item.itemId);
        });
      }
    });
  }
}

describe('writers on separate pools of one PostgreSQL schema', () => {
  it('three writers polling the same feeds at once lose no item: each gets topics, a summary and a story', async () => {
    const stored = await Promise.all(
      writers.map((w, i) => pollAll(w, { host: 'test', pid: i + 1, startedAt: NOW }, 0)),
    );
    const all = FEEDS * PER_FEED;
    // Each item was stored by exactly one of them.
    expect(stored.reduce((a, b) => a + b, 0)).toBe(all);
    expect(
      await sql.get(
        `SELECT count(*) AS total, count(story_id) AS "withStory", count(summary) AS "withSummary",
                (SELECT count(DISTINCT item_id) FROM item_topics) AS classified,
                (SELECT count(*) FROM enrichment_claims) AS claims
         FROM items`,
      ),
    ).toEqual({ total: all, withStory: all, withSummary: all, classified: all, claims: 0 });
    // Every story took its own announce number from the one counter: none twice, none skipped.
    const seqs = await sql.column<number>('SELECT announce_seq FROM stories ORDER BY announce_seq');
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await sql.value('SELECT seq FROM announce_counter')).toBe(seqs.length);
  }, 120_000);

  it('a cursor moving while writers commit never passes a story that commits later', async () => {
    const before = Number(await sql.value('SELECT seq FROM announce_counter'));
    // A digest reader: moves its cursor to the last story it saw, again and again, while the writers run.
    const seen: number[] = [];
    let cursor = before;
    const read = async () => {
      const stories = await storiesAfterCursor(sql, cursor);
      for (const s of stories) seen.push(s.storyId);
      cursor = stories.at(-1)?.announceSeq ?? cursor;
    };
    let writing = true;
    const reader = (async () => {
      while (writing) {
        await read();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    // Stored first, one feed's items per writer; the writers race to announce them.
    const stored: Awaited<ReturnType<typeof insertNewItems>>[] = [];
    for (const [f, feed] of feeds.entries()) {
      stored.push(await insertNewItems(sql, feed, itemsOf(f, 100), { now: NOW, announced: true }));
    }
    try {
      await Promise.all(writers.map((w, i) => enrich(w, stored.filter((_, f) => f % writers.length === i).flat())));
    } finally {
      writing = false;
      await reader;
    }
    await read();
    const announced = await sql.column<number>('SELECT id FROM stories WHERE announce_seq > ? ORDER BY id', [before]);
    expect(announced.length).toBeGreaterThan(0);
    // Each story once, none left behind the cursor.
    expect([...seen].sort((a, b) => a - b)).toEqual(announced);
  }, 120_000);
});
