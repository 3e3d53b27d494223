import { describe, expect, it } from 'vitest';
import { FREQUENT_WORD_COUNT, isFrequentEnglishWord } from '../../src/stories/frequent-words.js';
import { bandHashes, minhashSignature, NUM_BANDS, NUM_HASHES } from '../../src/stories/minhash.js';
import {
  DEFAULT_THRESHOLD,
  isProspective,
  isRepublished,
  nameTokens,
  PROSPECTIVE_MISMATCH_PENALTY,
  prepareText,
  SHARED_NAME_BONUS,
  similarity,
  similarityParts,
} from '../../src/stories/similarity.js';
import { EVENTS, OTHER_EVENTS } from './fixtures.js';

describe('similarity', () => {
  it.each(EVENTS.flatMap((variants, e) => variants.slice(1).map((v, k) => [e, k + 1, variants[0]!, v] as const)))(
    'event %i: variant %i from another outlet scores at or above the threshold',
    (_e, _k, a, b) => {
      expect(similarity(a, b)).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    },
  );

  it.each(OTHER_EVENTS.map((o, i) => [i, o, EVENTS[i]![0]!] as const))(
    'a different event on the same subject (%i) scores below the threshold',
    (_i, other, event) => {
      expect(similarity(other, event)).toBeLessThan(DEFAULT_THRESHOLD);
    },
  );

  it('is symmetric, 1 for identical texts and 0 for texts with nothing in common', () => {
    const [a, b] = EVENTS[0]!;
    expect(similarity(a!, b!)).toBeCloseTo(similarity(b!, a!), 12);
    expect(similarity(a!, a!)).toBeCloseTo(1, 12);
    expect(similarity(a!, { title: 'Orchard harvest festival', lead: 'Apples and pears.' })).toBe(0);
    expect(similarity({ title: '', lead: '' }, a!)).toBe(0);
  });

  it('does not let two very short generic titles match fully', () => {
    expect(similarity({ title: 'Weather forecast', lead: '' }, { title: 'Weather forecast', lead: '' })).toBeLessThan(
      1,
    );
    expect(
      similarity({ title: 'Market update', lead: '' }, { title: 'Market update: shares slide', lead: '' }),
    ).toBeLessThan(DEFAULT_THRESHOLD);
  });
});

describe('a preview against its outcome', () => {
  const outcome = { title: 'House expels Santos from Congress after ethics report', lead: '' };
  const preview = { title: 'Santos faces House expulsion vote after ethics report', lead: '' };
  const otherOutcome = { title: 'Santos expelled from Congress after damning ethics report', lead: '' };

  it('tells a headline that looks ahead from one that reports', () => {
    expect(isProspective(preview.title)).toBe(true);
    expect(isProspective('Lawmakers poised to expel Santos')).toBe(true);
    expect(isProspective(outcome.title)).toBe(false);
  });

  it('takes the penalty off a preview against its outcome, splitting a pair the cosine alone would join', () => {
    const parts = similarityParts(prepareText(preview), prepareText(outcome));
    expect(parts.prospectiveMismatch).toBe(1);
    expect(parts.cosine).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(parts.score).toBeCloseTo(parts.cosine - PROSPECTIVE_MISMATCH_PENALTY, 12);
    expect(parts.score).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('still joins two reports of the outcome', () => {
    expect(similarity(outcome, otherOutcome)).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
  });
});

describe('rare names', () => {
  it('keeps capitalized words that are not common English words, whatever the case of the headline', () => {
    expect(nameTokens('Prison inmate stabbed Derek Chauvin, prosecutors say')).toEqual(['derek', 'chauvin']);
    // Title Case capitalizes rare common words too; they count as names, which is why one shared name earns nothing.
    expect(nameTokens('Inmate Stabbed Chauvin')).toEqual(['inmat', 'stab', 'chauvin']);
    expect(nameTokens('Court rules on Israel and the House')).toEqual([]);
    expect(nameTokens('the word chauvin in lower case is no name')).toEqual([]);
  });

  it('counts as common the first FREQUENT_WORD_COUNT words of the installed English list', () => {
    expect(FREQUENT_WORD_COUNT).toBe(6000);
    expect(isFrequentEnglishWord('the')).toBe(true);
    expect(isFrequentEnglishWord('court')).toBe(true);
    // The list's 6,000th and 6,001st words: the cut falls exactly at the count.
    expect(isFrequentEnglishWord('ceiling')).toBe(true);
    expect(isFrequentEnglishWord('pixels')).toBe(false);
    expect(isFrequentEnglishWord('chauvin')).toBe(false);
  });

  it('adds a bonus per shared rare name beyond the first, counting at most three', () => {
    const a = prepareText({ title: 'Quokka Zarnowiec met Obelix Tarkington in Vilnius', lead: '' });
    const b = prepareText({ title: 'Talks between Zarnowiec and Tarkington in Vilnius end', lead: '' });
    const parts = similarityParts(a, b);
    expect(parts.sharedNames).toBe(3);
    expect(parts.score).toBeCloseTo(parts.cosine + 2 * SHARED_NAME_BONUS, 12);
    const one = similarityParts(
      prepareText({ title: 'Ferry news from Zarnowiec today', lead: '' }),
      prepareText({ title: 'School news from Zarnowiec today', lead: '' }),
    );
    expect(one.sharedNames).toBe(1);
    expect(one.score).toBeCloseTo(one.cosine, 12);
    const none = similarityParts(
      prepareText({ title: 'the court met in the house', lead: '' }),
      prepareText({ title: 'the court met in the house again', lead: '' }),
    );
    expect(none.sharedNames).toBe(0);
    expect(none.score).toBeCloseTo(none.cosine, 12);
  });
});

describe('isRepublished', () => {
  const p = (title: string, lead = '') => prepareText({ title, lead });
  it('accepts the same title with the same lead and rejects a templated sibling', () => {
    expect(
      isRepublished(
        p('Best CD rates today, 1 March', 'Rates fell again.'),
        p('Best CD Rates Today - 1 March', 'Rates fell again.'),
      ),
    ).toBe(true);
    expect(isRepublished(p('Kurs USD/PLN 1 marca'), p('Kurs GBP/PLN 1 marca'))).toBe(false);
  });

  it('rejects the same title over different leads (a feed that titles every item with its own name)', () => {
    expect(
      isRepublished(
        p('Example Weekly - law and business', 'Tax rules change in May.'),
        p('Example Weekly - law and business', 'A new shop chain opens 500 stores.'),
      ),
    ).toBe(false);
  });
});

describe('minhash', () => {
  it('gives identical signatures for identical sets and a fixed number of bands', () => {
    const a = minhashSignature(['court', 'ferry', 'appeal']);
    expect(a).toHaveLength(NUM_HASHES);
    expect(minhashSignature(['appeal', 'ferry', 'court'])).toEqual(a);
    expect(bandHashes(a)).toHaveLength(NUM_BANDS);
    expect(bandHashes(minhashSignature([]))).toEqual([]);
  });

  it('agrees on about J of its values for sets with Jaccard similarity J', () => {
    const base = Array.from({ length: 100 }, (_, i) => `w${i}`);
    const other = [...base.slice(0, 50), ...Array.from({ length: 50 }, (_, i) => `x${i}`)]; // J = 50/150
    const a = minhashSignature(base);
    const b = minhashSignature(other);
    const agree = a.filter((v, i) => v === b[i]).length / NUM_HASHES;
    expect(agree).toBeGreaterThan(0.15);
    expect(agree).toBeLessThan(0.55);
  });
});
