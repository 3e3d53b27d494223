import { describe, expect, it } from 'vitest';
import { cosine, pageRank, plainTextRank, termVectors, tfidfVectors, topK } from '../../src/summarize/textrank.js';
import { rankingTokens } from '../../src/text/words.js';

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
        rankingTokens('platform liability ruling'),
        rankingTokens('platform liability ruling'),
        rankingTokens('weather rain'),
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
