/**
 * The StoryIndex port over SQLite: the queries the clustering decision (src/stories/story-index.ts)
 * runs in production. The decision itself lives in stories/; this file only reads and writes.
 * Band counts and limits come from the decision's arguments, so no stage code runs here.
 */
import type Database from 'better-sqlite3';
import type { IndexedItem, NewStory, PlaceInput, Representative, StoryIndex } from '../stories/story-index.js';
import { type Db, prepared, writeTransactionAsync } from './db.js';

/** The StoryIndex of a connection (one per connection, so that the decision's caches stay warm). */
export function sqliteStoryIndex(db: Db): StoryIndex<number> {
  const cached = indexes.get(db);
  if (cached) return cached;
  const index: StoryIndex<number> = {
    atomically: (fn) => writeTransactionAsync(db, fn),
    async item(itemId): Promise<IndexedItem | null> {
      const row = statements(db).item.get(itemId) as
        | { feedId: number; source: string | null; url: string | null; storyId: number | null }
        | undefined;
      return row ? { feed: String(row.feedId), source: row.source, url: row.url, storyId: row.storyId } : null;
    },
    async candidates({ bands, from, to, limit }) {
      const st = statements(db);
      return bands.flatMap((hash, band) => st.lookup.all(band, hash, from, to, limit) as number[]);
    },
    async representative(storyId): Promise<Representative | null> {
      const row = statements(db).representative.get(storyId) as
        | { title: string; lead: string; feedId: number | null; source: string | null; url: string | null }
        | undefined;
      if (!row) return null;
      return { title: row.title, lead: row.lead, feed: String(row.feedId), source: row.source, url: row.url };
    },
    async attach(storyId, item, now) {
      joinStory(db, { storyId, itemId: item.key, announced: item.announced, now });
    },
    async create(item, story) {
      return insertStory(db, item, story);
    },
  };
  indexes.set(db, index);
  return index;
}

/**
 * Adds an item to a story. When it is the first announced item there, announce_seq takes the next
 * value of the store's one announce counter, inside the caller's write transaction, so announce
 * order is commit order across processes; it stays NULL while only first-poll items belong.
 */
function joinStory(db: Db, p: { storyId: number; itemId: number; announced: boolean; now: number }): void {
  const st = statements(db);
  const needsSeq = p.announced && st.announceSeqOf.get(p.storyId) === null;
  st.join.run({ id: p.storyId, now: p.now, announceSeq: needsSeq ? nextSeq(st) : null });
  st.setStory.run(p.storyId, p.itemId);
}

/**
 * Starts a story with the item as its representative. first_seen_at is the story's start
 * (story.at); updated_at is `now` at the last join. Its band hashes go into the LSH buckets, where
 * later items find it. Returns the story id.
 */
export function insertStory(db: Db, item: PlaceInput<number>, story: NewStory): number {
  const st = statements(db);
  const storyId = Number(
    st.create.run({
      itemId: item.key,
      title: item.title,
      lead: item.lead,
      at: story.at,
      now: story.now,
      announceSeq: item.announced ? nextSeq(st) : null,
      signature: Buffer.from(story.signature.buffer, story.signature.byteOffset, story.signature.byteLength),
    }).lastInsertRowid,
  );
  if (story.bands.length > 0)
    addBuckets(db, story.bands.length).run(story.bands.flatMap((hash, band) => [band, hash, storyId, story.at]));
  st.setStory.run(storyId, item.key);
  return storyId;
}

/** One statement for all of a story's buckets (one row per band), prepared once per band count. */
function addBuckets(db: Db, bands: number): Statement {
  return prepared(
    db,
    `INSERT OR IGNORE INTO story_buckets (band, hash, story_id, first_seen_at) VALUES ${Array(bands).fill('(?, ?, ?, ?)').join(', ')}`,
  );
}

function nextSeq(st: Statements): number {
  return Number(st.nextSeq.get());
}

const indexes = new WeakMap<Db, StoryIndex<number>>();

type Statement = Database.Statement;
interface Statements {
  item: Statement;
  announceSeqOf: Statement;
  nextSeq: Statement;
  join: Statement;
  setStory: Statement;
  create: Statement;
  lookup: Statement;
  representative: Statement;
}

const cache = new WeakMap<Db, Statements>();

/** Prepared once per connection: every ingested item runs them. */
function statements(db: Db): Statements {
  const cached = cache.get(db);
  if (cached) return cached;
  const st: Statements = {
    item: db.prepare('SELECT feed_id AS feedId, source, url, story_id AS storyId FROM items WHERE id = ?'),
    announceSeqOf: db.prepare('SELECT announce_seq FROM stories WHERE id = ?').pluck(),
    nextSeq: db.prepare('UPDATE announce_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq').pluck(),
    join: db.prepare(
      `UPDATE stories SET item_count = item_count + 1, updated_at = @now,
         announce_seq = coalesce(announce_seq, @announceSeq) WHERE id = @id`,
    ),
    setStory: db.prepare('UPDATE items SET story_id = ? WHERE id = ?'),
    create: db.prepare(
      `INSERT INTO stories (representative_item_id, title, lead, first_seen_at, updated_at, item_count, announce_seq, signature)
       VALUES (@itemId, @title, @lead, @at, @now, 1, @announceSeq, @signature)`,
    ),
    lookup: db
      .prepare(
        `SELECT story_id FROM story_buckets WHERE band = ? AND hash = ? AND first_seen_at BETWEEN ? AND ?
         ORDER BY story_id DESC LIMIT ?`,
      )
      .pluck(),
    representative: db.prepare(
      `SELECT s.title, s.lead, r.feed_id AS feedId, r.source, r.url
       FROM stories s LEFT JOIN items r ON r.id = s.representative_item_id WHERE s.id = ?`,
    ),
  };
  cache.set(db, st);
  return st;
}
