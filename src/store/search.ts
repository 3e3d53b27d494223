/**
 * Full-text search over stored items, one hit per story: FTS5 on SQLite (search-sqlite.ts), a tsvector on
 * PostgreSQL (search-postgres.ts). What a person types never reaches either as syntax: ftsQuery() rebuilds it
 * from words and quoted phrases, each a quoted FTS5 string, so no input can raise an SQL error or use a column
 * filter, NEAR, or ^; PostgreSQL's query is built from that expression again, each term quoted.
 */
import { postgresHits } from './search-postgres.js';
import { sqliteHits } from './search-sqlite.js';
import type { Sql } from './sql.js';

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
 * the best match is the engine's rank (a title hit weighing three times a body hit: bm25 on SQLite, ts_rank on
 * PostgreSQL). When more match, only the newest `scan` are ranked (see `capped`), by how many of the query's
 * words and phrases their title holds.
 */
export async function searchStories(sql: Sql, p: SearchParams): Promise<SearchPage> {
  if (!p.match) return { storyIds: [], total: 0, capped: false };
  const q = { match: p.match, since: p.since, anchor: p.anchor, scan: p.scan ?? SEARCH_SCAN };
  const { hits, capped } = sql.dialect === 'postgres' ? await postgresHits(sql, q) : await sqliteHits(sql, q);
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
