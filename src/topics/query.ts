import type { ClassifiableText, TermHit } from './types.js';

/** A syntax error in a topic query, with the 0-based character position where it was found. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

export interface CompiledQuery {
  source: string;
  /** null when the query does not match; else a score > 0 and the hits that explain it. */
  match(doc: ClassifiableText): { score: number; hits: TermHit[] } | null;
}

// PLACEHOLDER: replaced by the topics implementation.
export function compileQuery(source: string): CompiledQuery {
  return { source, match: () => null };
}
