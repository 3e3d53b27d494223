/**
 * What the two full-text engines share (search-sqlite.ts: FTS5; search-postgres.ts: tsvector): the query they
 * answer, the hits they hand back, the terms of a match expression, and the ranking by title terms used when
 * more items match than a search ranks.
 */

/** The matching items one search reads: the newest `scan` of them (the caller asks for one more to tell "capped"). */
export interface HitQuery {
  /** ftsQuery's match expression (search.ts). */
  match: string;
  since: number | null;
  anchor: number;
  scan: number;
}

export interface Hit {
  storyId: number;
  /** Lower is better (bm25's scale). */
  rank: number;
  publishedAt: number;
}

export interface Hits {
  hits: Hit[];
  /** More items matched than `scan`: only the newest `scan` were ranked, by title terms. */
  capped: boolean;
}

/** One word or phrase of a match expression, its `""` unescaped; `or` when a bare OR joins it to the one before. */
export interface MatchTerm {
  text: string;
  prefix: boolean;
  or: boolean;
}

/** The terms of ftsQuery's match expression: quoted strings, each maybe a prefix (`"…"*`), maybe after OR. */
export function matchTerms(match: string): MatchTerm[] {
  const out: MatchTerm[] = [];
  for (const m of match.matchAll(/(OR )?"((?:[^"]|"")*)"(\*?)/g)) {
    out.push({ text: (m[2] as string).replace(/""/g, '"'), prefix: m[3] === '*', or: m[1] !== undefined });
  }
  return out;
}

/** Ranked minus the number of the query's words and phrases found in the title (the bm25 scale: lower is better). */
export function byTitleTerms(match: string, newest: (Hit & { title: string })[]): Hit[] {
  const terms = matchTerms(match).map((t) => ({ words: words(t.text), prefix: t.prefix }));
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
