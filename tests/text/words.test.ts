import { describe, expect, it } from 'vitest';
import { foldDiacritics, foldForEvents, foldForMatching } from '../../src/text/fold.js';
import { foldPlural, stemHeadline, stemSentenceWord } from '../../src/text/stem.js';
import { FUNCTION_WORDS, HEADLINE_STOP_WORDS } from '../../src/text/stop-words.js';
import { countSpacedWords, countWords, eventTokens, matchWords, rankingTokens } from '../../src/text/words.js';

describe('matchWords and foldPlural (topic matching)', () => {
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
    expect(foldPlural(word)).toBe(folded);
  });

  it('lowercases, strips diacritics and possessives, and splits on punctuation', () => {
    const words = matchWords("Ofcom’s CRÈME platform's FOSTA-SESTA Section 230, don't platforms'");
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
});

describe('eventTokens', () => {
  it.each([
    ['Charges filed', 'charge filing', ['charg', 'fil']],
    ["Platform's policies", 'platform policy', ['platform', 'polici']],
    ['U.S. senators', 'US Senator', ['us', 'senator']],
    ['Café owners stopped', 'cafe owner stops', ['caf', 'owner', 'stop']],
    ['Fine of 1,000 euros', 'fine 1000 euro', ['fin', '1000', 'euro']],
  ])('folds %j and %j to the same tokens', (a, b, expected) => {
    expect(eventTokens(a)).toEqual(expected);
    expect(eventTokens(b)).toEqual(expected);
  });

  it('drops stop words and headline filler but keeps numbers', () => {
    expect(eventTokens('BREAKING: What we know about the 3 new rules, report says')).toEqual(['know', '3', 'rul']);
  });

  it('keeps non-English words, folding diacritics and ł', () => {
    expect(eventTokens('Śmierć w Łodzi')).toEqual(['smierc', 'lodzi']);
  });
});

describe('stemHeadline', () => {
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
    expect(stemHeadline(word)).toBe(expected);
  });
});

describe('rankingTokens', () => {
  it.each([
    ['The platforms were fined.', ['platform', 'fin']],
    ["The regulator's rulings", ['regulator', 'rul']],
    ['Profits rose 12.5%', ['profit', 'rose', '12']],
  ])('rankingTokens(%j)', (text, expected) => {
    expect(rankingTokens(text)).toEqual(expected);
  });

  it('keeps stop words and word forms when asked', () => {
    expect(rankingTokens('The platforms', { stopwords: false, stem: false })).toEqual(['the', 'platforms']);
  });

  it('turns unspaced scripts into character bigrams and keeps other scripts whole', () => {
    expect(rankingTokens('法院裁定')).toEqual(['法院', '院裁', '裁定']);
    expect(rankingTokens('Суд признал')).toEqual(['суд', 'признал']);
  });

  it('stems conservatively', () => {
    expect(stemSentenceWord('regulators')).toBe('regulator');
    expect(stemSentenceWord('studies')).toBe('study');
    expect(stemSentenceWord('bus')).toBe('bus');
    expect(stemSentenceWord('2004s')).toBe('2004s');
  });

  it('counts whitespace-separated words', () => {
    expect(countSpacedWords('  one two\nthree ')).toBe(3);
    expect(countSpacedWords('')).toBe(0);
  });
});

describe('countWords', () => {
  it('counts runs of letters and digits, joined by an apostrophe, a dot or a hyphen', () => {
    expect(countWords("Don't stop: the U.S. well-known rule, 2024 — (AP)")).toBe(8);
    expect(countSpacedWords("Don't stop: the U.S. well-known rule, 2024 — (AP)")).toBe(9);
  });
});

describe('folding', () => {
  it('folds case and diacritics both ways, apostrophes and U.S. only for events', () => {
    expect(foldForMatching('Ofcom’s CRÈME')).toBe("ofcom's creme");
    // One diacritic fold for both: ł (which NFKD leaves alone) and marks outside U+0300–036F.
    expect(foldDiacritics('Łódź ṩ क़')).toBe('lodz s क');
    expect(foldForMatching('Łódź')).toBe('lodz');
    expect(foldForEvents('Ofcom’s CRÈME in the U.S. and Łódź, 1,000')).toBe('ofcom creme in the us and lodz, 1000');
  });
});

describe('stop words', () => {
  it('builds the headline list from the function words, keeping "us" (U.S.), and adds the filler', () => {
    for (const w of FUNCTION_WORDS) if (w !== 'us') expect(HEADLINE_STOP_WORDS.has(w)).toBe(true);
    expect(HEADLINE_STOP_WORDS.has('us')).toBe(false);
    expect(HEADLINE_STOP_WORDS.has('says')).toBe(true);
    expect(FUNCTION_WORDS.has('says')).toBe(false);
    expect(eventTokens('U.S. says')).toEqual(['us']);
  });
});
