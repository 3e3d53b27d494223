import { describe, expect, it } from 'vitest';
import { discordText, escapeSlackText } from '../../src/render/escape.js';
import { cleanText, fitText, formatDate, graphemes, joinWithin, safeUrl } from '../../src/render/text.js';
import { isWellFormed } from './inspect.js';

/** A truncated result must be whole graphemes of the input, then "…". */
function expectGraphemePrefix(out: string, input: string): void {
  const body = out.endsWith('…') ? out.slice(0, -1) : out;
  const gIn = graphemes(input);
  const gOut = graphemes(body);
  expect(gIn.slice(0, gOut.length)).toEqual(gOut);
}

const SCRIPTS: Record<string, string> = {
  arabic: 'المحكمة تنظر في حصانة المنصات الرقمية ',
  cjk: '法院审查平台责任豁免条款的适用范围',
  devanagari: 'न्यायालय ने मंच दायित्व पर सुनवाई की ',
  zwjFamily: '👨‍👩‍👧‍👦👩🏽‍⚖️🧑‍💻',
  flags: '🇺🇦🇪🇺🇬🇧🇺🇸',
  combining: 'e\u0301a\u0308o\u0302',
};

describe('fitText', () => {
  it('returns short text unchanged', () => {
    expect(fitText('hello', 10)).toBe('hello');
  });

  it('cuts at a word when that costs little, and marks the cut', () => {
    expect(fitText('alpha beta gamma delta', 14)).toBe('alpha beta…');
  });

  it.each(Object.entries(SCRIPTS))('never splits a grapheme or surrogate pair (%s)', (_name, sample) => {
    const input = sample.repeat(20);
    for (let max = 1; max <= 120; max++) {
      const out = fitText(input, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(isWellFormed(out)).toBe(true);
      expectGraphemePrefix(out, input);
    }
  });

  it('counts UTF-16 units, so 200 emoji do not pass as 200 characters', () => {
    const out = fitText('🇺🇦'.repeat(200), 256);
    expect(out.length).toBeLessThanOrEqual(256);
    expect(graphemes(out.slice(0, -1)).every((g) => g === '🇺🇦')).toBe(true);
  });

  it('budgets for what escaping adds and never leaves half an escape', () => {
    const input = '*_'.repeat(100);
    const out = fitText(input, 51, discordText);
    expect(out.length).toBeLessThanOrEqual(51);
    // Every escape pair is complete: removing them leaves only the ellipsis.
    expect(out.replace(/\\[*_]/g, '')).toBe('…');
    const slack = fitText('<&>'.repeat(100), 40, escapeSlackText);
    expect(slack.length).toBeLessThanOrEqual(40);
    expect(slack.replace(/&(lt|gt|amp);/g, '')).toBe('…');
  });

  it('returns an empty string when nothing fits', () => {
    expect(fitText('abc', 0)).toBe('');
  });
});

describe('joinWithin', () => {
  const more = (n: number) => `+${n}`;
  it('keeps everything when it fits', () => {
    expect(joinWithin(['a', 'b', 'c'], ', ', 100, more)).toBe('a, b, c');
  });
  it('reports how many were left out', () => {
    expect(joinWithin(['aaaa', 'bbbb', 'cccc', 'dddd'], ', ', 14, more)).toBe('aaaa, bbbb, +2');
  });
  it('counts the whole list when even the first item does not fit', () => {
    expect(joinWithin(['a'.repeat(50)], ', ', 10, more)).toBe('+1');
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://example.com/a', 'https://example.com/a'],
    ['http://example.com/a b', 'http://example.com/a%20b'],
    ['https://example.com/a_(b)|c>d', 'https://example.com/a_%28b%29%7Cc%3Ed'],
    ['javascript:alert(1)', null],
    ['data:text/html,hi', null],
    ['ftp://example.com/x', null],
    ['not a url', null],
    ['', null],
    [null, null],
  ])('%s', (input, expected) => {
    expect(safeUrl(input, 2048)).toBe(expected);
  });

  it('drops links too long to be worth their space', () => {
    expect(safeUrl(`https://example.com/${'a'.repeat(100)}`, 50)).toBeNull();
  });
});

describe('cleanText and formatDate', () => {
  it('collapses whitespace, drops controls and bidi overrides, repairs lone surrogates', () => {
    expect(cleanText('  a\n\n\tb\u0000c\u202Ed  \uD83D ')).toBe('a bcd \uFFFD');
  });
  it('formats ISO dates in UTC and tolerates garbage', () => {
    expect(formatDate('2026-01-02T14:05:59+01:00')).toBe('2026-01-02 13:05 UTC');
    expect(formatDate('yesterday-ish')).toBe('');
    expect(formatDate(null)).toBe('');
  });
});
