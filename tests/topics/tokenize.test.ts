import { describe, expect, it } from 'vitest';
import { FieldIndex, foldWord, tokenizeWords } from '../../src/topics/tokenize.js';

describe('topics/tokenize', () => {
  it.each([
    ['platforms', 'platform'],
    ['platform', 'platform'],
    ['policies', 'policy'],
    ['policy', 'policy'],
    ['children', 'child'],
    ['businesses', 'business'],
    ['searches', 'search'],
    ['taxes', 'tax'],
    ['sentences', 'sentence'],
    ['vlops', 'vlop'],
    ['laws', 'law'],
    // words whose final s is not a plural stay as they are
    ['congress', 'congress'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['kosa', 'kosa'],
    ['1990s', '1990s'],
  ])('folds %s to %s', (word, folded) => {
    expect(foldWord(word)).toBe(folded);
  });

  it('lowercases, strips diacritics and possessives, and splits on punctuation', () => {
    const words = tokenizeWords("Ofcom’s CRÈME platform's FOSTA-SESTA Section 230, don't platforms'");
    expect(words.map((w) => w.raw)).toEqual([
      'ofcom',
      'creme',
      'platform',
      'fosta',
      'sesta',
      'section',
      '230',
      "don't",
      'platforms',
    ]);
    expect(words.at(-1)?.norm).toBe('platform');
  });

  it('indexes positions for exact and prefix lookups', () => {
    const index = new FieldIndex('Traffickers trafficked people; traffic jams; policies and a policy');
    expect(index.length).toBe(9);
    expect(index.positionsWithPrefix('traffick')).toEqual([0, 1]);
    expect(index.positionsWithPrefix('traffic')).toEqual([0, 1, 3]);
    expect(index.positionsOf('policy')).toEqual([5, 8]);
    // a prefix sees the unfolded form too: "polic" reaches "policies" and "policy"
    expect(index.positionsWithPrefix('polic')).toEqual([5, 8]);
    expect(index.positionsWithPrefix('policie')).toEqual([5]);
    expect(index.positionsOf('nothing')).toEqual([]);
  });
});
