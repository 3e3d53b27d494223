/**
 * Full-text search over stored items (FTS5), one hit per story. What a person types never reaches FTS5 as
 * syntax: ftsQuery() rebuilds it from words and quoted phrases, each a quoted FTS5 string, so no input can
 * raise an SQL error or use a column filter, NEAR, or ^.
 */
import type { Db } from './db.js';

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
  /** Stories matching in all, for "…and N more". */
  total: number;
}

/**
 * Stories with an item matching the query, best match first (bm25, a title hit weighing three times a body
 * hit), then newest. `since` filters on publication time; `anchor` hides stories created after the first page.
 */
export function searchStories(
  db: Db,
  p: { match: string; since: number | null; anchor: number; limit: number; offset: number },
): SearchPage {
  if (!p.match) return { storyIds: [], total: 0 };
  const where = `items_fts MATCH @match AND i.story_id IS NOT NULL AND i.story_id <= @anchor
    AND (@since IS NULL OR i.published_at >= @since)`;
  const params = { match: p.match, since: p.since, anchor: p.anchor };
  const total = Number(
    db
      .prepare(`SELECT count(DISTINCT i.story_id) FROM items_fts JOIN items i ON i.id = items_fts.rowid WHERE ${where}`)
      .pluck()
      .get(params),
  );
  // bm25() only works in a query over the FTS table itself, so ranking per item happens inside, per story outside.
  const storyIds = db
    .prepare(
      `WITH hits AS MATERIALIZED (
         SELECT i.story_id, bm25(items_fts, 3.0, 1.0) AS rank, i.published_at
         FROM items_fts JOIN items i ON i.id = items_fts.rowid WHERE ${where})
       SELECT story_id FROM hits GROUP BY story_id ORDER BY min(rank), max(published_at) DESC, story_id DESC
       LIMIT @limit OFFSET @offset`,
    )
    .pluck()
    .all({ ...params, limit: p.limit, offset: p.offset }) as number[];
  return { storyIds, total };
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
