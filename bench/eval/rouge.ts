/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1, written here so that the figures are reproducible without
 * Perl or Python: lower-case alphanumeric tokens, no stemming, no stop-word removal. ROUGE-L is
 * the longest common subsequence of the whole candidate and the whole reference.
 */

export interface RougeScores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

/** Lower-case runs of ASCII letters and digits; "$3.5bn." becomes ["3", "5bn"]. */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** F1 scores of one candidate against one reference. */
export function rouge(candidate: string, reference: string): RougeScores {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return { rouge1: ngramF1(c, r, 1), rouge2: ngramF1(c, r, 2), rougeL: lcsF1(c, r) };
}

/** Clipped n-gram overlap F1. */
export function ngramF1(candidate: string[], reference: string[], n: number): number {
  const cand = ngramCounts(candidate, n);
  const ref = ngramCounts(reference, n);
  let candTotal = 0;
  let refTotal = 0;
  let overlap = 0;
  for (const v of cand.values()) candTotal += v;
  for (const [g, v] of ref) {
    refTotal += v;
    overlap += Math.min(v, cand.get(g) ?? 0);
  }
  return f1(overlap, candTotal, refTotal);
}

/** LCS-based F1 (ROUGE-L with beta = 1). */
export function lcsF1(candidate: string[], reference: string[]): number {
  return f1(lcsLength(candidate, reference), candidate.length, reference.length);
}

/** Length of the longest common subsequence, in O(n·m) time and O(m) memory. */
export function lcsLength(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ai === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' ');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function f1(overlap: number, candTotal: number, refTotal: number): number {
  if (overlap === 0 || candTotal === 0 || refTotal === 0) return 0;
  const p = overlap / candTotal;
  const r = overlap / refTotal;
  return (2 * p * r) / (p + r);
}
