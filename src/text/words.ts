/**
 * Tokenizers: text in, words out. Three rules, one per question a stage asks of a text, each
 * under its own name (README.md says who uses which and the measured reason they differ):
 *   - matchWords: every word with its position, for topic queries (terms, phrases, prefixes);
 *   - eventTokens: the words that say which event a headline reports, for story matching;
 *   - rankingTokens: the content words of an article's sentences, for the summarizer.
 * Besides them: casedWords and lowerWords (layout and the LLM answer guard) and two word counts.
 */
import { foldForEvents, foldForMatching } from './fold.js';
import { foldPlural, stemHeadline, stemSentenceWord } from './stem.js';
import { FUNCTION_WORDS, HEADLINE_STOP_WORDS } from './stop-words.js';

/** A word of a text as the topic matcher sees it. */
export interface WordToken {
  /** Lowercased, diacritics and possessive removed, not plural-folded; prefix wildcards see this too. */
  raw: string;
  /** raw with plurals folded; exact terms compare on this. */
  norm: string;
}

/**
 * Every word of a text, in order, for topic matching: a word is a run of letters/digits,
 * optionally joined by apostrophes (don't, o'brien); case and diacritics are dropped, a trailing
 * possessive 's removed, plurals folded. No stop words: a phrase query must find every word of
 * the phrase at its position. Queries and documents go through this same function, so whatever
 * folding applies to an article applies identically to the query terms it is compared with.
 */
export function matchWords(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of foldForMatching(text).matchAll(MATCH_WORD)) {
    const raw = stripPossessive(m[0]);
    out.push({ raw, norm: foldPlural(raw) });
  }
  return out;
}

/** Words of a headline or lead before stop-word removal: folded hard (foldForEvents), letters and digits only. */
export function eventWords(text: string): string[] {
  return foldForEvents(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The words that say which event a headline or lead reports: folded hard, headline stop words
 * and filler dropped, lightly stemmed; numbers kept as they are.
 */
export function eventTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of eventWords(text)) {
    if (HEADLINE_STOP_WORDS.has(raw)) continue;
    const t = /^\d/.test(raw) ? raw : stemHeadline(raw);
    if (t.length === 0 || HEADLINE_STOP_WORDS.has(t)) continue;
    // One-letter leftovers ("s" from "U.S." is kept as "us" earlier) say nothing.
    if (t.length === 1 && !/\d/.test(t)) continue;
    out.push(t);
  }
  return out;
}

export interface RankingTokenOptions {
  /** Drop function words and one-letter words (default true). */
  stopwords?: boolean;
  /** Strip common English suffixes (default true). */
  stem?: boolean;
}

/**
 * The content words of an article's sentence, for ranking sentences: lower-case runs of letters
 * and digits in any script, function words dropped, a light suffix stemmer so "regulator" and
 * "regulators" meet. Scripts written without spaces (Chinese, Japanese, Thai) become character
 * bigrams so that they still share terms.
 */
export function rankingTokens(text: string, opts: RankingTokenOptions = {}): string[] {
  const dropStop = opts.stopwords ?? true;
  const stem = opts.stem ?? true;
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(RANKING_WORD)) {
    const word = m[0].replace(/['’]s$/, '').replace(/['’]/g, '');
    if (!word) continue;
    if (UNSPACED.test(word)) {
      for (const piece of bigrams(word)) out.push(piece);
      continue;
    }
    if (dropStop && (FUNCTION_WORDS.has(word) || word.length < 2)) continue;
    out.push(stem ? stemSentenceWord(word) : word);
  }
  return out;
}

/**
 * Number of words: runs of letters and digits, joined by an apostrophe, a dot or a hyphen
 * ("don't", "U.S.", "well-known" are one word each). What a page's article length is judged by.
 */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/**
 * Number of whitespace-separated pieces ("—" and "(AP)" count too): the unit of "words per
 * summary" in the summarization evaluation, and of the summarizer's sentence-length rules, which
 * were tuned on it.
 */
export function countSpacedWords(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

/**
 * The words of a line as written (case, inner and trailing dots, hyphens and apostrophes kept:
 * "U.S.", "Co-Op"), for layout rules that look at capitalisation, such as telling a title line
 * from a sentence.
 */
export function casedWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? [];
}

/**
 * Lower-case words with a trailing possessive 's removed and nothing else folded (no diacritics
 * dropped, no stems): what the LLM answer guard compares, word for word, with the article.
 */
export function lowerWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_']*/gu) ?? []).map((w) => w.replace(/'s$/, ''));
}

const MATCH_WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
const RANKING_WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

function stripPossessive(word: string): string {
  return word.length > 2 && word.endsWith("'s") ? word.slice(0, -2) : word;
}

function bigrams(word: string): string[] {
  const chars = Array.from(word);
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}
