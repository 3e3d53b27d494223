import { type DocumentIndex, type FieldIndex, lowerBound } from './field-index.js';
import type { QueryNode, QueryWord } from './parser.js';
import type { FieldName, TermHit } from './types.js';

/** A compiled query tree: null when the document does not satisfy it, else the hits that satisfied it. */
export type Evaluator = (doc: DocumentIndex) => TermHit[] | null;

/** Turns the AST into nested closures once, so matching a document walks no syntax. */
export function compileNode(node: QueryNode): Evaluator {
  switch (node.kind) {
    case 'match':
      return compileMatch(node.words, node.field, node.label);
    case 'not': {
      const child = compileNode(node.child);
      // A negation contributes no hits: it only filters.
      return (doc) => (child(doc) === null ? [] : null);
    }
    case 'and': {
      const children = node.children.map(compileNode);
      return (doc) => {
        const hits: TermHit[] = [];
        for (const child of children) {
          const r = child(doc);
          if (r === null) return null;
          hits.push(...r);
        }
        return hits;
      };
    }
    case 'or': {
      const children = node.children.map(compileNode);
      return (doc) => {
        // Every satisfied branch is evaluated, so the explanation lists all the terms that fired.
        const hits: TermHit[] = [];
        let satisfied = false;
        for (const child of children) {
          const r = child(doc);
          if (r === null) continue;
          satisfied = true;
          hits.push(...r);
        }
        return satisfied ? hits : null;
      };
    }
  }
}

/**
 * Merges hits of the same term and field (a term may appear in several branches) and orders them:
 * title before content, then by count.
 */
export function mergeHits(hits: TermHit[]): TermHit[] {
  const byKey = new Map<string, TermHit>();
  for (const h of hits) {
    const key = `${h.field}\u0000${h.term}`;
    const prior = byKey.get(key);
    if (!prior || prior.count < h.count) byKey.set(key, { ...h });
  }
  return [...byKey.values()].sort(
    (a, b) => (a.field === b.field ? 0 : a.field === 'title' ? -1 : 1) || b.count - a.count,
  );
}

/** A title hit is worth this many content hits. */
export const TITLE_WEIGHT = 2.5;
/** Evidence at which the score reaches 1 - 1/e ≈ 0.63. */
const SCORE_SCALE = 4;

/**
 * Score in (0, 1): each distinct (term, field) hit adds weight × (1 + ln count), where weight is
 * TITLE_WEIGHT for the title and 1 for the content; the sum s maps to 1 - e^(-s/4). So more
 * distinct terms raise the score, repeats add less and less, and one content mention of one term
 * scores about 0.22, one title mention about 0.46, and a title hit plus two terms each repeated three times
 * in the text about 0.81. Rounded to 3 decimals, never below 0.001.
 */
export function scoreHits(hits: readonly TermHit[]): number {
  let evidence = 0;
  for (const h of hits) {
    if (h.count <= 0) continue;
    evidence += (h.field === 'title' ? TITLE_WEIGHT : 1) * (1 + Math.log(h.count));
  }
  const score = 1 - Math.exp(-evidence / SCORE_SCALE);
  return Math.max(0.001, Math.round(score * 1000) / 1000);
}

function compileMatch(words: QueryWord[], field: FieldName | null, label: string): Evaluator {
  const fields: FieldName[] = field ? [field] : ['title', 'content'];
  const count = words.length === 1 ? countWord(words[0]!) : countPhrase(words);
  return (doc) => {
    const hits: TermHit[] = [];
    for (const f of fields) {
      const n = count(doc[f]);
      if (n > 0) hits.push({ term: label, field: f, count: n });
    }
    return hits.length > 0 ? hits : null;
  };
}

function positions(index: FieldIndex, word: QueryWord): readonly number[] {
  return word.prefix ? index.positionsWithPrefix(word.text) : index.positionsOf(word.text);
}

function countWord(word: QueryWord): (index: FieldIndex) => number {
  return (index) => positions(index, word).length;
}

function countPhrase(words: QueryWord[]): (index: FieldIndex) => number {
  const key = words.map((w) => (w.prefix ? `${w.text}*` : w.text)).join(' ');
  return (index) => {
    const memo = index.phraseCounts.get(key);
    if (memo !== undefined) return memo;
    const lists = words.map((w) => positions(index, w));
    let n = 0;
    if (lists.every((l) => l.length > 0)) {
      for (const start of lists[0]!) {
        if (lists.every((l, i) => i === 0 || l[lowerBound(l, start + i)] === start + i)) n++;
      }
    }
    index.phraseCounts.set(key, n);
    return n;
  };
}
