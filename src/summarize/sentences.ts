// biome-ignore-all lint/style/noExcessiveLinesPerFile: the sentence splitter and the abbreviation and boundary tables it reads are one unit
import { headingText, isSetextUnderline, lineKind } from './headings.js';

/**
 * Sentence splitting for news text. A period is a boundary only when it is followed by space and
 * something that can start a sentence, and the word before it is not an abbreviation, an
 * initial or a list number. Paragraph breaks (blank lines) and list items are always boundaries.
 */

/**
 * Splits article text into sentences, trimmed, in order; never returns empty strings. Headings
 * (headings.ts) are not sentences and are left out, unless the text is nothing but headings.
 */
export function splitSentences(text: string): string[] {
  const blocks = splitBlocks(text);
  const prose = blocks.filter((b) => !b.heading);
  const out: string[] = [];
  for (const block of prose.length > 0 ? prose : blocks) {
    for (const s of splitBlock(block.text)) {
      const t = s.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

// Titles and other words that are (almost) always followed by more of the same sentence.
const NEVER_FINAL = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'prof',
  'sen',
  'rep',
  'reps',
  'gov',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'cmdr',
  'adm',
  'maj',
  'pres',
  'rev',
  'hon',
  'supt',
  'insp',
  'st',
  'mt',
  'ft',
  'messrs',
  'mme',
  'mlle',
  'vs',
  'v',
  'cf',
  'approx',
  'fig',
  'figs',
  'vol',
  'pp',
  'p',
]);

// Abbreviations that may also end a sentence; they do so only when a typical sentence opener follows.
const MAY_BE_FINAL = new Set([
  'inc',
  'ltd',
  'corp',
  'co',
  'plc',
  'llc',
  'bros',
  'jr',
  'sr',
  'etc',
  'al',
  'dept',
  'univ',
  'assn',
  'ave',
  'blvd',
  'rd',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
  'no',
  'nos',
  'est',
  'min',
  'max',
]);

// Capitalised month names (German, Dutch, Scandinavian) that follow an ordinal "1." in dates;
// languages that write months in lower case never look like a sentence start there anyway.
const MONTHS = new Set(
  (
    'januar februar märz maerz april mai juni juli august september oktober november dezember ' +
    'januari februari maart mei augustus december mars maj augusti'
  ).split(' '),
);

// Words before an ordinal "3." in German and Nordic text ("am 3. Oktober", "zum 3. Mal", "den 3. maj").
const ORDINAL_CUES = new Set(
  'am im um zum zur vom beim bis ab seit der die das den dem des ein eine einem einer'.split(' '),
);

// Words that commonly open a sentence in news prose; after an ambiguous abbreviation they signal a boundary.
const OPENERS = new Set(
  (
    'the a an it its he she they we i you his her their our this that these those there here but and ' +
    'so yet or if when while after before since as at in on for from by with of to about although ' +
    'though however meanwhile still also then now some many most several few one two three four five ' +
    'no not all both each every such what who which why how where mr mrs ms dr officials police critics ' +
    'analysts others experts last next earlier later under'
  ).split(' '),
);

const TERMINATORS = '.!?…';
const CJK_TERMINATORS = '。！？';
const CLOSERS = `"'”’»“)]}`; // “ closes German „quotes“
const OPENING = `"'“‘«([{¿¡`;
const LIST_MARKER = /^\s*(?:[-–—•*·▪◦‣]\s+|\(?\d{1,3}[.)]\s+|\(?[a-zA-Z][.)]\s+(?=\S))/;

interface Block {
  text: string;
  heading: boolean;
}

function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split(/\n[ \t\u00a0]*\n/)) {
    let current: string[] = [];
    const flush = () => {
      if (current.length > 0) blocks.push({ text: current.join(' '), heading: false });
      current = [];
    };
    for (const raw of para.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      // A setext underline makes the one line above it a heading; other bare markup is dropped.
      if (isSetextUnderline(line) && current.length === 1) {
        blocks.push({ text: current[0]!, heading: true });
        current = [];
        continue;
      }
      const kind = lineKind(line);
      if (kind !== 'text') {
        flush();
        if (kind === 'heading') blocks.push({ text: headingText(line) ?? line, heading: true });
        continue;
      }
      const prev = current[current.length - 1];
      // A list item starts a new block; a short line without end punctuation is a heading or the
      // last line of a paragraph, so the next line starts afresh. Long lines are hard-wrapped prose.
      if (LIST_MARKER.test(line) || (prev !== undefined && isHeadingLike(prev) && startsSentence(line, 0))) {
        flush();
      }
      current.push(line);
    }
    flush();
  }
  return blocks;
}

function isHeadingLike(line: string): boolean {
  return line.length < 40 && !/[,;:\-–]$/.test(line) && !TERMINATORS.includes(line.at(-1) ?? '');
}

