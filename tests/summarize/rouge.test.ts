import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougeTokens } from '../../bench/eval/rouge.js';

describe('ROUGE', () => {
  it('tokenizes to lower-case alphanumeric runs, also across run-together sentences', () => {
    expect(rougeTokens('Sales rose 2% to $11.1bn.For the year, AOL')).toEqual([
      'sales',
      'rose',
      '2',
      'to',
      '11',
      '1bn',
      'for',
      'the',
      'year',
      'aol',
    ]);
  });

  it('scores identical texts 1 and disjoint texts 0', () => {
    expect(rouge('the court ruled', 'The court ruled.')).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
    expect(rouge('rain today', 'the court ruled')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });

  it('computes clipped n-gram F1 and LCS F1 by hand-checked figures', () => {
    // candidate: the cat the cat (4), reference: the cat sat (3)
    const r = rouge('the cat the cat', 'the cat sat');
    // unigrams: overlap the:1 cat:1 = 2 → P 2/4, R 2/3, F1 = 4/7
    expect(r.rouge1).toBeCloseTo(4 / 7, 10);
    // bigrams: cand {the cat:2, cat the:1}, ref {the cat:1, cat sat:1} → overlap 1, P 1/3, R 1/2, F1 0.4
    expect(r.rouge2).toBeCloseTo(0.4, 10);
    // LCS "the cat" = 2 → same as ROUGE-1 here
    expect(r.rougeL).toBeCloseTo(4 / 7, 10);
  });

  it('LCS respects order', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['b', 'd', 'a'])).toBe(2);
    expect(lcsLength([], ['a'])).toBe(0);
  });
});
