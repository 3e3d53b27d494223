import { describe, expect, it } from 'vitest';
import { stripFeedTail, wholeSentences } from '../../src/summarize/feed-tail.js';

describe('stripFeedTail', () => {
  it.each([
    [
      'a bracketed ellipsis',
      'The court ruled on Monday. The judges said the law applies [\u2026]',
      'The court ruled on Monday. The judges said the law applies',
      true,
    ],
    ['three dots in brackets', 'The judges said the law applies [...]', 'The judges said the law applies', true],
    [
      'a bare ellipsis on a cut word',
      'The judges studied the results o\u2026',
      'The judges studied the results o',
      false,
    ],
    ['three dots', 'The judges studied the results of...', 'The judges studied the results of', false],
    ['a Read more link', 'The court ruled on Monday. Read more \u00bb', 'The court ruled on Monday.', false],
    [
      'Continue reading with the title',
      'The court ruled.\n\nContinue reading "Court rules on platforms" \u2192',
      'The court ruled.',
      false,
    ],
    [
      'a Read more link glued to a cut sentence',
      'The judges studied the results o Read more',
      'The judges studied the results o',
      false,
    ],
    [
      'a marker, then a link',
      'The judges said the law applies [\u2026] Continue reading \u2192',
      'The judges said the law applies',
      true,
    ],
    [
      'the WordPress footer',
      'The court ruled.\nThe post Court rules appeared first on Desk News.',
      'The court ruled.',
      false,
    ],
  ])('removes %s', (_name, raw, text, lastWordWhole) => {
    expect(stripFeedTail(raw)).toEqual({ text, cut: true, lastWordWhole });
  });

  it.each([
    ['an ellipsis inside a quotation', 'He said "we will [\u2026] act" and left.'],
    ['prose that mentions reading', 'Officials said parents should read more about the rules.'],
    ['prose ending in "read more" without a capital', 'Parents told the panel they wanted to read more'],
  ])('keeps %s', (_name, raw) => {
    expect(stripFeedTail(raw)).toEqual({ text: raw, cut: false, lastWordWhole: false });
  });
});

describe('wholeSentences', () => {
  const cutAt = (raw: string) => stripFeedTail(raw);

  it('drops the sentence the feed cut when whole ones remain', () => {
    const tail = cutAt('The court ruled on Monday. The judges studied the results o\u2026');
    expect(wholeSentences(['The court ruled on Monday.', 'The judges studied the results o'], tail)).toEqual([
      'The court ruled on Monday.',
    ]);
  });

  it('keeps the whole words of a cut sentence that is all there is, ending in an ellipsis', () => {
    expect(
      wholeSentences(['The judges studied the results o'], cutAt('The judges studied the results o\u2026')),
    ).toEqual(['The judges studied the results\u2026']);
    expect(
      wholeSentences(['The judges said the law applies'], cutAt('The judges said the law applies [\u2026]')),
    ).toEqual(['The judges said the law applies\u2026']);
  });

  it('treats a long last line without end punctuation as cut, even without a marker', () => {
    const text = 'Regulators said more fines would follow for platforms that ignore the results o';
    expect(wholeSentences([text], cutAt(text))).toEqual([
      'Regulators said more fines would follow for platforms that ignore the results\u2026',
    ]);
  });

  it('leaves a short unpunctuated line and finished sentences alone', () => {
    expect(wholeSentences(['Court rules on platforms'], cutAt('Court rules on platforms'))).toEqual([
      'Court rules on platforms',
    ]);
    expect(wholeSentences(['One.', 'Two!'], cutAt('One. Two!'))).toEqual(['One.', 'Two!']);
  });
});
