import type Database from 'better-sqlite3';
import { bandHashes, MAX_CANDIDATES, minhashSignature, NUM_BANDS, signatureToBuffer } from '../stories/minhash.js';
import { isRepublished, preparedSimilarity, prepareText } from '../stories/similarity.js';
import { type Db, writeTransaction } from './db.js';
import { outletName } from './digest-stories.js';

export interface AssignInput {
  itemId: number;
  title: string;
  /** The first sentence(s) of the item's text: use storyLead() from src/stories/text.ts. */
  lead: string;
  publishedAt: number;
  /** False for items stored on a feed's first poll: they join stories but never make them announceable. */
  announced: boolean;
}

export interface AssignOptions {
  now: number;
  windowMs: number;
  threshold: number;
}

export interface AssignResult {
  storyId: number;
  isNew: boolean;
  /** Stories verified against this item (the LSH candidate set); 0 when it already had a story. */
  candidates: number;
}

export interface StoryRow {
  id: number;
  title: string;
  representativeItemId: number | null;
  firstSeenAt: number;
  updatedAt: number;
  itemCount: number;
  announceSeq: number | null;
}

export interface StoryMember {
  itemId: number;
  title: string;
  url: string | null;
  /** The credited outlet, else feed name, else feed title, else the link's host (see outletName). */
  outlet: string;
  publishedAt: number;
}

/**
 * Puts one stored item into a story: finds candidate stories through their LSH band hashes
 * (only stories that started within the window around the item's time), verifies each against
 * its representative's title and lead, and joins the best at or above the threshold, else
 * starts a new story with this item as its representative. The representative is the story's
 * first item and never changes, so verification never drifts along a chain of members.
 *
 * A story's first_seen_at is its first item's publication time (clamped to `now`); updated_at
 * is `now` at the last join. When the first announced item belongs, announce_seq takes the next
 * value of the store's one announce counter, inside this write transaction, so announce order is
 * commit order across processes; it stays NULL while only first-poll items belong. An item that
 * already has a story keeps it. Runs in the caller's transaction when one is open (as a savepoint).
 */
export function assignStory(db: Db, item: AssignInput, opts: AssignOptions): AssignResult {
  return writeTransaction(db, () => {
    const st = statements(db);
    const self = st.self.get(item.itemId) as
      | { feedId: number; source: string | null; url: string | null; storyId: number | null }
      | undefined;
    if (!self) throw new Error(`assignStory: no item ${item.itemId}`);
    if (self.storyId !== null) return { storyId: self.storyId, isNew: false, candidates: 0 };

    const at = Math.min(item.publishedAt, opts.now);
    const prepared = prepareText(item);
    const signature = minhashSignature(prepared.allSet);
    const bands = bandHashes(signature);
    const { best, candidates } = bestCandidate(st, { item: self, prepared, bands, at, windowMs: opts.windowMs });

    if (best && best.score >= opts.threshold) {
      const needsSeq = item.announced && st.announceSeqOf.get(best.id) === null;
      st.join.run({ id: best.id, now: opts.now, announceSeq: needsSeq ? nextSeq(st) : null });
      st.setStory.run(best.id, item.itemId);
      return { storyId: best.id, isNew: false, candidates };
    }

    const storyId = Number(
      st.create.run({
        itemId: item.itemId,
        title: item.title,
        lead: item.lead,
        at,
        now: opts.now,
        announceSeq: item.announced ? nextSeq(st) : null,
        signature: signatureToBuffer(signature),
      }).lastInsertRowid,
    );
    if (bands.length === NUM_BANDS) st.addBuckets.run(bands.flatMap((hash, band) => [band, hash, storyId, at]));
    st.setStory.run(storyId, item.itemId);
    return { storyId, isNew: true, candidates };
  });
}

/** Stories touched (created or joined) at or after `since`, most recently updated first. */
export function listStories(db: Db, p: { since: number; limit?: number }): StoryRow[] {
  return db
    .prepare(
      `SELECT id, title, representative_item_id AS representativeItemId, first_seen_at AS firstSeenAt,
              updated_at AS updatedAt, item_count AS itemCount, announce_seq AS announceSeq
       FROM stories WHERE updated_at >= ? ORDER BY updated_at DESC, id DESC LIMIT ?`,
    )
    .all(p.since, p.limit ?? 100) as StoryRow[];
}

/** Every item of a story with its outlet and link, earliest first. */
export function storyMembers(db: Db, storyId: number): StoryMember[] {
  const rows = db
    .prepare(
      `SELECT i.id AS itemId, i.title, i.url, i.published_at AS publishedAt, i.source,
              f.name AS feed_name, f.title AS feed_title, f.url AS feed_url
       FROM items i JOIN feeds f ON f.id = i.feed_id
       WHERE i.story_id = ? ORDER BY i.published_at, i.id`,
    )
    .all(storyId) as Array<{
    itemId: number;
    title: string;
    url: string | null;
    publishedAt: number;
    source: string | null;
    feed_name: string | null;
    feed_title: string | null;
    feed_url: string;
  }>;
  return rows.map((r) => ({
    itemId: r.itemId,
    title: r.title,
    url: r.url,
    outlet: outletName(r),
    publishedAt: r.publishedAt,
  }));
}

