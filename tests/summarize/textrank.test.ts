import { describe, expect, it } from 'vitest';
import { cosine, pageRank, plainTextRank, termVectors, tfidfVectors, topK } from '../../src/summarize/textrank.js';
import { contentTokens, countWords, stemWord } from '../../src/summarize/tokens.js';

describe('pageRank', () => {
  it('sums to one and ranks the hub of a star graph first', () => {
    const star = [
      [0, 1, 1, 1],
      [1, 0, 0, 0],
      [1, 0, 0, 0],
      [1, 0, 0, 0],
    ];
    const rank = pageRank(star);
    expect(rank.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(topK(rank, 1)).toEqual([0]);
    expect(rank[1]).toBeCloseTo(rank[2]!, 9);
  });

  it('gives isolated nodes only the teleport share and follows a personalization vector', () => {
    const graph = [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 0],
    ];
    const rank = pageRank(graph);
    expect(rank[2]).toBeLessThan(rank[0]!);
    const biased = pageRank(graph, { personalization: [1, 0, 0] });
    expect(biased[0]).toBeGreaterThan(biased[1]!);
  });

  it('returns nothing for an empty graph', () => {
    expect(pageRank([])).toEqual([]);
  });
});

describe('term vectors', () => {
  it('are unit length; identical texts have cosine 1, disjoint texts 0', () => {
    const [a, b, c] = termVectors(
      [
        contentTokens('platform liability ruling'),
        contentTokens('platform liability ruling'),
        contentTokens('weather rain'),
      ],
      'tf',
    );
    expect(cosine(a!, b!)).toBeCloseTo(1, 9);
    expect(cosine(a!, c!)).toBe(0);
  });

  it('TF-IDF weighs a word shared by every sentence less than a rare one', () => {
    const [v] = tfidfVectors([
      ['court', 'ruling'],
      ['court', 'appeal'],
      ['court', 'fine'],
    ]);
    const weights = new Map(v!.ids.map((id, i) => [id, v!.weights[i]!]));
    expect(weights.get(0)).toBeLessThan(weights.get(1)!);
  });
});

describe('plainTextRank', () => {
  const sentences = [
    'The court ruled against the platform on liability.',
    'It rained in the city.',
    'The platform liability ruling surprised lawyers.',
    'Lawyers expect more liability suits against the platform.',
  ];

  it('returns k indices in article order, skipping the off-topic sentence', () => {
    const picked = plainTextRank(sentences, 3);
    expect(picked).toEqual([0, 2, 3]);
  });

  it('returns every index when there are no more sentences than k', () => {
    expect(plainTextRank(sentences.slice(0, 2), 3)).toEqual([0, 1]);
  });
});

describe('tokens', () => {
  it.each([
    ['The platforms were fined.', ['platform', 'fin']],
    ["The regulator's rulings", ['regulator', 'rul']],
    ['Profits rose 12.5%', ['profit', 'rose', '12']],
  ])('contentTokens(%j)', (text, expected) => {
    expect(contentTokens(text)).toEqual(expected);
  });

  it('keeps stop words and word forms when asked', () => {
    expect(contentTokens('The platforms', { stopwords: false, stem: false })).toEqual(['the', 'platforms']);
  });

  it('turns unspaced scripts into character bigrams and keeps other scripts whole', () => {
    expect(contentTokens('法院裁定')).toEqual(['法院', '院裁', '裁定']);
    expect(contentTokens('Суд признал')).toEqual(['суд', 'признал']);
  });

  it('stems conservatively', () => {
    expect(stemWord('regulators')).toBe('regulator');
    expect(stemWord('studies')).toBe('study');
    expect(stemWord('bus')).toBe('bus');
    expect(stemWord('2004s')).toBe('2004s');
  });

  it('counts whitespace-separated words', () => {
    expect(countWords('  one two\nthree ')).toBe(3);
    expect(countWords('')).toBe(0);
  });
});
