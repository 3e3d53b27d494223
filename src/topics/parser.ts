/**
 * Topic query parser.
 *
 * Grammar (precedence, tightest first: field scope, NOT, AND, OR):
 *
 *   query    := or EOF
 *   or       := and ( [ "OR" ] and )*          -- two terms side by side mean OR ...
 *   and      := unary ( [ "AND" ] unary )*      -- ... but AND when either one is a negation
 *   negation := ( "NOT" | "-" ) unary
 *   unary    := negation | primary                -- "-" only when glued to what it negates: -drug
 *   primary  := [ FIELD ":" ] atom                -- FIELD is title, or content (aliases: text, body)
 *   atom     := "(" or ")" | PHRASE | WORD
 *   PHRASE   := '"' words '"'                     -- words in this order, adjacent
 *   WORD     := letters/digits, optionally ending in "*" (prefix wildcard, stem of 3+ characters)
 *
 * So `a b AND NOT c` means `a OR (b AND (NOT c))`, and both `trafficking NOT drug` and
 * `-drug trafficking` mean `trafficking AND NOT drug` (an OR-ed negation would match almost
 * everything); `-a b c` means `((NOT a) AND b) OR c`. AND/OR/NOT are keywords only in upper
 * case; lower-case "and" is an ordinary word. A word with inner punctuation (FOSTA-SESTA) is a
 * phrase of its parts. Field scopes do not nest. Every error carries the 0-based offset where it was found.
 */

import { matchWords } from '../text/words.js';
import { lex, type Token } from './lexer.js';
import { QuerySyntaxError } from './query-error.js';
import type { FieldName } from './types.js';

/** One word of a term or phrase: a folded word, or a prefix stem when `prefix`. */
export interface QueryWord {
  text: string;
  prefix: boolean;
}

