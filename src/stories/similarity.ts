import { contentTokens } from './text.js';

/** Title and lead of an item: what story matching looks at. */
export interface StoryText {
  title: string;
  lead: string;
}

/** Normalized features of one text, computed once and compared many times. */
export interface PreparedText {
  titleSet: Set<string>;
  leadSet: Set<string>;
  /** Title and lead tokens together: the MinHash feature set. */
  allSet: Set<string>;
  /** Word bigrams of title then lead: order-sensitive agreement. */
  shingles: Set<string>;
  /** Term counts with title tokens counted twice (the headline states the event). */
  tf: Map<string, number>;
  norm: number;
}

/**
 * The verified similarity threshold, chosen on MSRP and STS-B news pairs (see
 * bench/results/eval-similarity.md: best-F1 points 0.41 on MSRP, 0.37 and 0.56 on STS-B news
 * at gold >= 3 and >= 4) and checked by eye on a real day of 3,331 items
 * (bench/results/eval-stories.md), where pairs from 0.43 to 0.50 began to mix different events
 * on one subject. It leans high on purpose: merging two different events into one story is
 * worse than listing one event twice.
 */
export const DEFAULT_THRESHOLD = 0.5;

export function prepareText(t: StoryText): PreparedText {
  const title = contentTokens(t.title);
  const lead = contentTokens(t.lead);
  const tf = new Map<string, number>();
  for (const w of title) tf.set(w, (tf.get(w) ?? 0) + 2);
  for (const w of lead) tf.set(w, (tf.get(w) ?? 0) + 1);
  let sq = 0;
  for (const v of tf.values()) sq += v * v;
  return {
    titleSet: new Set(title),
    leadSet: new Set(lead),
    allSet: new Set([...title, ...lead]),
    shingles: new Set([...bigrams(title), ...bigrams(lead)]),
    tf,
    norm: Math.sqrt(sq),
  };
}

/** The verified score in [0, 1] that decides whether two items describe the same event. */
export function similarity(a: StoryText, b: StoryText): number {
  return preparedSimilarity(prepareText(a), prepareText(b));
}

/**
 * Whether b looks like a re-publication of a: the same title after normalization and, when
 * both have a lead, mostly the same lead. Used for items from the same outlet: an outlet's
 * templated series ("Kurs USD/PLN 1 grudnia", "The best Rogue build in Baldur's Gate 3")
 * differ by one word and score high, yet each item is a different story; and a feed that puts
 * its own name in every title would otherwise make one story of everything it publishes.
 */
export function isRepublished(a: PreparedText, b: PreparedText): boolean {
  if (a.titleSet.size !== b.titleSet.size || a.titleSet.size === 0) return false;
  for (const w of a.titleSet) if (!b.titleSet.has(w)) return false;
  if (a.leadSet.size === 0 || b.leadSet.size === 0) return true;
  return jaccard(a.leadSet, b.leadSet) >= 0.5;
}

/** Parts of the score, for evaluation reports and tests. */
export interface SimilarityParts {
  titleContainment: number;
  titleJaccard: number;
  cosine: number;
  shingleJaccard: number;
  score: number;
}

export function preparedSimilarity(a: PreparedText, b: PreparedText): number {
  return similarityParts(a, b).score;
}

export function similarityParts(a: PreparedText, b: PreparedText): SimilarityParts {
  const shared = intersectionSize(a.titleSet, b.titleSet);
  const small = Math.min(a.titleSet.size, b.titleSet.size);
  const union = a.titleSet.size + b.titleSet.size - shared;
  // Containment lets a short headline match a longer one about the same event, but two
  // two-word titles ("Weather forecast") agree by accident: scale it down below MIN_TITLE words.
  const damp = Math.min(1, small / MIN_TITLE_TOKENS);
  const titleContainment = small === 0 ? 0 : (shared / small) * damp;
  const titleJaccard = union === 0 ? 0 : shared / union;
  const cosine = cosineOf(a, b);
  const shingleJaccard = jaccard(a.shingles, b.shingles);
  const blend = 0.2 * titleContainment + 0.3 * titleJaccard + 0.4 * cosine + 0.1 * shingleJaccard;
  return { titleContainment, titleJaccard, cosine, shingleJaccard, score: clamp01(blend) };
}

const MIN_TITLE_TOKENS = 4;

function cosineOf(a: PreparedText, b: PreparedText): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.tf.size <= b.tf.size ? [a.tf, b.tf] : [b.tf, a.tf];
  let dot = 0;
  for (const [w, v] of small) dot += v * (large.get(w) ?? 0);
  return dot / (a.norm * b.norm);
}

function bigrams(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

function intersectionSize(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let n = 0;
  for (const x of small) if (large.has(x)) n++;
  return n;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  const shared = intersectionSize(a, b);
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}
