import { Readability } from '@mozilla/readability';
import { DOMParser } from 'linkedom';
import { errorMessage } from '../errors.js';
import { countWords } from '../text/words.js';
import type { Fetcher } from './fetch.js';
import { FetchError } from './fetch-errors.js';

/**
 * Full text for items whose feed gives only a teaser: fetch the article page with the feeds'
 * fetcher (same per-host politeness, limits and error kinds) and pull out the main text with
 * Readability over linkedom. Failure is an ordinary outcome: the caller keeps the feed text.
 */
export type FullTextMode = 'auto' | 'always' | 'never';

/** In 'auto' mode, feed content under this many words is treated as a teaser. */
export const TEASER_WORDS = 80;
/** Extracted text under this many words is not an article (a cookie wall, an index page, an app shell). */
export const MIN_ARTICLE_WORDS = 40;
/** More of the extracted text than this inside links means a list of links, not prose. */
const MAX_LINK_DENSITY = 0.5;
export const ARTICLE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';
/** Pages are bigger than feeds, but an article page over this is not worth parsing. */
export const MAX_PAGE_BYTES = 3 * 1024 * 1024;
/** Readability gives up on pages with more elements than this, instead of spending seconds on them. */
const MAX_ELEMENTS = 30_000;
/**
 * Extraction reads at most this much of a page once its scripts, styles and comments are gone:
 * the article starts well within it, and parsing a page of several megabytes holds the event loop
 * for seconds.
 */
export const MAX_EXTRACT_HTML_CHARS = 256 * 1024;

export interface ExtractedArticle {
  title: string | null;
  /** Plain text; paragraphs separated by a blank line, list items and <br> by a newline. */
  text: string;
}

export type FullTextResult = { ok: true; text: string; title: string | null } | { ok: false; reason: string };

export function needsFullText(mode: FullTextMode, content: string): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  // TEASER_WORDS words fit in far fewer characters than this; a huge item need not be counted whole.
  return countWords(content.slice(0, TEASER_WORDS * 100)) < TEASER_WORDS;
}

/** The main article of an HTML page as plain text, or null when the page has no article-like content. */
export function extractArticle(html: string, url: string): ExtractedArticle | null {
  let parsed: ReturnType<Readability<unknown>['parse']>;
  try {
    const document = new DOMParser().parseFromString(extractableHtml(html), 'text/html');
    setBaseUrl(document as unknown as MiniDocument, url);
    dropAdSlots(document as unknown as MiniDocument);
    // The serializer hands back the content element itself, so its text can be laid out by block.
    parsed = new Readability<unknown>(document, {
      maxElemsToParse: MAX_ELEMENTS,
      serializer: (node: unknown) => node,
    }).parse();
  } catch {
    // Readability throws past maxElemsToParse; linkedom rarely throws on broken markup. Either way: no article.
    return null;
  }
  const root = parsed?.content as MiniNode | null | undefined;
  if (!parsed || !root) return null;
  const text = layoutText(root);
  if (countWords(text) < MIN_ARTICLE_WORDS) return null;
  if (linkDensity(root, text) > MAX_LINK_DENSITY) return null;
  const title = parsed.title?.replace(/\s+/g, ' ').trim();
  return { title: title || null, text };
}

/** Fetches an article page and extracts its text. Never throws: a failure comes back with its reason. */
export async function fetchFullText(
  fetcher: Fetcher,
  url: string,
  opts: { untrusted?: boolean } = {},
): Promise<FullTextResult> {
  let page: Awaited<ReturnType<Fetcher['fetch']>>;
  try {
    const untrusted = opts.untrusted ? { untrusted: true } : {};
    page = await fetcher.fetch({ url, accept: ARTICLE_ACCEPT, maxBodyBytes: MAX_PAGE_BYTES, ...untrusted });
  } catch (err) {
    if (err instanceof FetchError) return { ok: false, reason: `page fetch failed (${err.kind}): ${err.message}` };
    return { ok: false, reason: `page fetch failed: ${errorMessage(err)}` };
  }
  if (page.status !== 200) return { ok: false, reason: `page fetch returned HTTP ${page.status}` };
  const type = page.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && !/html|xml/.test(type)) return { ok: false, reason: `the page is not HTML (${type})` };
  let article: ExtractedArticle | null;
  try {
    article = extractArticle(page.body, page.url);
  } catch (err) {
    return { ok: false, reason: `extraction failed: ${errorMessage(err)}` };
  }
  if (!article) return { ok: false, reason: 'no article text found on the page' };
  return { ok: true, text: article.text, title: article.title };
}

