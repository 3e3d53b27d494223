/**
 * Full-text search on PostgreSQL: items.fts, a generated tsvector (title weighted A, body B, 'english'
 * configuration) with a GIN index (src/store/migrations/postgres.ts). It answers what search-sqlite.ts answers
 * on FTS5, from the same match expression: the newest `scan` matching items, ranked by ts_rank with a title hit
 * weighing three times a body hit (as bm25(items_fts, 3.0, 1.0) weighs them) or, when more match, by title terms.
 */
import { byTitleTerms, type Hit, type HitQuery, type Hits, type MatchTerm, matchTerms } from './search-hits.js';
import type { Sql } from './sql.js';

export async function postgresHits(sql: Sql, q: HitQuery): Promise<Hits> {
  const query = tsQuery(matchTerms(q.match));
  const params = { query: query.text, since: q.since, anchor: q.anchor, scan: q.scan + 1 };
  const newest = await sql.all<Hit & { itemId: number; title: string }>(NEWEST[query.parser], params);
  const capped = newest.length > q.scan;
  if (capped) newest.pop();
  if (capped) return { hits: byTitleTerms(q.match, newest), capped };
  if (newest.length === 0) return { hits: [], capped };
  // Ranked by id, not searched again: a phrase's matches are each read from the table to check the phrase
  // (the GIN index holds no positions), which for 12,763 matches of a million items cost 25-40 ms.
  const ids = JSON.stringify(newest.map((h) => h.itemId));
  const hits = await sql.all<Hit>(RANKED[query.parser], { query: query.text, ids });
  return { hits, capped };
}

type Parser = 'websearch' | 'prefix';

/**
 * The tsquery text for the terms, and the function that reads it. Without a prefix term it is web-search syntax
 * for websearch_to_tsquery, each term in double quotes (a phrase, or one word, never an operator) and `or` where
 * the person typed OR. websearch_to_tsquery has no prefix (`traffick*`, which /digest search offers), so a query
 * with one is written for to_tsquery instead: each term a single-quoted operand (PostgreSQL's parser and stemmer
 * read it as websearch_to_tsquery reads a quoted term), `:*` after a prefix, `&` and `|` between terms. Either way
 * AND binds tighter than OR, as in FTS5. (A prefix is one typed word: `u.s.a*` makes each of its lexemes a
 * prefix, and a hyphenated `age-verif*` asks for the hyphenated compound, as PostgreSQL's parser reads it.)
 */
export function tsQuery(terms: MatchTerm[]): { parser: Parser; text: string } {
  if (!terms.some((t) => t.prefix)) {
    const text = terms.map((t) => `${t.or ? 'or ' : ''}"${t.text.replace(/"/g, ' ')}"`).join(' ');
    return { parser: 'websearch', text };
  }
  const text = terms
    .map((t, i) => `${i === 0 ? '' : t.or ? '| ' : '& '}${quoted(t.text)}${t.prefix ? ':*' : ''}`)
    .join(' ');
  return { parser: 'prefix', text };
}

/** Inside a to_tsquery operand in single quotes, a quote is written twice and a backslash escapes. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

const QUERY: Record<Parser, string> = {
  websearch: "websearch_to_tsquery('english', @query)",
  prefix: "to_tsquery('english', @query)",
};

const NEWEST: Record<Parser, string> = {
  websearch: newest('websearch'),
  prefix: newest('prefix'),
};

// A parameter only tested for NULL has no type PostgreSQL can work out: the cast gives it one.
function newest(parser: Parser): string {
  return `SELECT i.id AS "itemId", i.story_id AS "storyId", i.published_at AS "publishedAt", i.title
    FROM items i, ${QUERY[parser]} AS query
    WHERE i.fts @@ query AND i.story_id IS NOT NULL AND i.story_id <= @anchor
      AND (CAST(@since AS bigint) IS NULL OR i.published_at >= @since)
    ORDER BY i.id DESC LIMIT @scan`;
}

/**
 * ts_rank's weights are for D, C, B, A; higher is better, so it is negated onto bm25's scale. Normalization 1
 * divides by 1 + log(the item's length), as bm25 favours the shorter of two items holding a term: over a day of
 * real items (3,322) stored in both stores, the top five stories of 15 queries agreed on 58 of 75 with it, 46
 * without it (2, by length: 50).
 */
const RANKED: Record<Parser, string> = {
  websearch: ranked('websearch'),
  prefix: ranked('prefix'),
};

function ranked(parser: Parser): string {
  return `SELECT i.story_id AS "storyId", -ts_rank('{0, 0, 0.333, 1}', i.fts, query, 1) AS rank,
      i.published_at AS "publishedAt"
    FROM items i, ${QUERY[parser]} AS query
    WHERE i.id IN (SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(@ids AS json)))`;
}
