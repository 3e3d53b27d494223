import { matchWords } from '../text/words.js';
import type { ClassifiableText } from './types.js';

/**
 * The topic matcher's index of one document: the positions of its words (matchWords, the same
 * tokenizer the query parser uses on query terms), built once and shared by every query and
 * topic that looks at it.
 */
export interface DocumentIndex {
  title: FieldIndex;
  content: FieldIndex;
}

export function indexDocument(doc: ClassifiableText): DocumentIndex {
  return { title: new FieldIndex(doc.title ?? ''), content: new FieldIndex(doc.content ?? '') };
}

/** The first index whose value is not below `target` (binary search over an ascending array). */
export function lowerBound<T extends string | number>(sorted: readonly T[], target: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Positions of every token of one field, with memoized lookups for exact and prefix terms. */
export class FieldIndex {
  readonly length: number;
  private readonly exact = new Map<string, number[]>();
  private readonly any = new Map<string, number[]>();
  private sortedKeys: string[] | undefined;
  private readonly prefixMemo = new Map<string, number[]>();
  /** Phrase counts by phrase key, shared by all the topics that use the same phrase. */
  readonly phraseCounts = new Map<string, number>();

  constructor(text: string) {
    const tokens = matchWords(text);
    this.length = tokens.length;
    tokens.forEach((t, i) => {
      push(this.exact, t.norm, i);
      push(this.any, t.norm, i);
      if (t.raw !== t.norm) push(this.any, t.raw, i);
    });
  }

  /** Sorted positions of tokens whose folded form equals `norm`. */
  positionsOf(norm: string): readonly number[] {
    return this.exact.get(norm) ?? EMPTY;
  }

  /** Sorted positions of tokens whose raw or folded form starts with `stem`. */
  positionsWithPrefix(stem: string): readonly number[] {
    const memo = this.prefixMemo.get(stem);
    if (memo) return memo;
    this.sortedKeys ??= [...this.any.keys()].sort();
    const keys = this.sortedKeys;
    const found = new Set<number>();
    for (let i = lowerBound(keys, stem); i < keys.length && keys[i]!.startsWith(stem); i++) {
      for (const p of this.any.get(keys[i]!) ?? EMPTY) found.add(p);
    }
    const positions = [...found].sort((a, b) => a - b);
    this.prefixMemo.set(stem, positions);
    return positions;
  }
}

const EMPTY: readonly number[] = Object.freeze([]);
function push(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}
