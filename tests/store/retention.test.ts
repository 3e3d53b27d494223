import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertNewItems } from '../../src/store/items.js';
import { pruneBefore } from '../../src/store/retention.js';
import type { Sql } from '../../src/store/sql.js';
import { HOUR, NOW, seedStory } from '../helpers/command-fixtures.js';
import { type TempStore, tempStore } from '../helpers/db.js';

/**
 * Issue 13: store.retention prunes items, and stories left with none, past their age; never an undelivered
 * digest nor a story one covers. A pruned item stays known, so a feed still listing it cannot bring it back.
 */
const DAY = 24 * HOUR;
const CUTOFF = NOW - 180 * DAY;

let t: TempStore;
let db: Sql;
beforeEach(async () => {
  t = await tempStore();
  db = t.sql;
});
afterEach(() => t.close());

const count = async (table: string) => Number(await db.value(`SELECT count(*) FROM ${table}`));
const storyIds = () => db.column<number>('SELECT id FROM stories ORDER BY id');
const seqOf = async (id: number) => Number(await db.value('SELECT announce_seq FROM stories WHERE id = ?', [id]));

/** A composed digest covering announce numbers (from, to], in the given state. */
async function digest(from: number, to: number, status: 'pending' | 'delivered' | 'dead'): Promise<void> {
  const sub = await db.value(
    `INSERT INTO subscriptions (source, platform, workspace, channel, topics, schedule, timezone, mode, max_items, min_score, created_at)
     VALUES ('config', 'console', '', ?, '"all"', 'daily 09:00', 'UTC', 'digest', 10, 0, 0) RETURNING id`,
    [`c${from}-${to}-${status}`],
  );
  await db.run(
    'INSERT INTO digests (subscription_id, created_at, cursor_from, cursor_to, story_count, status) VALUES (?, 0, ?, ?, 1, ?)',
    [sub, from, to, status],
  );
}

/** How many stored items search finds for a word: FTS5 on SQLite, the tsvector column on PostgreSQL. */
const searchHits = (word: string) =>
  db.value(
    db.dialect === 'sqlite'
      ? 'SELECT count(*) FROM items_fts WHERE items_fts MATCH ?'
      : "SELECT count(*) FROM items WHERE fts @@ websearch_to_tsquery('english', ?)",
    [word],
  );

describe('pruneBefore', () => {
  it('deletes old items and the stories left with none; a story with a recent report stays, re-counted', async () => {
    const old = await seedStory(db, {
      title: 'Old ruling on platform liability',
      reports: [{ outlet: 'A', hoursAgo: 200 * 24 }],
    });
    const mixed = await seedStory(db, {
      title: 'Long-running DSA case',
      reports: [
        { outlet: 'A', hoursAgo: 190 * 24 },
        { outlet: 'B', hoursAgo: 2 * 24 },
      ],
    });
    const fresh = await seedStory(db, { title: 'New KOSA vote', reports: [{ outlet: 'C', hoursAgo: 1 }] });
    const items = await count('items');

    const result = await pruneBefore(db, { before: CUTOFF, now: NOW });
    expect(result).toEqual({ items: 2, stories: 1 });
    expect(await count('items')).toBe(items - 2);
    expect(await storyIds()).toEqual([mixed, fresh]);
    expect(await storyIds()).not.toContain(old);
    const kept = (await db.get<{ item_count: number; representative_item_id: number }>(
      'SELECT item_count, representative_item_id FROM stories WHERE id = ?',
      [mixed],
    ))!;
    expect(kept.item_count).toBe(1);
    // the representative was the pruned report: the remaining one takes its place
    const rep = await db.value('SELECT story_id FROM items WHERE id = ?', [kept.representative_item_id]);
    expect(rep).toBe(mixed);
    // search no longer finds what was pruned
    expect(await searchHits('ruling')).toBe(0);
    expect(await pruneBefore(db, { before: CUTOFF, now: NOW })).toEqual({ items: 0, stories: 0 });
  });

  it('never touches a story a pending or dead digest covers, nor the digest; a delivered one does not protect', async () => {
    const ids: number[] = [];
    for (const s of ['pending', 'dead', 'delivered']) {
      ids.push(
        await seedStory(db, { title: `Old story for a ${s} digest`, reports: [{ outlet: s, hoursAgo: 300 * 24 }] }),
      );
    }
    const [pending, dead, delivered] = (await Promise.all(ids.map(seqOf))) as [number, number, number];
    await digest(pending - 1, pending, 'pending');
    await digest(dead - 1, dead, 'dead');
    await digest(delivered - 1, delivered, 'delivered');

    expect(await pruneBefore(db, { before: CUTOFF, now: NOW })).toEqual({ items: 1, stories: 1 });
    expect(await storyIds()).toEqual([ids[0], ids[1]]);
    expect(await count('digests')).toBe(3);
    expect(await count('items')).toBe(2);
  });

  it('remembers what it pruned: the same guid, or the same URL from another feed, is not stored again', async () => {
    await seedStory(db, {
      title: 'An item long gone',
      reports: [{ outlet: 'A', hoursAgo: 400 * 24, url: 'https://a.example/1' }],
    });
    const { feed_id: feedId, guid } = (await db.get<{ feed_id: number; guid: string }>(
      'SELECT feed_id, guid FROM items',
    ))!;
    await pruneBefore(db, { before: CUTOFF, now: NOW });
    expect(await count('items')).toBe(0);
    const item = (id: string, url: string) => ({
      id,
      url,
      title: 'An item long gone',
      published: new Date(NOW).toISOString(),
      publishedEstimated: false,
      author: null,
      categories: [],
      content: 'still in the feed',
      enclosures: [],
    });
    const again = await insertNewItems(db, feedId, [item(guid, 'https://a.example/1?same')], {
      now: NOW,
      announced: true,
    });
    expect(again).toEqual([]);
    const other = await db.value(
      `INSERT INTO feeds (url, interval_ms, created_at) VALUES ('https://b.example/rss', 900000, 0) RETURNING id`,
    );
    const elsewhere = await insertNewItems(db, Number(other), [item('x1', 'https://a.example/1')], {
      now: NOW,
      announced: true,
    });
    expect(elsewhere).toEqual([]);
  });

  it('works in batches until nothing old is left', async () => {
    for (let i = 0; i < 7; i++)
      await seedStory(db, { title: `Old item ${i}`, reports: [{ outlet: `O${i}`, hoursAgo: 250 * 24 }] });
    expect(await pruneBefore(db, { before: CUTOFF, now: NOW, batch: 3 })).toEqual({ items: 7, stories: 7 });
    expect(await count('items')).toBe(0);
    expect(await count('pruned_items')).toBe(7);
  });
});
