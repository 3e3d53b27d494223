/**
 * The StoryIndex port over the store (SQLite or PostgreSQL, through Sql): the queries the clustering
 * decision (src/stories/story-index.ts) runs in production. The decision itself lives in stories/; this
 * file only reads and writes. Band counts and limits come from the decision's arguments, so no stage
 * code runs here. Every item placed runs these queries, so each is one statement with a fixed SQL text
 * (prepared once per connection by the driver). The candidate lookup reads one bucket per band (64): on
 * PostgreSQL as one statement, since a round trip per band would cost a networked store dearly; on SQLite
 * as one statement per band, which placing a day of real items measured cheaper than the one compound
 * statement (CPU of the whole placement, same store and items: 64 statements 4.9-6.0 s, compound 6.4-7.3 s,
 * under load 6 on 2 cores).
 */
import type { IndexedItem, NewStory, PlaceInput, Representative, StoryIndex } from '../stories/story-index.js';
import type { Sql } from './sql.js';

/** The StoryIndex of a connection (one per connection, so that the decision's caches stay warm). */
export function sqlStoryIndex(sql: Sql): StoryIndex<number> {
  const cached = indexes.get(sql);
  if (cached) return cached;
  const index: StoryIndex<number> = {
    atomically: (fn) => sql.write(fn),
    async item(itemId): Promise<IndexedItem | null> {
      const row = await sql.get<{ feedId: number; source: string | null; url: string | null; storyId: number | null }>(
        'SELECT feed_id AS "feedId", source, url, story_id AS "storyId" FROM items WHERE id = ?',
        [itemId],
      );
      return row ? { feed: String(row.feedId), source: row.source, url: row.url, storyId: row.storyId } : null;
    },
    async candidates({ bands, from, to, limit }) {
      if (bands.length === 0) return [];
      if (sql.dialect === 'sqlite') {
        const ids: number[] = [];
        for (const [band, hash] of bands.entries()) {
          ids.push(...(await sql.column<number>(LOOKUP, [band, hash, from, to, limit])));
        }
        return ids;
      }
      const params: unknown[] = [];
      for (const [band, hash] of bands.entries()) params.push(band, hash, from, to, limit);
      return sql.column<number>(lookup(bands.length), params);
    },
    async representative(storyId): Promise<Representative | null> {
      const row = await sql.get<{
        title: string;
        lead: string;
        feedId: number | null;
        source: string | null;
        url: string | null;
      }>(
        `SELECT s.title, s.lead, r.feed_id AS "feedId", r.source, r.url
         FROM stories s LEFT JOIN items r ON r.id = s.representative_item_id WHERE s.id = ?`,
        [storyId],
      );
      if (!row) return null;
      return { title: row.title, lead: row.lead, feed: String(row.feedId), source: row.source, url: row.url };
    },
    async attach(storyId, item, now) {
      await joinStory(sql, { storyId, itemId: item.key, announced: item.announced, now });
    },
    async create(item, story) {
      return insertStory(sql, item, story);
    },
  };
  indexes.set(sql, index);
  return index;
}

/**
 * Starts a story with the item as its representative. first_seen_at is the story's start
 * (story.at); updated_at is `now` at the last join. Its band hashes go into the LSH buckets, where
 * later items find it. Returns the story id.
 */
export async function insertStory(sql: Sql, item: PlaceInput<number>, story: NewStory): Promise<number> {
  const storyId = Number(
    await sql.value(
      `INSERT INTO stories (representative_item_id, title, lead, first_seen_at, updated_at, item_count, announce_seq, signature)
       VALUES (@itemId, @title, @lead, @at, @now, 1, @announceSeq, @signature) RETURNING id`,
      {
        itemId: item.key,
        title: item.title,
        lead: item.lead,
        at: story.at,
        now: story.now,
        announceSeq: item.announced ? await nextSeq(sql) : null,
        signature: Buffer.from(story.signature.buffer, story.signature.byteOffset, story.signature.byteLength),
      },
    ),
  );
  if (story.bands.length > 0)
    await sql.run(
      addBuckets(story.bands.length),
      story.bands.flatMap((hash, band) => [band, hash, storyId, story.at]),
    );
  await setStory(sql, storyId, item.key);
  return storyId;
}

/**
 * Adds an item to a story. When it is the first announced item there, announce_seq takes the next
 * value of the store's one announce counter, inside the caller's write transaction, so announce
 * order is commit order across processes; it stays NULL while only first-poll items belong.
 */
async function joinStory(sql: Sql, p: { storyId: number; itemId: number; announced: boolean; now: number }) {
  const needsSeq =
    p.announced && (await sql.value('SELECT announce_seq FROM stories WHERE id = ?', [p.storyId])) === null;
  await sql.run(
    `UPDATE stories SET item_count = item_count + 1, updated_at = @now,
       announce_seq = coalesce(announce_seq, @announceSeq) WHERE id = @id`,
    { id: p.storyId, now: p.now, announceSeq: needsSeq ? await nextSeq(sql) : null },
  );
  await setStory(sql, p.storyId, p.itemId);
}

async function setStory(sql: Sql, storyId: number, itemId: number): Promise<void> {
  await sql.run('UPDATE items SET story_id = ? WHERE id = ?', [storyId, itemId]);
}

async function nextSeq(sql: Sql): Promise<number> {
  return Number(await sql.value('UPDATE announce_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq'));
}

/** One band's bucket: the newest `limit` stories in it that started in the window (its index, newest first). */
const LOOKUP = `SELECT story_id FROM story_buckets WHERE band = ? AND hash = ? AND first_seen_at BETWEEN ? AND ?
  ORDER BY story_id DESC LIMIT ?`;

/**
 * LOOKUP for every band in one statement, one arm per band. The text depends only on the band count, so it
 * is built once.
 */
function lookup(bands: number): string {
  let text = lookups.get(bands);
  if (!text) {
    text = Array.from({ length: bands }, (_, b) => `SELECT story_id FROM (${LOOKUP}) AS b${b}`).join(' UNION ALL ');
    lookups.set(bands, text);
  }
  return text;
}

/** One statement for all of a story's buckets (one row per band), built once per band count. */
function addBuckets(bands: number): string {
  let text = inserts.get(bands);
  if (!text) {
    text = `INSERT INTO story_buckets (band, hash, story_id, first_seen_at) VALUES ${Array(bands).fill('(?, ?, ?, ?)').join(', ')}
      ON CONFLICT DO NOTHING`;
    inserts.set(bands, text);
  }
  return text;
}

const indexes = new WeakMap<Sql, StoryIndex<number>>();
const lookups = new Map<number, string>();
const inserts = new Map<number, string>();
