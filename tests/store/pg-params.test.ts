import { describe, expect, it } from 'vitest';
import { bindValues, rewriteParams } from '../../src/store/pg-params.js';

describe('rewriteParams: @name and ? become $n, nowhere else', () => {
  it.each([
    [
      'named, in order of first use',
      'SELECT * FROM t WHERE a = @a AND b = @b',
      'SELECT * FROM t WHERE a = $1 AND b = $2',
    ],
    [
      'a repeated name reuses its $n',
      'WHERE (@since IS NULL OR x >= @since) AND y = @y',
      'WHERE ($1 IS NULL OR x >= $1) AND y = $2',
    ],
    ['positional', 'INSERT INTO t VALUES (?, ?, ?)', 'INSERT INTO t VALUES ($1, $2, $3)'],
    [
      '@@ is the match operator',
      "WHERE fts @@ websearch_to_tsquery('english', @q)",
      "WHERE fts @@ websearch_to_tsquery('english', $1)",
    ],
    ['inside a string', "SELECT 'who? @me' AS s, @x", "SELECT 'who? @me' AS s, $1"],
    ['a doubled quote stays inside the string', "SELECT 'it''s ? @a' || @b", "SELECT 'it''s ? @a' || $1"],
    ['E-strings escape with backslashes', "SELECT E'\\' ? @a' || ?", "SELECT E'\\' ? @a' || $1"],
    ['a quoted identifier', 'SELECT x AS "what?@a" FROM t WHERE id = ?', 'SELECT x AS "what?@a" FROM t WHERE id = $1'],
    ['a line comment', 'SELECT 1 -- is it? @a\nWHERE a = ?', 'SELECT 1 -- is it? @a\nWHERE a = $1'],
    ['a nested block comment', 'SELECT /* ? /* @a */ ? */ ?', 'SELECT /* ? /* @a */ ? */ $1'],
    ['a dollar-quoted body', 'SELECT $body$ ? @a $body$, $$ ? $$, @b', 'SELECT $body$ ? @a $body$, $$ ? $$, $1'],
    ['@ not followed by a name is an operator', 'SELECT @ -5, @x', 'SELECT @ -5, $1'],
    ['no parameters', "SELECT count(*) FROM t WHERE s = 'a'", "SELECT count(*) FROM t WHERE s = 'a'"],
  ])('%s', (_, sql, text) => {
    expect(rewriteParams(sql).text).toBe(text);
  });

  it('lists each name once, in $n order', () => {
    const q = rewriteParams('UPDATE t SET a = @now, b = @id WHERE c < @now');
    expect(q.names).toEqual(['now', 'id']);
    expect(bindValues(q, { id: 7, now: 1000, extra: 'ignored' })).toEqual([1000, 7]);
  });

  it('gives the same rewrite for the same text (cached)', () => {
    const sql = 'SELECT @a, @b';
    expect(rewriteParams(sql)).toBe(rewriteParams(sql));
  });

  it('names each text with parameters once, so each connection plans it once; a text without parameters none', () => {
    const a = rewriteParams('SELECT id FROM feeds WHERE url = @url AND id > @min');
    const b = rewriteParams('SELECT id FROM feeds WHERE id = ?');
    expect(a.name).toMatch(/^wd_\d+$/);
    expect(b.name).toMatch(/^wd_\d+$/);
    expect(a.name).not.toBe(b.name);
    expect(rewriteParams('SELECT id FROM feeds WHERE url = @url AND id > @min').name).toBe(a.name);
    expect(rewriteParams('UPDATE feeds SET in_config = 0; UPDATE kv SET value = 1').name).toBeUndefined();
  });

  it('binds undefined as NULL, as better-sqlite3 does', () => {
    expect(bindValues(rewriteParams('SELECT @a'), { a: undefined })).toEqual([null]);
    expect(bindValues(rewriteParams('SELECT ?'), [undefined])).toEqual([null]);
  });
});

describe('rewriteParams: mistakes fail as they do on SQLite', () => {
  it('a missing name', () => {
    expect(() => bindValues(rewriteParams('SELECT @a, @b'), { a: 1 })).toThrow('missing named parameter "b"');
  });

  it('too few or too many values', () => {
    const q = rewriteParams('SELECT ?, ?');
    expect(() => bindValues(q, [1])).toThrow('takes 2 positional parameter(s) (?), and was given 1 value(s)');
    expect(() => bindValues(q, [1, 2, 3])).toThrow('was given 3 value(s)');
    expect(() => bindValues(q, { a: 1 })).toThrow('was given an object');
  });

  it('an array for named parameters', () => {
    expect(() => bindValues(rewriteParams('SELECT @a'), [1])).toThrow('this query takes named parameters (@a)');
  });

  it('both kinds in one query', () => {
    expect(() => rewriteParams('SELECT @a, ?')).toThrow('mixes @name and ? parameters');
  });
});
