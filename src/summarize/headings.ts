/**
 * Headings in article text: Markdown (`# Title`, `**Subhead**`, a setext underline) and plain-text
 * title lines. They label what follows; they are never sentences of a summary, and a lone `#` or
 * `---` is not a title.
 */

import { casedWords } from '../text/words.js';

export type LineKind = 'text' | 'heading' | 'marker';

/**
 * How one line (already trimmed) reads: `marker` for a line of markup alone (`#`, `---`, `===`,
 * `***`), `heading` for a Markdown heading, a whole-line bold or italic span without a
 * sentence's end, or a short Title Case line without end punctuation; else `text`.
 */
export function lineKind(line: string): LineKind {
  if (MARKER.test(line)) return 'marker';
  if (ATX.test(line)) return 'heading';
  if (LIST_ITEM.test(line)) return 'text';
  const emphasis = EMPHASIS.exec(line);
  if (emphasis) return endsSentence(emphasis[2]!) && casedWords(emphasis[2]!).length > 15 ? 'text' : 'heading';
  return isTitleLine(line) ? 'heading' : 'text';
}

/** The words of a heading line without its markup: `## Court rules` → `Court rules`; null for a bare marker. */
export function headingText(line: string): string | null {
  const t = line.trim();
  if (!t || MARKER.test(t)) return null;
  const text = t
    .replace(/^#{1,6}\s+/, '')
    .replace(/\s+#+$/, '')
    .replace(EMPHASIS, '$2')
    .trim();
  return /[\p{L}\p{N}]/u.test(text) ? text : null;
}

/** A setext underline (=== or ---) makes the line above it a heading. */
export function isSetextUnderline(line: string): boolean {
  return /^(?:=+|-+)$/.test(line);
}

const MARKER = /^(?:#{1,6}|[=\-*_~]{3,}|(?:[-*_]\s+){2,}[-*_])$/;
const ATX = /^#{1,6}\s+\S/;
/** "- Best actor - …" or "2. Drama": a list item, which the sentence splitter handles as its own block. */
const LIST_ITEM = /^(?:[-–—•*·▪◦‣]\s+|\(?\d{1,3}[.)]\s+)/;
const EMPHASIS = /^(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1[:.]?$/;

function endsSentence(text: string): boolean {
  return /[.!?…。！？]["'”’»)\]]*$/.test(text);
}

/**
 * A plain-text title: at most 20 words, no sentence end, and Title Case (most words of four or
 * more letters capitalised, at least two of them) or all capitals. A sentence cut short in a
 * teaser has lower-case words and stays text.
 */
function isTitleLine(line: string): boolean {
  if (endsSentence(line) || /[,;]$/.test(line)) return false;
  const all = casedWords(line);
  if (all.length === 0 || all.length > 20) return false;
  const long = all.filter((w) => [...w].filter((c) => /\p{L}/u.test(c)).length >= 4);
  if (long.length < 2) return false;
  const capitalised = long.filter((w) => /^\p{Lu}/u.test(w)).length;
  return capitalised / long.length >= 0.7;
}