function splitBlock(block: string): string[] {
  const parts: string[] = [];
  let start = 0;
  // A list number or letter at the very start of the block is a marker, not a sentence end.
  const marker = LIST_MARKER.exec(block);
  const searchFrom = marker ? marker[0].length : 0;
  const quotes = quoteSpans(block);
  for (let i = searchFrom; i < block.length; i++) {
    const ch = block[i]!;
    if (CJK_TERMINATORS.includes(ch)) {
      let end = i + 1;
      while (end < block.length && (CLOSERS.includes(block[end]!) || CJK_TERMINATORS.includes(block[end]!))) end++;
      parts.push(block.slice(start, end));
      start = end;
      i = end - 1;
      continue;
    }
    if (!TERMINATORS.includes(ch)) continue;
    // Swallow runs like "?!" or "..." and any closing quotes or brackets.
    let end = i + 1;
    while (end < block.length && TERMINATORS.includes(block[end]!)) end++;
    while (end < block.length && CLOSERS.includes(block[end]!)) end++;
    if (end >= block.length) break;
    if (!/\s/.test(block[end]!)) {
      i = end - 1;
      continue;
    }
    // A quotation of several sentences stays whole: half of it would carry a dangling quote mark.
    if (quotes.some(([open, close]) => open < i && end <= close)) {
      i = end - 1;
      continue;
    }
    let next = end;
    while (next < block.length && /\s/.test(block[next]!)) next++;
    if (isBoundary(block, start, i, end, next)) {
      parts.push(block.slice(start, end));
      start = next;
    }
    i = end - 1;
  }
  parts.push(block.slice(start));
  return parts;
}

/** Longer quotations are split like prose: one "sentence" that size could never fit a summary. */
const MAX_QUOTE_CHARS = 400;

/**
 * [open, close] indices of the double quotations that open and close inside the block. A straight
 * quote opens after a space or bracket and before a non-space, and closes otherwise; „ pairs
 * with “ (German), “ with ”. A quotation that does not close in its paragraph (the convention
 * for quotes running over several paragraphs) gives no span.
 */
function quoteSpans(block: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let open = -1;
  let closer = '';
  for (let i = 0; i < block.length; i++) {
    const c = block[i]!;
    let opens = false;
    let closes = false;
    if (c === '"') {
      const before = block[i - 1];
      opens = (before === undefined || /[\s([{\u2014\u2013]/.test(before)) && /\S/.test(block[i + 1] ?? '');
      closes = !opens;
    } else if (c === '„') opens = true;
    else if (c === '“') {
      closes = closer === '“';
      opens = !closes;
    } else if (c === '”') closes = true;
    if (closes && open >= 0 && c === closer) {
      if (i - open <= MAX_QUOTE_CHARS) spans.push([open, i]);
      open = -1;
    } else if (opens) {
      open = i;
      closer = c === '„' ? '“' : c === '“' ? '”' : '"';
    }
  }
  return spans;
}

/** `dot` is the terminator's index, `end` is just past it (and its closers), `next` the next non-space. */
function isBoundary(block: string, start: number, dot: number, end: number, next: number): boolean {
  if (!startsSentence(block, next)) return false;
  const ch = block[dot]!;
  const closedQuote = end > dot + 1 && CLOSERS.includes(block[end - 1]!);
  if (ch !== '.' || closedQuote) return true;
  // A run of dots is an ellipsis: a boundary only before a capitalised word, which startsSentence checked.
  if (block[dot - 1] === '.') return true;
  const word = wordBefore(block, start, dot);
  if (!word) return true;
  const nextWord = wordAt(block, next);
  const lower = word.toLowerCase();
  if (NEVER_FINAL.has(lower)) return false;
  // Initials: "J. R. Smith", "George W. Bush".
  if (/^\p{Lu}$/u.test(word)) return isOpener(nextWord) && !/^\p{Lu}\.$/u.test(nextToken(block, next));
  // Dotted acronyms: "U.S.", "e.g.", "a.m.".
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return isOpener(nextWord);
  // Ordinals as in "am 1. Januar" or "zum 3. Mal": only before a month or after a German/Nordic
  // article or preposition, so that "passed by 19 votes to 9. Senators then ..." still splits. A
  // score like "3-1." is not a bare number and ends a sentence anyway.
  if (/^\d{1,2}$/.test(word) && /(?:^|\s)$/.test(block.slice(start, dot - word.length))) {
    const before = /(\p{L}+)\s+$/u.exec(block.slice(start, dot - word.length))?.[1]?.toLowerCase() ?? '';
    if (MONTHS.has(nextWord.toLowerCase()) || ORDINAL_CUES.has(before)) return false;
    return true;
  }
  if (MAY_BE_FINAL.has(lower)) {
    if (/^\d/.test(nextWord)) return false;
    return isOpener(nextWord);
  }
  return true;
}

/** Can a sentence start at index i? Upper-case letter, digit, opening quote/bracket, or an uncased script. */
function startsSentence(s: string, i: number): boolean {
  let j = i;
  while (j < s.length && OPENING.includes(s[j]!)) j++;
  const c = s[j];
  if (c === undefined) return j > i;
  if (/\p{Lu}|\p{Lt}|\p{N}/u.test(c)) return true;
  if (/\p{Ll}/u.test(c)) return false;
  // Letters of scripts without case (Arabic, Hebrew, CJK, Devanagari...) and symbols like "$".
  return /\p{L}|[$£€¥#@]/u.test(c) || j > i;
}

/** The word (letters, digits and inner dots) that ends right before the period at `dot`. */
function wordBefore(s: string, start: number, dot: number): string {
  let j = dot;
  while (j > start && /[\p{L}\p{N}.]/u.test(s[j - 1]!)) j--;
  return s.slice(j, dot).replace(/^\.+/, '');
}

function wordAt(s: string, i: number): string {
  let j = i;
  while (j < s.length && OPENING.includes(s[j]!)) j++;
  const m = /^[\p{L}\p{N}]+/u.exec(s.slice(j, j + 40));
  return m ? m[0] : '';
}

function nextToken(s: string, i: number): string {
  const m = /^\S+/.exec(s.slice(i, i + 40));
  return m ? m[0] : '';
}

function isOpener(word: string): boolean {
  return OPENERS.has(word.toLowerCase());
}
