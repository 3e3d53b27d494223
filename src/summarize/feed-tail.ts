/**
 * Feeds often cut an article short: a teaser ends in "[…]", "[...]" or "…", in a "Read more" or
 * "Continue reading →" link, or in WordPress's "The post … appeared first on …" line, and some
 * cut at a character count in the middle of a word. None of that belongs in a summary. This
 * strips those tails and keeps only sentences the feed gave whole, so a summary never ends in a
 * marker or inside a word.
 */
import { countSpacedWords } from '../text/words.js';

export interface FeedText {
  /** The text without its truncation tail. */
  text: string;
  /** A truncation marker or "read more" tail was removed: the last sentence is probably cut. */
  cut: boolean;
  /** The feed's own marker stood apart from the last word ("the law […]"), so that word is whole. */
  lastWordWhole: boolean;
}

/** An ellipsis marker at the very end, bracketed or bare: "[…]", "[...]", "(…)", "[more]", "…", "...". */
const MARKER = /(?:\[\s*(?:…|\.{3,}|more|read more)\s*\]|\(\s*(?:…|\.{3,})\s*\)|…|\.{3,})\s*$/iu;
/** A "read more" link's text to the end, at the start of a line or after a sentence end or marker. */
const READ_MORE =
  /(?:^|(?<=[.!?…\]"”’)]\s*)|(?<=\n))(?:read more|continue reading|keep reading|read the (?:full|whole|rest of the) (?:story|article|post|entry)|read full (?:story|article))\b[^\n]{0,160}$/iu;
/** The same link glued to the cut sentence: only its capitalised form, so prose ("you should read more") stays. */
const READ_MORE_GLUED = /(?<=\s)(?:Read more|Continue reading|Keep reading)\b[^\n]{0,160}$/u;
/** WordPress appends this line to every feed item. */
const APPEARED_FIRST = /(?:^|(?<=[.!?…\]"”’)]\s*)|(?<=\n))The post [^\n]{1,400} appeared first on [^\n]{1,200}$/u;
/** Sentence-final punctuation, then any closing quotes or brackets. */
const ENDS_SENTENCE = /[.!?。！？]["'”’»)\]]*$/u;
/** A final line this long without end punctuation is a cut sentence, not a heading or a caption. */
const CUT_MIN_WORDS = 8;

/** Removes truncation markers and "read more" tails from the end of a feed's text, repeatedly. */
export function stripFeedTail(raw: string): FeedText {
  let text = raw.trimEnd();
  let cut = false;
  let lastWordWhole = false;
  for (;;) {
    const marker = MARKER.exec(text);
    const tail = marker ?? READ_MORE.exec(text) ?? READ_MORE_GLUED.exec(text) ?? APPEARED_FIRST.exec(text);
    if (!tail) break;
    const before = text.slice(0, tail.index);
    // The tail removed last is the one next to the cut sentence.
    lastWordWhole = marker !== null && /\s$/u.test(before);
    cut = true;
    text = before.trimEnd();
  }
  return { text, cut, lastWordWhole };
}

/**
 * The sentences a summary may quote. A last sentence without end punctuation that the feed cut
 * (or that is too long to be a heading) is dropped when other sentences remain; when it is all
 * there is, it keeps its whole words and ends in "…".
 */
export function wholeSentences(sentences: string[], tail: FeedText): string[] {
  const last = sentences.at(-1);
  if (last === undefined || ENDS_SENTENCE.test(last)) return sentences;
  if (!tail.cut && countSpacedWords(last) < CUT_MIN_WORDS) return sentences;
  if (sentences.length > 1) return sentences.slice(0, -1);
  // Without a marker nothing says where the feed stopped, so the last word may be a stump too.
  const words = tail.lastWordWhole ? last : last.replace(/\s*\S+$/, '');
  const kept = words.replace(/[\s,;:–—-]+$/u, '');
  return kept ? [`${kept}…`] : [];
}
