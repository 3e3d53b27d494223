import type { Params } from './sql.js';

/**
 * The store's queries name parameters as better-sqlite3 reads them: `@name` with an object, `?` with
 * an array. PostgreSQL reads only `$1…`, so the PostgreSQL driver rewrites each query once (the
 * rewrite is cached per SQL text) and binds values in `$n` order. Nothing inside a quoted string,
 * a quoted identifier, a dollar-quoted body or a comment is a parameter, and `@@` (the tsvector
 * match operator) is an operator. Mistakes fail as they do on SQLite: a name missing from the
 * object, or too few or too many values, is an error naming the query's parameters.
 */
export interface Rewritten {
  /** The query with `$1…` in place of its parameters. */
  text: string;
  /** For `@name` queries: the names, in `$n` order (a repeated name has one `$n`). */
  names: string[];
  /** For `?` queries: how many values it takes. */
  positional: number;
  /**
   * For a query with parameters: the name it is prepared under on each connection, so PostgreSQL
   * plans it once per connection, not at every call (the story index's candidate lookup took 5 ms
   * to plan and 0.5 ms to run). Unique per text for the process's life; a query without parameters
   * stays unnamed, since a prepared statement holds one statement and exec() may send several.
   */
  name?: string;
}

let prepared = 0;

export function rewriteParams(sql: string): Rewritten {
  let hit = cache.get(sql);
  if (!hit) {
    hit = rewrite(sql);
    if (hit.names.length > 0 || hit.positional > 0) hit.name = `wd_${++prepared}`;
    // Queries are mostly fixed texts; the few built per call (n placeholders for n values) must not grow it for ever.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(sql, hit);
  }
  return hit;
}

/** The values of `params` in `$n` order for a rewritten query. */
export function bindValues(q: Rewritten, params: Params | undefined): unknown[] {
  if (q.names.length > 0) {
    if (params === undefined || Array.isArray(params)) {
      throw new Error(`this query takes named parameters (@${q.names.join(', @')}): pass an object`);
    }
    const named = params as Record<string, unknown>;
    return q.names.map((name) => {
      if (!(name in named)) throw new Error(`missing named parameter "${name}"`);
      // better-sqlite3 binds undefined as NULL; pg would too, but say it here so both read the same.
      return named[name] ?? null;
    });
  }
  const values = Array.isArray(params) ? (params as unknown[]) : [];
  if (values.length !== q.positional) {
    const what = params !== undefined && !Array.isArray(params) ? 'an object' : `${values.length} value(s)`;
    throw new Error(`this query takes ${q.positional} positional parameter(s) (?), and was given ${what}`);
  }
  return values.map((v) => v ?? null);
}

const CACHE_LIMIT = 2_000;
const cache = new Map<string, Rewritten>();

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

function rewrite(sql: string): Rewritten {
  const names: string[] = [];
  let positional = 0;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const skip = quotedOrComment(sql, i);
    if (skip > i) {
      out += sql.slice(i, skip);
      i = skip;
    } else if (c === '@' && sql[i + 1] === '@') {
      out += '@@';
      i += 2;
    } else if (c === '@' && IDENT_START.test(sql[i + 1] ?? '')) {
      let end = i + 2;
      while (end < sql.length && IDENT.test(sql[end] as string)) end++;
      const name = sql.slice(i + 1, end);
      let n = names.indexOf(name);
      if (n < 0) n = names.push(name) - 1;
      out += `$${n + 1}`;
      i = end;
    } else if (c === '?') {
      positional++;
      out += `$${positional}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (names.length > 0 && positional > 0) {
    throw new Error(`a query mixes @name and ? parameters; use one kind: ${sql.slice(0, 200)}`);
  }
  return { text: out, names, positional };
}

/**
 * Where the quoted string, quoted identifier, dollar-quoted body or comment starting at `i` ends
 * (just past it), or `i` when none starts there. An unterminated one runs to the end of the text,
 * as PostgreSQL would read it (and then refuse the query).
 */
function quotedOrComment(sql: string, i: number): number {
  const c = sql[i];
  const next = sql[i + 1];
  if (c === "'") {
    // E'…' strings escape with backslashes; standard strings only by doubling the quote.
    const before = sql[i - 1];
    const escapes = (before === 'E' || before === 'e') && !IDENT.test(sql[i - 2] ?? '');
    return closingQuote(sql, i + 1, "'", escapes);
  }
  if (c === '"') return closingQuote(sql, i + 1, '"', false);
  if (c === '-' && next === '-') {
    const end = sql.indexOf('\n', i + 2);
    return end < 0 ? sql.length : end + 1;
  }
  if (c === '/' && next === '*') return blockCommentEnd(sql, i);
  if (c === '$' && !IDENT.test(sql[i - 1] ?? '')) {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
    if (tag) {
      const end = sql.indexOf(tag[0], i + tag[0].length);
      return end < 0 ? sql.length : end + tag[0].length;
    }
  }
  return i;
}

function closingQuote(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let j = from;
  while (j < sql.length) {
    const ch = sql[j];
    if (backslashEscapes && ch === '\\') j += 2;
    else if (ch === quote && sql[j + 1] === quote) j += 2;
    else if (ch === quote) return j + 1;
    else j++;
  }
  return sql.length;
}

/** PostgreSQL's block comments nest. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  let j = start;
  while (j < sql.length) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return sql.length;
}
