import { type DocumentIndex, indexDocument } from './field-index.js';
import { compileNode, mergeHits, scoreHits } from './matcher.js';
import { parseQuery } from './parser.js';
import type { ClassifiableText, TermHit } from './types.js';

export { QuerySyntaxError } from './query-error.js';

export interface QueryMatch {
  /** In (0, 1); see scoreHits in matcher.ts for the formula. */
  score: number;
  hits: TermHit[];
}

export interface CompiledQuery {
  source: string;
  /** null when the query does not match; else a score > 0 and the hits that explain it. */
  match(doc: ClassifiableText): QueryMatch | null;
  /** The same on a document indexed once with indexDocument, to share among many queries. */
  matchPrepared(doc: DocumentIndex): QueryMatch | null;
}

/**
 * Parses and compiles a topic query once; throws QuerySyntaxError (with a 0-based position) when
 * it is invalid. The grammar is documented in parser.ts. A document matches when the boolean
 * expression holds and at least one non-negated term was found in it.
 */
export function compileQuery(source: string): CompiledQuery {
  const evaluate = compileNode(parseQuery(source));
  const matchPrepared = (doc: DocumentIndex): QueryMatch | null => {
    const raw = evaluate(doc);
    if (raw === null || raw.length === 0) return null;
    const hits = mergeHits(raw);
    return { score: scoreHits(hits), hits };
  };
  return { source, match: (doc) => matchPrepared(indexDocument(doc)), matchPrepared };
}
