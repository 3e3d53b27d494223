/**
 * Word tokens for ranking sentences: lower-case runs of letters and digits in any script, English
 * stop words dropped, a light suffix stemmer so "regulator" and "regulators" meet. Scripts written
 * without spaces (Chinese, Japanese) become character bigrams so that they still share terms.
 */

export interface TokenOptions {
  /** Drop English stop words (default true). */
  stopwords?: boolean;
  /** Strip common English suffixes (default true). */
  stem?: boolean;
}

/** Content tokens of a piece of text. */
export function contentTokens(text: string, opts: TokenOptions = {}): string[] {
  const dropStop = opts.stopwords ?? true;
  const stem = opts.stem ?? true;
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const word = m[0].replace(/['’]s$/, '').replace(/['’]/g, '');
    if (!word) continue;
    if (UNSPACED.test(word)) {
      for (const piece of bigrams(word)) out.push(piece);
      continue;
    }
    if (dropStop && (STOPWORDS.has(word) || word.length < 2)) continue;
    out.push(stem ? stemWord(word) : word);
  }
  return out;
}

/** Number of whitespace-separated words, the unit for "words per summary". */
export function countWords(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

/** A deliberately small suffix stripper: enough to join plurals and verb forms, never aggressive. */
export function stemWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  for (const [suffix, min, repl] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= min) return word.slice(0, -suffix.length) + repl;
  }
  return word;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

// Longest first; [suffix, minimum stem length left, replacement].
const SUFFIXES: Array<[string, number, string]> = [
  ['ational', 3, 'ate'],
  ['ization', 3, 'ize'],
  ['fulness', 3, 'ful'],
  ['ousness', 3, 'ous'],
  ['iveness', 3, 'ive'],
  ['ments', 4, 'ment'],
  ['ings', 3, ''],
  ['ing', 3, ''],
  ['ies', 2, 'y'],
  ['ied', 2, 'y'],
  ['sses', 2, 'ss'],
  ['edly', 3, ''],
  ['ed', 3, ''],
  ['ly', 4, ''],
  ['es', 4, 'e'],
  ['s', 3, ''],
];

function bigrams(word: string): string[] {
  const chars = Array.from(word);
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

// Function words only: articles, pronouns, auxiliaries, prepositions, conjunctions. Content-ish
// words that news uses constantly ("said", "year") stay, because they do carry similarity.
const STOPWORDS = new Set(
  [
    'a an the this that these those',
    'i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself',
    'she her hers herself it its itself they them their theirs themselves',
    'what which who whom whose',
    'am is are was were be been being have has had having do does did doing',
    'can could will would shall should may might must',
    'and but or nor if because as until while so than too very then once also just only not no',
    'of at by for with about against between into through during before after above below to from',
    'up down in out on off over under again further here there when where why how',
    'all any both each few more most other some such own same',
  ]
    .join(' ')
    .split(' '),
);
