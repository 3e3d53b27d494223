/** Full-text search on SQLite: the FTS5 table items_fts (migration 1), kept by triggers on items. */
import { byTitleTerms, type Hit, type HitQuery, type Hits } from './search-hits.js';
import type { Sql } from './sql.js';

/**
 * The newest `scan` matching items, ranked by bm25 (a title hit weighing three times a body hit) or, when more
 * match, by how many of the query's terms their title holds: bm25 counts, for its term weights, every item in the
 * store holding each term, which for a word in most of a million items took a quarter of a second
 * (bench/README.md, commands) whatever the LIMIT.
 */
export async function sqliteHits(sql: Sql, q: HitQuery): Promise<Hits> {
  const floor = await windowFloor(sql, q.since);
  const params = { match: q.match, since: q.since, anchor: q.anchor, scan: q.scan + 1, floor };
  const newest = await sql.all<Hit & { itemId: number; title: string }>(
    `SELECT items_fts.rowid AS "itemId", i.story_id AS "storyId", i.published_at AS "publishedAt", i.title ${MATCHING}
     ORDER BY items_fts.rowid DESC LIMIT @scan`,
    params,
  );
  const capped = newest.length > q.scan;
  if (capped) newest.pop();
  const hits = capped
    ? byTitleTerms(q.match, newest)
    : await bm25Ranked(sql, { ...params, floor: Math.max(floor, newest.at(-1)?.itemId ?? 0) });
  return { hits, capped };
}

const MATCHING = `FROM items_fts JOIN items i ON i.id = items_fts.rowid
  WHERE items_fts MATCH @match AND i.story_id IS NOT NULL AND i.story_id <= @anchor
    AND (@since IS NULL OR i.published_at >= @since) AND items_fts.rowid >= @floor`;

/** A `since` window holding more items than this is searched without a rowid bound (see windowFloor). */
const WINDOW_SCAN = 50_000;

/**
 * The lowest item id published inside the `since` window, or 0 when there is no window or it is wide. FTS5
 * applies a rowid bound itself, so a phrase in 12,763 items of a million no longer reads them all to keep the
 * 491 of the last 7 days (bench/README.md, commands). Exact, not a guess from ids being roughly in publication
 * order: every item of the window has an id at least this one. Reading a wide window's ids to find it would
 * cost more than it saves, so at most WINDOW_SCAN of them are read (index items_published).
 */
async function windowFloor(sql: Sql, since: number | null): Promise<number> {
  if (since === null) return 0;
  const w = await sql.get<{ n: number; lowest: number | null }>(
    'SELECT count(*) AS n, min(id) AS lowest FROM (SELECT id FROM items WHERE published_at >= ? LIMIT ?) AS w',
    [since, WINDOW_SCAN + 1],
  );
  if (!w || w.n > WINDOW_SCAN) return 0;
  return w.lowest ?? Number.MAX_SAFE_INTEGER;
}

/**
 * The same items with their bm25 rank (lower is better; bm25() only works in a query over the FTS table itself).
 * Bounded below by the oldest of them (or the window's floor, if higher), so FTS5 skips the rest of the store instead of reading it again.
 */
async function bm25Ranked(sql: Sql, params: Record<string, unknown>): Promise<Hit[]> {
  return sql.all<Hit>(
    `SELECT i.story_id AS "storyId", bm25(items_fts, 3.0, 1.0) AS rank, i.published_at AS "publishedAt" ${MATCHING}
     ORDER BY items_fts.rowid DESC LIMIT @scan`,
    params,
  );
}