/**
 * Housekeeping: drops the LSH buckets of stories that started before `olderThan` (outside any
 * window a new item could use). The stories themselves stay. Returns the rows removed.
 */
export function pruneStoryBuckets(db: Db, olderThan: number): number {
  return db.prepare('DELETE FROM story_buckets WHERE first_seen_at < ?').run(olderThan).changes;
}

interface CandidateQuery {
  item: { feedId: number; source: string | null; url: string | null };
  prepared: ReturnType<typeof prepareText>;
  bands: number[];
  at: number;
  windowMs: number;
}

/** A story's representative never changes, so its prepared text is kept (a bounded number of them). */
function preparedOf(st: Statements, id: number, s: { title: string; lead: string }): ReturnType<typeof prepareText> {
  const hit = st.prepared.get(id);
  if (hit) return hit;
  const prepared = prepareText(s);
  if (st.prepared.size >= PREPARED_CACHE) st.prepared.delete(st.prepared.keys().next().value as number);
  st.prepared.set(id, prepared);
  return prepared;
}

const PREPARED_CACHE = 5_000;

/** Scores the stories sharing the most bands with the item; returns the best (null when there is none). */
function bestCandidate(
  st: Statements,
  q: CandidateQuery,
): { best: { id: number; score: number } | null; candidates: number } {
  // One bounded lookup per band (the newest stories in each bucket), so a bucket that boilerplate
  // shares with thousands of stories costs no more than any other; then the stories sharing the
  // most bands are verified.
  const shared = new Map<number, number>();
  if (q.bands.length === NUM_BANDS) {
    q.bands.forEach((hash, band) => {
      for (const id of st.lookup.all(band, hash, q.at - q.windowMs, q.at + q.windowMs) as number[]) {
        shared.set(id, (shared.get(id) ?? 0) + 1);
      }
    });
  }
  const ids = [...shared.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_CANDIDATES)
    .map(([id]) => id);
  let best: { id: number; score: number } | null = null;
  for (const id of ids) {
    const s = st.story.get(id) as
      | { title: string; lead: string; feedId: number | null; source: string | null; url: string | null }
      | undefined;
    if (!s) continue;
    const rep = preparedOf(st, id, s);
    // Within one outlet only a re-published item joins: see isRepublished for why. An aggregator
    // feed carries many outlets, told apart by the source it credits.
    const sameOutlet = s.feedId === q.item.feedId && (s.source ?? '') === (q.item.source ?? '');
    if (sameOutlet && !isRepublished(rep, q.prepared) && !(s.url && s.url === q.item.url)) continue;
    const score = preparedSimilarity(q.prepared, rep);
    if (!best || score > best.score || (score === best.score && id < best.id)) best = { id, score };
  }
  return { best, candidates: ids.length };
}

/** The next announce sequence number; only inside a write transaction (see assignStory). */
function nextSeq(st: Statements): number {
  return Number(st.nextSeq.get());
}

type Statement = Database.Statement;
interface Statements {
  self: Statement;
  announceSeqOf: Statement;
  nextSeq: Statement;
  join: Statement;
  setStory: Statement;
  create: Statement;
  addBuckets: Statement;
  lookup: Statement;
  story: Statement;
  /** Prepared representative text by story id, oldest first (see preparedOf). */
  prepared: Map<number, ReturnType<typeof prepareText>>;
}

const cache = new WeakMap<Db, Statements>();

/** Prepared once per connection: assignStory runs for every ingested item. */
function statements(db: Db): Statements {
  const cached = cache.get(db);
  if (cached) return cached;
  const st: Statements = {
    self: db.prepare('SELECT feed_id AS feedId, source, url, story_id AS storyId FROM items WHERE id = ?'),
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
    addBuckets: db.prepare(
      `INSERT OR IGNORE INTO story_buckets (band, hash, story_id, first_seen_at) VALUES ${Array(NUM_BANDS).fill('(?, ?, ?, ?)').join(', ')}`,
    ),
    lookup: db
      .prepare(
        `SELECT story_id FROM story_buckets WHERE band = ? AND hash = ? AND first_seen_at BETWEEN ? AND ?
         ORDER BY story_id DESC LIMIT ${MAX_CANDIDATES}`,
      )
      .pluck(),
    story: db.prepare(
      `SELECT s.title, s.lead, r.feed_id AS feedId, r.source, r.url
       FROM stories s LEFT JOIN items r ON r.id = s.representative_item_id WHERE s.id = ?`,
    ),
    prepared: new Map(),
  };
  cache.set(db, st);
  return st;
}
