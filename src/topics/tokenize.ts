import type { ClassifiableText } from './types.js';

/**
 * Document and query text share one tokenizer, so that whatever folding applies to an article
 * applies identically to the query terms it is compared with.
 *
 * A word is a run of letters/digits, optionally joined by apostrophes (don't, o'brien). Case and
 * diacritics are dropped, a trailing possessive `'s` is removed, and simple English plurals are
 * folded (platforms → platform, policies → policy, children → child). Folding is deliberately
 * crude but symmetric: "news" and "new" collide, which is harmless for topic queries.
 */
export interface WordToken {
  /** Lowercased, diacritics and possessive removed, not plural-folded; prefix wildcards see this too. */
  raw: string;
  /** raw with plurals folded; exact terms compare on this. */
  norm: string;
}

/** One document, tokenized once and shared by every query and topic that looks at it. */
export interface PreparedText {
  title: FieldIndex;
  content: FieldIndex;
}

export function prepareText(doc: ClassifiableText): PreparedText {
  return { title: new FieldIndex(doc.title ?? ''), content: new FieldIndex(doc.content ?? '') };
}

export function tokenizeWords(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of normalizeText(text).matchAll(WORD)) {
    const raw = stripPossessive(m[0]);
    out.push({ raw, norm: foldWord(raw) });
  }
  return out;
}

/** Lowercase, strip diacritics, unify apostrophes. */
export function normalizeText(text: string): string {
  // Most feed text is ASCII; Unicode normalization is the costliest step, so skip it there.
  if (ASCII.test(text)) return text.toLowerCase().replace(/`/g, "'");
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'");
}

/** Folds a plural (already lowercased, possessive removed) to the form its singular also folds to. */
export function foldWord(word: string): string {
  const irregular = IRREGULAR_PLURALS.get(word);
  if (irregular) return irregular;
  if (word.length < 3 || /\d/.test(word) || !word.endsWith('s')) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:sses|ches|shes|xes|zzes)$/.test(word)) return word.slice(0, -2);
  if (/(?:ss|us|is)$/.test(word)) return word;
  return word.slice(0, -1);
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
    const tokens = tokenizeWords(text);
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

const ASCII = /^[\x00-\x7f]*$/;
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
const EMPTY: readonly number[] = Object.freeze([]);
const IRREGULAR_PLURALS = new Map([
  ['children', 'child'],
  ['women', 'woman'],
  ['men', 'man'],
]);

function stripPossessive(word: string): string {
  return word.length > 2 && word.endsWith("'s") ? word.slice(0, -2) : word;
}

function push(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}