export type QueryNode =
  /** A term (one word) or a phrase (several adjacent words); label is how the query spelled it. */
  | { kind: 'match'; words: QueryWord[]; field: FieldName | null; label: string }
  | { kind: 'and' | 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

export function parseQuery(source: string): QueryNode {
  const parser = new Parser(lex(source));
  const node = parser.parseTop();
  if (!hasPositiveTerm(node, false)) {
    throw new QuerySyntaxError('the query needs at least one term that is not negated', 0);
  }
  return node;
}

/** Deeper nesting than any real topic needs; past it, a query would overflow the call stack. */
export const MAX_QUERY_DEPTH = 200;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parseTop(): QueryNode {
    const node = this.parseOr(null);
    const next = this.peek();
    if (next.type === 'rparen') {
      throw new QuerySyntaxError("unbalanced parenthesis: ')' has no matching '('", next.pos);
    }
    return node;
  }

  private parseOr(scope: FieldName | null): QueryNode {
    const children = [this.parseAnd(scope)];
    for (;;) {
      const next = this.peek();
      if (next.type === 'or') {
        this.i++;
        children.push(this.parseAnd(scope));
      } else if (STARTS_OPERAND.has(next.type)) {
        children.push(this.parseAnd(scope));
      } else {
        break;
      }
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private parseAnd(scope: FieldName | null): QueryNode {
    const children = [this.parseUnary(scope)];
    for (;;) {
      const next = this.peek().type;
      if (next === 'and') this.i++;
      else if (!(next === 'not' || next === 'minus' || (STARTS_OPERAND.has(next) && children.at(-1)?.kind === 'not')))
        break;
      children.push(this.parseUnary(scope));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private parseUnary(scope: FieldName | null): QueryNode {
    const next = this.peek();
    if (next.type === 'not' || next.type === 'minus') {
      this.i++;
      this.enter(next.pos);
      const child = this.parseUnary(scope);
      this.depth--;
      return { kind: 'not', child };
    }
    return this.parsePrimary(scope);
  }

  private parsePrimary(scope: FieldName | null): QueryNode {
    const token = this.peek();
    if (token.type === 'field') {
      if (scope) throw new QuerySyntaxError(`${token.name}: cannot appear inside another field scope`, token.pos);
      this.i++;
      const inner = this.peek();
      if (inner.type !== 'lparen' && inner.type !== 'phrase' && inner.type !== 'word') {
        throw new QuerySyntaxError(`${token.name}: must be followed by a term, a phrase or "("`, token.pos);
      }
      return this.parsePrimary(token.name);
    }
    if (token.type === 'lparen') {
      this.i++;
      this.enter(token.pos);
      const inner = this.parseOr(scope);
      this.depth--;
      const close = this.peek();
      if (close.type !== 'rparen') {
        throw new QuerySyntaxError("unbalanced parenthesis: '(' is never closed", token.pos);
      }
      this.i++;
      return inner;
    }
    if (token.type === 'word') {
      this.i++;
      return { kind: 'match', words: wordsOf(token.text, token.pos, false), field: scope, label: token.text };
    }
    if (token.type === 'phrase') {
      this.i++;
      const words = phraseWords(token.text, token.pos);
      return { kind: 'match', words, field: scope, label: `"${token.text.trim().replace(/\s+/g, ' ')}"` };
    }
    throw this.missingOperand(token);
  }

  /** Explains why a term was expected at `token` and none is there. */
  private missingOperand(token: Token): QuerySyntaxError {
    const prev = this.i > 0 ? this.tokens[this.i - 1] : undefined;
    const prevOp = prev && OPERATOR_NAMES[prev.type];
    if (token.type === 'eof') {
      if (prev && prevOp) return new QuerySyntaxError(`dangling ${prevOp}: nothing follows it`, prev.pos);
      return new QuerySyntaxError('empty query', 0);
    }
    if (token.type === 'rparen') {
      if (prev?.type === 'lparen') return new QuerySyntaxError('empty parentheses', prev.pos);
      if (prev && prevOp) return new QuerySyntaxError(`dangling ${prevOp}: nothing follows it`, prev.pos);
      return new QuerySyntaxError("unbalanced parenthesis: ')' has no matching '('", token.pos);
    }
    const name = OPERATOR_NAMES[token.type] ?? token.type;
    if (prev && prevOp) {
      return new QuerySyntaxError(`dangling ${prevOp}: ${name} follows it with no term between them`, prev.pos);
    }
    return new QuerySyntaxError(`dangling ${name}: no term before it`, token.pos);
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_QUERY_DEPTH) {
      throw new QuerySyntaxError(`nested too deeply: more than ${MAX_QUERY_DEPTH} levels of parentheses or NOT`, pos);
    }
  }

  private peek(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }
}

const STARTS_OPERAND = new Set<Token['type']>(['word', 'phrase', 'lparen', 'field', 'not', 'minus']);
const OPERATOR_NAMES: Partial<Record<Token['type'], string>> = {
  and: 'AND',
  or: 'OR',
  not: 'NOT',
  minus: "'-'",
  lparen: "'('",
};

/** Splits one bare word (or phrase chunk) into query words; `inPhrase` tolerates chunks like "&". */
function wordsOf(text: string, pos: number, inPhrase: boolean): QueryWord[] {
  const star = text.indexOf('*');
  if (star >= 0 && star !== text.length - 1) {
    throw new QuerySyntaxError("'*' may only end a term (prefix wildcard)", pos + star);
  }
  const prefix = star >= 0;
  const stem = prefix ? text.slice(0, -1) : text;
  if (prefix && !/[\p{L}\p{N}]$/u.test(stem)) {
    throw new QuerySyntaxError("'*' must follow at least 3 letters or digits", pos + star);
  }
  const tokens = matchWords(stem);
  if (tokens.length === 0) {
    if (inPhrase) return [];
    throw new QuerySyntaxError(`term ${JSON.stringify(text)} has no letters or digits`, pos);
  }
  const words = tokens.map((t) => ({ text: t.norm, prefix: false }));
  if (prefix) {
    const last = tokens[tokens.length - 1]!;
    if ([...last.raw].length < 3) {
      throw new QuerySyntaxError(`wildcard stem "${last.raw}" is too short: use at least 3 characters before *`, pos);
    }
    words[words.length - 1] = { text: last.raw, prefix: true };
  }
  return words;
}

function phraseWords(text: string, quotePos: number): QueryWord[] {
  const words: QueryWord[] = [];
  for (const m of text.matchAll(/\S+/g)) words.push(...wordsOf(m[0], quotePos + 1 + m.index, true));
  if (words.length === 0) throw new QuerySyntaxError('empty phrase: put words between the quotes', quotePos);
  return words;
}

function hasPositiveTerm(node: QueryNode, negated: boolean): boolean {
  switch (node.kind) {
    case 'match':
      return !negated;
    case 'not':
      return hasPositiveTerm(node.child, !negated);
    default:
      return node.children.some((c) => hasPositiveTerm(c, negated));
  }
}