/**
 * The part of a page worth parsing: without scripts (JSON-LD metadata aside, which Readability
 * reads), styles, inline SVG and comments, which are most of a modern page's bytes and never
 * article text, then cut at a tag boundary at MAX_EXTRACT_HTML_CHARS (the parser closes what
 * the cut leaves open).
 */
export function extractableHtml(html: string): string {
  const lean = html
    .replace(/<script\b(?![^>]*application\/ld\+json)[^>]*>[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<(style|svg)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  if (lean.length <= MAX_EXTRACT_HTML_CHARS) return lean;
  const cut = lean.lastIndexOf('<', MAX_EXTRACT_HTML_CHARS);
  return lean.slice(0, cut > 0 ? cut : MAX_EXTRACT_HTML_CHARS);
}

/** Just the DOM surface used here: the project has no DOM lib types, and linkedom's are not DOM's. */
interface MiniNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<MiniNode>;
}

interface MiniElement {
  getAttribute(name: string): string | null;
  remove(): void;
}

interface MiniDocument {
  head: { prepend(node: unknown): void } | null;
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): Iterable<MiniElement>;
  createElement(name: string): { setAttribute(name: string, value: string): void };
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const BLOCKS = new Set(
  'address article aside blockquote dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section summary table tbody thead tfoot tr ul'.split(
    ' ',
  ),
);
const LINES = new Set(['li', 'br', 'td', 'th', 'caption']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'button', 'select', 'textarea']);

/** Relative links in the article resolve against the page address, as in a browser. */
function setBaseUrl(document: MiniDocument, url: string): void {
  if (!url || document.querySelector('base[href]') || !document.head) return;
  const base = document.createElement('base');
  base.setAttribute('href', url);
  document.head.prepend(base);
}

/**
 * Ad slots and sponsored boxes sit inside the article markup often enough that Readability keeps
 * them ("Advertisement" between paragraphs); they are recognisable by class or id.
 */
function dropAdSlots(document: MiniDocument): void {
  for (const el of [...document.querySelectorAll('[class], [id]')]) {
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (AD_NAMES.test(names)) el.remove();
  }
}

const AD_NAMES =
  /(^|[\s_-])(ad|ads|adslot|advert|adverts|advertisement|sponsored|promo|dfp|taboola|outbrain)([\s_-]|$)/i;
/** Lines that are only an ad label, left behind when the slot itself had no telling class. */
const AD_LABEL = /^(advertisement|advertising|sponsored( content)?|ad|story continues below( advertisement)?)$/i;
const PARAGRAPH = '\u0001';
const LINE = '\u0002';

/** Text with paragraph structure: blocks become blank-line separated paragraphs, list items and <br> lines. */
function layoutText(root: MiniNode): string {
  const out: string[] = [];
  const walk = (node: MiniNode) => {
    if (node.nodeType === TEXT_NODE) {
      // Whitespace in HTML text is not layout; only the element marks below make line breaks.
      out.push((node.textContent ?? '').replace(/[\s\u0001\u0002]+/g, ' '));
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = node.nodeName.toLowerCase();
    if (SKIP.has(name)) return;
    const mark = BLOCKS.has(name) ? PARAGRAPH : LINES.has(name) ? LINE : '';
    out.push(mark);
    forEachChild(node, walk);
    out.push(mark);
  };
  walk(root);
  const paragraphs = out
    .join('')
    .split(/ *\u0001[\u0001\u0002 ]* */)
    .map((p) =>
      p
        .split(/ *\u0002[\u0002 ]* */)
        .map((line) => line.replace(/ {2,}/g, ' ').trim())
        .filter((line) => line && !AD_LABEL.test(line))
        .join('\n'),
    )
    .filter(Boolean);
  return paragraphs.join('\n\n');
}

function linkDensity(root: MiniNode, text: string): number {
  let linked = 0;
  const walk = (node: MiniNode) => {
    if (node.nodeType !== ELEMENT_NODE) return;
    if (node.nodeName.toLowerCase() === 'a') {
      linked += (node.textContent ?? '').replace(/\s+/g, '').length;
      return;
    }
    forEachChild(node, walk);
  };
  walk(root);
  const total = text.replace(/\s+/g, '').length;
  return total === 0 ? 1 : linked / total;
}

/** linkedom builds `childNodes` afresh on every read: read it once per node, or a long article costs O(n²). */
function forEachChild(node: MiniNode, fn: (child: MiniNode) => void): void {
  const children = node.childNodes;
  for (let i = 0; i < children.length; i++) fn(children[i]!);
}
