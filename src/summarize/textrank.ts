/**
 * TF-IDF sentence vectors, their cosine-similarity graph and PageRank over it. Used by the
 * extractive summarizer and, as is, by the plain TextRank baseline in the evaluation.
 */
import { rankingTokens } from '../text/words.js';

/** A sparse unit-length TF-IDF vector: parallel arrays of term ids and weights. */
export interface SparseVector {
  ids: number[];
  weights: number[];
}

export interface PageRankOptions {
  damping?: number;
  iterations?: number;
  tolerance?: number;
  /** Teleport distribution (any non-negative weights); uniform when absent. */
  personalization?: number[];
}

/**
 * Plain TextRank: lower-case words without stop words (no stemming), TF-IDF with sentence-level
 * IDF, cosine graph, PageRank (d = 0.85), the k best sentences as indices in article order. This
 * is the evaluation's baseline, so it has no extras.
 */
export function plainTextRank(sentences: string[], k: number): number[] {
  if (sentences.length <= k) return sentences.map((_, i) => i);
  return textRankOrder(sentences)
    .slice(0, k)
    .sort((a, b) => a - b);
}

/** Every sentence index by plain TextRank score, best first: the ranking plainTextRank cuts at k. */
export function textRankOrder(sentences: string[]): number[] {
  const vectors = tfidfVectors(sentences.map((s) => rankingTokens(s, { stem: false })));
  return topK(pageRank(similarityMatrix(vectors)), sentences.length);
}

/** Builds TF-IDF vectors, treating each token list as one document; IDF is ln(1 + n/df). */
export function tfidfVectors(docs: string[][]): SparseVector[] {
  return termVectors(docs, 'tfidf');
}

/**
 * Unit-length term vectors. 'tf' weighs raw counts: inside one article, the words many sentences
 * share are what the article is about, so down-weighting them (as IDF does) hides the centre.
 */
export function termVectors(docs: string[][], weighting: 'tf' | 'tfidf'): SparseVector[] {
  const ids = new Map<string, number>();
  const df = new Map<string, number>();
  for (const doc of docs) {
    for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = docs.length;
  return docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: SparseVector = { ids: [], weights: [] };
    let norm = 0;
    for (const [t, f] of tf) {
      let id = ids.get(t);
      if (id === undefined) {
        id = ids.size;
        ids.set(t, id);
      }
      const idf = weighting === 'tf' ? 1 : Math.log(1 + n / (df.get(t) ?? 1));
      const w = f * idf;
      v.ids.push(id);
      v.weights.push(w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < v.weights.length; i++) v.weights[i]! /= norm;
    return v;
  });
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  if (a.ids.length > b.ids.length) [a, b] = [b, a];
  const lookup = new Map<number, number>();
  for (let i = 0; i < b.ids.length; i++) lookup.set(b.ids[i]!, b.weights[i]!);
  let dot = 0;
  for (let i = 0; i < a.ids.length; i++) dot += a.weights[i]! * (lookup.get(a.ids[i]!) ?? 0);
  return dot;
}

/** Symmetric similarity matrix with a zero diagonal. */
export function similarityMatrix(vectors: SparseVector[]): number[][] {
  const n = vectors.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  // One lookup table per vector, built once rather than once per pair.
  const tables = vectors.map((v) => new Map(v.ids.map((id, k) => [id, v.weights[k]!])));
  for (let i = 0; i < n; i++) {
    const a = vectors[i]!;
    for (let j = i + 1; j < n; j++) {
      const table = tables[j]!;
      let dot = 0;
      for (let k = 0; k < a.ids.length; k++) dot += a.weights[k]! * (table.get(a.ids[k]!) ?? 0);
      m[i]![j] = dot;
      m[j]![i] = dot;
    }
  }
  return m;
}

/** Weighted PageRank by power iteration; rows with no edges spread their rank by the teleport vector. */
export function pageRank(matrix: number[][], opts: PageRankOptions = {}): number[] {
  const n = matrix.length;
  if (n === 0) return [];
  const d = opts.damping ?? 0.85;
  const iterations = opts.iterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-8;
  const teleport = normalize(opts.personalization ?? new Array<number>(n).fill(1));
  const outSum = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  let rank = teleport.slice();
  for (let it = 0; it < iterations; it++) {
    const next = new Array<number>(n).fill(0);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const ri = rank[i]!;
      const total = outSum[i]!;
      if (total <= 0) {
        dangling += ri;
        continue;
      }
      const row = matrix[i]!;
      for (let j = 0; j < n; j++) {
        const w = row[j]!;
        if (w > 0) next[j]! += (ri * w) / total;
      }
    }
    let delta = 0;
    for (let j = 0; j < n; j++) {
      const v = (1 - d) * teleport[j]! + d * (next[j]! + dangling * teleport[j]!);
      delta += Math.abs(v - rank[j]!);
      next[j] = v;
    }
    rank = next;
    if (delta < tolerance) break;
  }
  return rank;
}

/** Indices of the k highest scores; ties go to the earlier index so results are deterministic. */
export function topK(scores: number[], k: number): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i);
}

function normalize(xs: number[]): number[] {
  const total = xs.reduce((a, b) => a + Math.max(0, b), 0);
  return total > 0 ? xs.map((x) => Math.max(0, x) / total) : xs.map(() => 1 / xs.length);
}
