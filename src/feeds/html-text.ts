import { decodeEntities } from './entities.js';

/**
 * Turns feed HTML into plain text without building a DOM: scripts, styles and other
 * non-content elements are dropped with their contents, block elements become line breaks,
 * entities are decoded, runs of spaces collapse, and paragraphs stay on their own lines.
 * A "<" that does not start a tag ("a < b", "<3") is kept as text.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  if (!html.includes('<')) return tidy(decodeEntities(html));
  const out: string[] = [];
  const closers: CloserCache = new Map();
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out.push(decodeEntities(html.slice(i)));
      break;
    }
    if (lt > i) out.push(decodeEntities(html.slice(i, lt)));
    i = consumeMarkup(html, lt, out, closers);
  }
  return tidy(out.join(''));
}

/** Plain text on one line: for titles, where a line break means nothing. */
export function htmlToLine(html: string): string {
  return htmlToText(html).replace(/\s*\n\s*/g, ' ');
}

/** True when text holds a tag or a character reference: titles meant as plain text often carry both. */
export function looksLikeMarkup(text: string): boolean {
  return /<[A-Za-z/!]|&[#A-Za-z0-9]+;/.test(text);
}

const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'svg',
  'math',
  'iframe',
  'object',
  'select',
]);
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
]);

/**
 * Per element name, the last search for its closing tag: from where, and where it was found
 * (-1: nowhere after `from`). A feed with thousands of unclosed <script> tags would otherwise
 * rescan the rest of the document for each one (quadratic, minutes on a few MB).
 */
type CloserCache = Map<string, { from: number; at: number; length: number }>;

/** Handles the markup starting at `lt`; returns where text resumes. */
function consumeMarkup(html: string, lt: number, out: string[], closers: CloserCache): number {
  const next = html.charCodeAt(lt + 1);
  if (html.startsWith('<!--', lt)) {
    const end = html.indexOf('-->', lt + 4);
    return end < 0 ? html.length : end + 3;
  }
  if (html.startsWith('<![CDATA[', lt)) {
    const end = html.indexOf(']]>', lt + 9);
    out.push(html.slice(lt + 9, end < 0 ? html.length : end));
    return end < 0 ? html.length : end + 3;
  }
  // <!DOCTYPE …>, <![if …]>, <?xml …?>. Other "<!" text is kept: chat mention syntax such as
  // <!channel> or <!here> in a headline is the publisher's text, stored as written (render
  // neutralizes it), not markup to drop.
  if ((next === 33 /* ! */ && /^<!(?:doctype\b|\[)/i.test(html.slice(lt, lt + 10))) || next === 63 /* ? */) {
    return skipTag(html, lt);
  }
  const closing = next === 47; /* / */
  const nameStart = closing ? lt + 2 : lt + 1;
  const m = /^[A-Za-z][A-Za-z0-9:-]*/.exec(html.slice(nameStart, nameStart + 32));
  if (!m) {
    out.push('<');
    return lt + 1;
  }
  const name = m[0].toLowerCase();
  const end = skipTag(html, lt);
  if (!closing && DROPPED.has(name) && !isSelfClosed(html, end)) {
    const found = findCloser(html, name, end, closers);
    // Never closed: drop just the tag rather than everything after it.
    return found ? found.at + found.length : end;
  }
  if (BLOCK.has(name)) out.push('\n');
  else if (name === 'img' || name === 'td' || name === 'th') out.push(' ');
  else out.push('');
  return end;
}

/** The first </name> at or after `from`, reusing an earlier search that covers it. */
function findCloser(
  html: string,
  name: string,
  from: number,
  closers: CloserCache,
): { at: number; length: number } | null {
  const prior = closers.get(name);
  // No closer in [prior.from, prior.at), so the first one from any later start up to prior.at is the same.
  if (prior && from >= prior.from && (prior.at < 0 || from <= prior.at)) return prior.at < 0 ? null : prior;
  const close = new RegExp(`</${name}\\s*>`, 'ig');
  close.lastIndex = from;
  const m = close.exec(html);
  const result = { from, at: m ? m.index : -1, length: m ? m[0].length : 0 };
  closers.set(name, result);
  return m ? result : null;
}

/** End of a tag, honouring quoted attribute values that may contain ">". */
function skipTag(html: string, lt: number): number {
  let quote = 0;
  for (let j = lt + 1; j < html.length; j++) {
    const c = html.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      // Only a quote right after "=" opens a value; stray apostrophes in broken tags do not.
      const prev = html.slice(Math.max(lt, j - 3), j).trimEnd();
      if (prev.endsWith('=')) quote = c;
    } else if (c === 62 /* > */) {
      return j + 1;
    }
  }
  return html.length;
}

function isSelfClosed(html: string, end: number): boolean {
  return html.charCodeAt(end - 2) === 47;
}

function tidy(text: string): string {
  return text
    .replace(/[\t\f\v \u00a0\u2028\u2029\r]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');
}
