import { describe, expect, it } from 'vitest';
import { leadingText } from '../../src/text/leading.js';

describe('leadingText', () => {
  it('returns a text within the limit unchanged', () => {
    expect(leadingText('Short text.', 100)).toBe('Short text.');
  });

  it.each([
    ['at a paragraph end', `${'a'.repeat(85)}.\n\n${'b'.repeat(40)}.`, `${'a'.repeat(85)}.`],
    ['at a sentence end', `${'word '.repeat(17)}end. ${'more '.repeat(10)}`, `${'word '.repeat(17)}end.`],
    ['at a space', `${'word '.repeat(30)}`, `${'word '.repeat(19)}word`],
    ['inside one enormous token', 'x'.repeat(150), 'x'.repeat(100)],
    ['before a lone half of a surrogate pair', `${'x'.repeat(99)}😀`, 'x'.repeat(99)],
  ])('cuts %s', (_name, text, expected) => {
    const out = leadingText(text, 100);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(100);
  });
});
