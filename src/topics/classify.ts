import type { TopicConfig } from '../config/schema.js';
import { leadingText } from '../text/leading.js';
import { indexDocument } from './field-index.js';
import { type CompiledQuery, compileQuery, QuerySyntaxError } from './query.js';
import type { ClassifiableText, TermHit, TopicMatch } from './types.js';

export interface CompiledTopic {
  id: string;
  name: string;
  query: CompiledQuery;
  /** The topic's negative context: a document that matches it never gets the topic. */
  not: CompiledQuery | null;
  /** A match scoring below this does not count. */
  minScore: number;
}

/** Compiles every topic's queries once; a bad query throws QuerySyntaxError naming the topic. */
export function compileTopics(topics: Record<string, TopicConfig>): CompiledTopic[] {
  return Object.entries(topics).map(([id, topic]) => ({
    id,
    name: topic.name,
    query: compileNamed(id, 'query', topic.query),
    not: topic.not === undefined ? null : compileNamed(id, 'not', topic.not),
    minScore: topic.minScore ?? 0,
  }));
}

/**
 * Classification reads the title and the opening 50,000 characters (about 8,000 words) of the
 * content: an article states what it is about long before that, and tokenizing a multi-megabyte
 * item whole would stall the bot for seconds.
 */
export const MAX_CONTENT_CHARS = 50_000;

/**
 * The topics a document matches, best score first; the document is tokenized once for all of them.
 * A topic counts when its query matches with at least its minScore and its `not` query does not
 * match; the explanation lists exactly the query terms that made the match.
 */
export function classify(doc: ClassifiableText, topics: readonly CompiledTopic[]): TopicMatch[] {
  const prepared = indexDocument({ ...doc, content: leadingText(doc.content ?? '', MAX_CONTENT_CHARS) });
  const matches: TopicMatch[] = [];
  for (const topic of topics) {
    const m = topic.query.matchPrepared(prepared);
    if (!m || m.score < topic.minScore || topic.not?.matchPrepared(prepared)) continue;
    matches.push({ topic: topic.id, score: m.score, hits: m.hits, explanation: explainHits(m.hits) });
  }
  return matches.sort((a, b) => b.score - a.score || a.topic.localeCompare(b.topic));
}

function compileNamed(id: string, key: 'query' | 'not', source: string): CompiledQuery {
  try {
    return compileQuery(source);
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      throw new QuerySyntaxError(`topic ${id}${key === 'not' ? ' (not)' : ''}: ${err.message}`, err.position);
    }
    throw err;
  }
}

/** One readable line, e.g. `"Section 230" ×2, Backpage in text; title: "platform liability"`. */
export function explainHits(hits: readonly TermHit[]): string {
  const part = (field: TermHit['field']) =>
    hits
      .filter((h) => h.field === field)
      .map((h) => (h.count > 1 ? `${h.term} ×${h.count}` : h.term))
      .join(', ');
  const content = part('content');
  const title = part('title');
  return [content && `${content} in text`, title && `title: ${title}`].filter(Boolean).join('; ');
}
