import { describe, expect, it } from 'vitest';
import { contentTokens, stem, storyLead } from '../../src/stories/text.js';

describe('contentTokens', () => {
  it.each([
    ['Charges filed', 'charge filing', ['charg', 'fil']],
    ["Platform's policies", 'platform policy', ['platform', 'polici']],
    ['U.S. senators', 'US Senator', ['us', 'senator']],
    ['Café owners stopped', 'cafe owner stops', ['caf', 'owner', 'stop']],
    ['Fine of 1,000 euros', 'fine 1000 euro', ['fin', '1000', 'euro']],
  ])('folds %j and %j to the same tokens', (a, b, expected) => {
    expect(contentTokens(a)).toEqual(expected);
    expect(contentTokens(b)).toEqual(expected);
  });

  it('drops stop words and headline filler but keeps numbers', () => {
    expect(contentTokens('BREAKING: What we know about the 3 new rules, report says')).toEqual(['know', '3', 'rul']);
  });

  it('keeps non-English words, folding diacritics and ł', () => {
    expect(contentTokens('Śmierć w Łodzi')).toEqual(['smierc', 'lodzi']);
  });
});

describe('stem', () => {
  it.each([
    ['killed', 'kill'],
    ['kills', 'kill'],
    ['running', 'run'],
    ['bus', 'bus'],
    ['sentenced', 'sentenc'],
    ['sentence', 'sentenc'],
    ['dies', 'di'],
    ['died', 'di'],
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe('storyLead', () => {
  it('keeps whole sentences up to the limit', () => {
    const text = `${'First sentence states the event in plain words here.'} ${'Second one adds a detail about it.'} ${'Padding follows. '.repeat(20)}`;
    expect(storyLead(text, 100)).toBe(
      'First sentence states the event in plain words here. Second one adds a detail about it.',
    );
  });

  it('returns short text unchanged, whitespace collapsed', () => {
    expect(storyLead('  One line\n\n of text. ')).toBe('One line of text.');
  });

  it('cuts at a word boundary when no sentence ends in reach', () => {
    const lead = storyLead('word '.repeat(100), 50);
    expect(lead.length).toBeLessThanOrEqual(50);
    expect(lead.endsWith('word')).toBe(true);
  });
});
