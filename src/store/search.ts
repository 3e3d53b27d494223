/**
 * Full-text search over stored items (FTS5), one hit per story. What a person types never reaches FTS5 as
 * syntax: ftsQuery() rebuilds it from words and quoted phrases, each a quoted FTS5 string, so no input can
 * raise an SQL error or use a column filter, NEAR, or ^.
 */
import { type Conn, type Sql, sqlOf } from './sql.js';

export interface FtsQuery {
  /** The FTS5 MATCH expression; '' when the text held nothing searchable. */
  match: string;
  /** The words and phrases searched for, as a person would read them. */
  terms: string[];
}

/** At most this many words and phrases; more only slows the search down. */
const MAX_TERMS = 16;

/**
 * Words are ANDed; "quoted phrases" stay phrases; a trailing * makes a prefix (`traffick*`); a bare OR between
 * two terms is OR. Anything else is text: punctuation, AND/NOT/NEAR, column names and carets are searched for
 * as words, or dropped when they hold no letter or digit.
 */
export function ftsQuery(text: string): FtsQuery {
  const parts: string[] = [];
  const terms: string[] = [];
  let pendingOr = false;
  // A NUL ends the query string inside SQLite: control characters are never search text.
  const clean = text.replace(/[\u0000-\u001F\u007F]/g, ' ').replace(/[\u201C\u201D\u201E\u201F]/g, '"');
  for (const m of clean.matchAll(/"([^"]*)"?|(\S+)/g)) {
    if (terms.length >= MAX_TERMS) break;
    const phrase = m[1];
    const bare = m[2];
    if (bare === 'OR') {
      pendingOr = parts.length > 0;
      continue;
    }
    const term = phrase !== undefined ? phraseTerm(phrase) : bareTerm(bare ?? '');
    if (!term) continue;
    if (pendingOr) parts.push('OR');
    pendingOr = false;
    parts.push(term.fts);
    terms.push(term.shown);
  }
  return { match: parts.join(' '), terms };
}

export interface SearchPage {
  storyIds: number[];
  /** Stories matching in all (among the searched hits, when capped), for "…and N more". */
  total: number;
  /** More items matched than a search ranks: only the newest `scan` (SEARCH_SCAN) of them were ranked. */
  capped: boolean;
}

/**
 * The most matching items a search ranks, newest first. A word in most items ("officials") matches hundreds of
 * thousands of them in a large store; ranking them all took seconds, and a reader wants the best of the recent
 * ones. Fewer matches than this are all ranked, as before.
 */
export const SEARCH_SCAN = 2_000;

/**
 * Stories with an item matching the query, best match first, then newest. `since` filters on publication time;
 * `anchor` hides stories created after the first page. When at most `scan` (default SEARCH_SCAN) items match,
 * the best match is bm25's (a title hit weighing three times a body hit). When more match, only the newest
 * `scan` are ranked (see `capped`), by how many of the query's words and phrases their title holds, not by bm25:
 * bm25 counts, for its term weights, every item in the store holding each term, which for a word in most of a
 * million items took a quarter of a second (bench/README.md, commands) whatever the LIMIT.
 */
export async function searchStories(conn: Conn, p: SearchParams): Promise<SearchPage> {
  if (!p.match) return { storyIds: [], total: 0, capped: false };
  const sql = sqlOf(conn);
  const { hits, capped } = await sqliteHits(sql, { ...p, scan: p.scan ?? SEARCH_SCAN });
  const stories = new Map<number, { rank: number; publishedAt: number }>();
  for (const h of hits) {
    const s = stories.get(h.storyId);
    if (!s) stories.set(h.storyId, { rank: h.rank, publishedAt: h.publishedAt });
    else {
      s.rank = Math.min(s.rank, h.rank);
      s.publishedAt = Math.max(s.publishedAt, h.publishedAt);
    }
  }
  const ranked = [...stories.entries()]
    .sort(([ida, a], [idb, b]) => a.rank - b.rank || b.publishedAt - a.publishedAt || idb - ida)
    .map(([id]) => id);
  return { storyIds: ranked.slice(p.offset, p.offset + p.limit), total: ranked.length, capped };
}

export interface SearchParams {
  /** ftsQuery's match expression. */
  match: string;
  since: number | null;
  anchor: number;
  limit: number;
  offset: number;
  scan?: number;
}

/** The matching items to rank on SQLite (FTS5): the newest `scan`, ranked by bm25 or, when capped, by title terms. */
async function sqliteHits(sql: Sql, p: SearchParams & { scan: number }): Promise<{ hits: Hit[]; capped: boolean }> {
  const floor = await windowFloor(sql, p.since);
  const params = { match: p.match, since: p.since, anchor: p.anchor, scan: p.scan + 1, floor };
  const newest = await sql.all<Hit & { itemId: number; title: string }>(
    `SELECT items_fts.rowid AS "itemId", i.story_id AS "storyId", i.published_at AS "publishedAt", i.title ${MATCHING}
     ORDER BY items_fts.rowid DESC LIMIT @scan`,
    params,
  );
  const capped = newest.length > p.scan;
  if (capped) newest.pop();
  const hits = capped
    ? byTitleTerms(p.match, newest)
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

/** Ranked minus the number of the query's words and phrases found in the title (the bm25 scale: lower is better). */
function byTitleTerms(match: string, newest: (Hit & { title: string })[]): Hit[] {
  const terms = [...match.matchAll(/"((?:[^"]|"")*)"(\*?)/g)].map((m) => ({
    words: words((m[1] as string).replace(/""/g, '"')),
    prefix: m[2] === '*',
  }));
  return newest.map((h) => {
    const title = words(h.title);
    const found = terms.filter((t) => t.words.length > 0 && holds(title, t.words, t.prefix)).length;
    return { storyId: h.storyId, publishedAt: h.publishedAt, rank: -found };
  });
}

/** Lower-case words without accents, as FTS5's unicode61 tokenizer reads them. */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether `phrase` occurs in `title` word by word (its last word as a prefix when `prefix`). */
function holds(title: string[], phrase: string[], prefix: boolean): boolean {
  const last = phrase.length - 1;
  for (let start = 0; start + last < title.length; start++) {
    if (
      phrase.every((w, k) =>
        k === last && prefix ? (title[start + k] as string).startsWith(w) : title[start + k] === w,
      )
    ) {
      return true;
    }
  }
  return false;
}

interface Hit {
  storyId: number;
  rank: number;
  publishedAt: number;
}

function phraseTerm(inner: string): { fts: string; shown: string } | null {
  const text = inner.trim().replace(/\s+/g, ' ');
  if (!hasWord(text)) return null;
  return { fts: quote(text), shown: `"${text}"` };
}

function bareTerm(word: string): { fts: string; shown: string } | null {
  const prefix = /^(.*[\p{L}\p{N}])\*+$/u.exec(word);
  if (prefix) return { fts: `${quote(prefix[1] as string)}*`, shown: word };
  const text = word.replace(/"/g, '');
  if (!hasWord(text)) return null;
  return { fts: quote(text), shown: text };
}

function hasWord(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** An FTS5 string: inside double quotes every character is literal, and a quote is written twice. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
