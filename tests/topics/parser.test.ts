import { describe, expect, it } from 'vitest';
import { parseQuery, type QueryNode } from '../../src/topics/parser.js';
import { QuerySyntaxError } from '../../src/topics/query.js';

/** Renders the AST as an s-expression so precedence is easy to read in assertions. */
function show(node: QueryNode): string {
  switch (node.kind) {
    case 'match': {
      const words = node.words.map((w) => (w.prefix ? `${w.text}*` : w.text)).join(' ');
      const body = node.words.length > 1 ? `"${words}"` : words;
      return node.field ? `${node.field}:${body}` : body;
    }
    case 'not':
      return `(NOT ${show(node.child)})`;
    default:
      return `(${node.kind.toUpperCase()} ${node.children.map(show).join(' ')})`;
  }
}

describe('topics/parser', () => {
  it.each([
    ['a', 'a'],
    ['a b c', '(OR a b c)'],
    ['a OR b AND c', '(OR a (AND b c))'],
    ['a AND b OR c', '(OR (AND a b) c)'],
    ['a b AND NOT c', '(OR a (AND b (NOT c)))'],
    ['NOT a AND b', '(AND (NOT a) b)'],
    ['NOT NOT a', '(NOT (NOT a))'],
    ['(a OR b) AND c', '(AND (OR a b) c)'],
    ['a AND (b OR (c AND d))', '(AND a (OR b (AND c d)))'],
    // an implicit operator before a negation is AND, so exclusions work as people expect
    ['trafficking NOT drug', '(AND trafficking (NOT drug))'],
    ['trafficking -drug -cartel', '(AND trafficking (NOT drug) (NOT cartel))'],
    ['a -"b c"', '(AND a (NOT "b c"))'],
    ['a -(b c)', '(AND a (NOT (OR b c)))'],
    ['-drug trafficking', '(AND (NOT drug) trafficking)'],
    ['NOT drug "sex trafficking" OR TVPA', '(OR (AND (NOT drug) "sex trafficking") tvpa)'],
    ['-a b c', '(OR (AND (NOT a) b) c)'],
    // lower-case keywords are plain words
    ['a and b', '(OR a and b)'],
    ['"Section 230"', '"section 230"'],
    ['FOSTA-SESTA', '"fosta sesta"'],
    ['“curly quotes”', '"curly quote"'],
    ['traffick*', 'traffick*'],
    ['"platform liab*"', '"platform liab*"'],
    ['Platforms', 'platform'],
    ['title:Backpage', 'title:backpage'],
    ['title:"age verification"', 'title:"age verification"'],
    ['title:(a OR b) c', '(OR (OR title:a title:b) c)'],
    ['text:a body:b content:c', '(OR content:a content:b content:c)'],
    ['NOT title:a b', '(AND (NOT title:a) b)'],
    ['NOT title:a OR b', '(OR (NOT title:a) b)'],
  ])('parses %s as %s', (source, expected) => {
    expect(show(parseQuery(source))).toBe(expected);
  });

  it.each([
    ['', 'empty query', 0],
    ['   ', 'empty query', 0],
    ['(a OR b', 'unbalanced parenthesis', 0],
    ['a AND (b OR (c)', 'unbalanced parenthesis', 6],
    ['a OR b)', 'unbalanced parenthesis', 6],
    ['()', 'empty parentheses', 0],
    ['a AND', 'dangling AND', 2],
    ['a OR', 'dangling OR', 2],
    ['a NOT', 'dangling NOT', 2],
    ['AND a', 'dangling AND', 0],
    ['a OR AND b', 'dangling OR', 2],
    ['(a AND) b', 'dangling AND', 3],
    ['""', 'empty phrase', 0],
    ['a "  "', 'empty phrase', 2],
    ['a "b c', 'unterminated phrase', 2],
    ['ab*', 'too short', 0],
    ['x "platform li*"', 'too short', 12],
    ['tr*ff', "'*' may only end a term", 2],
    ['*', "'*' must follow", 0],
    ['author:smith', 'unknown field "author"', 0],
    ['a url:(x)', 'unknown field "url"', 2],
    ['title:', 'title: must be followed by a term', 0],
    ['title:(content:x)', 'cannot appear inside another field scope', 7],
    ['NOT a', 'at least one term that is not negated', 0],
    ['a &', 'has no letters or digits', 2],
  ])('rejects %j with "%s" at %i', (source, message, position) => {
    let caught: unknown;
    try {
      parseQuery(source);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QuerySyntaxError);
    expect((caught as QuerySyntaxError).message).toContain(message);
    expect((caught as QuerySyntaxError).position).toBe(position);
  });

  it('refuses nesting past 200 levels with a position, rather than overflowing the stack', () => {
    expect(show(parseQuery(`${'('.repeat(200)}a${')'.repeat(200)}`))).toBe('a');
    for (const [source, position] of [
      [`${'('.repeat(201)}a${')'.repeat(201)}`, 200],
      [`${'NOT '.repeat(20_000)}a`, 800],
    ] as const) {
      let caught: unknown;
      try {
        parseQuery(source);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(QuerySyntaxError);
      expect((caught as QuerySyntaxError).message).toContain('nested too deeply');
      expect((caught as QuerySyntaxError).position).toBe(position);
    }
  });
});
