import { QuerySyntaxError } from './query-error.js';
import type { FieldName } from './types.js';

/** The lexical units of a topic query; `pos` is the 0-based offset of the token's first character. */
export type Token =
  | { type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus' | 'eof'; pos: number }
  | { type: 'field'; name: FieldName; pos: number }
  | { type: 'word'; text: string; pos: number }
  | { type: 'phrase'; text: string; pos: number };

/** Field names a query may scope to; `text` and `body` are aliases of the content field. */
export const FIELD_ALIASES: ReadonlyMap<string, FieldName> = new Map([
  ['title', 'title'],
  ['content', 'content'],
  ['text', 'content'],
  ['body', 'content'],
]);

export function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'lparen' : 'rparen', pos: i });
      i++;
    } else if (OPEN_QUOTES.has(ch)) {
      const end = findClosingQuote(source, i + 1);
      if (end < 0) throw new QuerySyntaxError('unterminated phrase: the closing quote is missing', i);
      tokens.push({ type: 'phrase', text: source.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if (ch === '-' && i + 1 < source.length && !/[\s)]/.test(source[i + 1]!)) {
      tokens.push({ type: 'minus', pos: i });
      i++;
    } else {
      i = lexBare(source, i, tokens);
    }
  }
  tokens.push({ type: 'eof', pos: source.length });
  return tokens;
}

const OPEN_QUOTES = new Set(['"', '\u201c']);
const CLOSE_QUOTES = new Set(['"', '\u201d']);
const KEYWORDS = new Map([
  ['AND', 'and'],
  ['OR', 'or'],
  ['NOT', 'not'],
] as const);

function findClosingQuote(source: string, from: number): number {
  for (let j = from; j < source.length; j++) if (CLOSE_QUOTES.has(source[j]!)) return j;
  return -1;
}

/** A bare word, keyword or `field:` prefix; returns the index just after it. */
function lexBare(source: string, start: number, tokens: Token[]): number {
  let j = start;
  while (j < source.length && !/[\s()":\u201c\u201d]/.test(source[j]!)) j++;
  const text = source.slice(start, j);
  if (source[j] === ':') {
    if (text === '') throw new QuerySyntaxError("':' must follow a field name such as title:", j);
    const field = FIELD_ALIASES.get(text.toLowerCase());
    if (!field) {
      throw new QuerySyntaxError(`unknown field "${text}" (known fields: title, content)`, start);
    }
    tokens.push({ type: 'field', name: field, pos: start });
    return j + 1;
  }
  if (text === '') throw new QuerySyntaxError(`unexpected ${JSON.stringify(source[j])} with no opening quote`, j);
  const keyword = KEYWORDS.get(text as 'AND' | 'OR' | 'NOT');
  if (keyword) tokens.push({ type: keyword, pos: start });
  else tokens.push({ type: 'word', text, pos: start });
  return j;
}
