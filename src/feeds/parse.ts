import Parser from 'rss-parser';
import { errorMessage } from '../errors.js';
import { webPageMessage } from './feed-links.js';
import { type FeedSource, mapFeed } from './feed-map.js';
import { FetchError } from './fetch-errors.js';
import { parseJsonFeed } from './json-feed.js';
import type { ParsedFeed } from './types.js';
import { inlineXhtml } from './xhtml-inline.js';
import { parseLenientXml } from './xml-lenient.js';
import { first, kids, type XElement, type XNode } from './xml-node.js';

export interface ParseOptions {
  /** The feed's URL (or a file path/URL); relative links resolve against it when it is http(s). */
  url: string;
  /** First-seen time for items without a usable date; default Date.now(). */
  now?: number;
}

/**
 * Parses RSS 0.9x/1.0/2.0, Atom (through rss-parser) and JSON Feed 1.0/1.1 into normalized,
 * de-duplicated items. When rss-parser refuses an XML feed (undefined entities, stray "&",
 * no version attribute, text after the root, …) a lenient reader takes over rather than drop
 * the feed.
 *
 * Throws FetchError: `not_a_feed` for HTML pages, plain text, other XML or non-feed JSON;
 * `malformed_xml` for a feed whose XML even the lenient reader cannot use (e.g. cut off).
 */
export function parseFeed(text: string, opts: ParseOptions): ParsedFeed {
  const now = opts.now ?? Date.now();
  const doc = text.replace(/^\uFEFF/, '').trimStart();
  if (!doc) throw new FetchError('not_a_feed', 'The document is empty, so it is not a feed.');
  if (doc.startsWith('{') || doc.startsWith('[')) return parseJsonFeed(doc, { url: opts.url, now });
  if (!doc.startsWith('<')) {
    throw new FetchError('not_a_feed', 'The document is plain text, not RSS, Atom or JSON Feed.', {
      detail: doc.slice(0, 80),
    });
  }
  const root = rootElement(doc);
  const local = root?.name.slice(root.name.indexOf(':') + 1) ?? '';
  // The root decides, not a doctype: some generators put <!DOCTYPE html> before a real <feed>.
  if (
    !root ||
    HTML_ROOTS.has(local.toLowerCase()) ||
    (/<!doctype\s+html/i.test(doc.slice(0, 1024)) && !FEED_ROOTS.has(local.toLowerCase()))
  ) {
    throw new FetchError('not_a_feed', webPageMessage(doc, opts.url));
  }
  if (!FEED_ROOTS.has(local.toLowerCase())) {
    throw new FetchError('not_a_feed', `The document is XML with root element <${root.name}>, not RSS or Atom.`);
  }
  const format = ['feed', 'entry'].includes(local.toLowerCase()) ? 'atom' : 'rss';

  const xml = inlineXhtml(doc);
  let strictError: string;
  try {
    return mapFeed(viaRssParser(xml, format), { url: opts.url, now });
  } catch (err) {
    strictError = errorMessage(err);
  }
  const lenient = parseLenientXml(xml);
  if (!lenient) {
    throw new FetchError('malformed_xml', `The feed's XML is broken: no channel or entries could be found in it.`, {
      detail: strictError,
    });
  }
  const source = fromTree(lenient.rootName, lenient.root);
  if (!lenient.complete) {
    // A cut-off document still holds the items that closed before the cut; the one cut in
    // half is dropped. With none complete there is nothing trustworthy to keep.
    source.items = source.items.filter((item) => typeof item === 'string' || !lenient.unclosed.has(item));
    if (source.items.length === 0) {
      throw new FetchError(
        'malformed_xml',
        `The feed's XML is cut off: the <${root.name}> element never closes and no complete item precedes the cut.`,
        { detail: strictError },
      );
    }
  }
  return mapFeed(source, { url: opts.url, now });
}

// An Atom entry document (RFC 4287 §4.1.2) is a feed of one.
const FEED_ROOTS = new Set(['rss', 'feed', 'rdf', 'channel', 'entry']);
const HTML_ROOTS = new Set(['html', 'head', 'body']);

// Everything the mapper reads from an item or channel, kept as raw xml2js arrays.
const ITEM_FIELDS = [
  ...['$', 'title', 'dc:title', 'itunes:title', 'media:title', 'link', 'atom:link', 'a10:link', 'guid', 'id'],
  'dc:identifier',
  ...['pubDate', 'dc:date', 'atom:published', 'published', 'dcterms:issued', 'atom:updated', 'updated'],
  ...['dcterms:modified', 'a10:updated', 'lastBuildDate', 'issued', 'created', 'modified'],
  ...['content:encoded', 'description', 'dc:description', 'atom:content', 'atom:summary', 'content', 'summary'],
  ...['category', 'dc:subject', 'author', 'dc:creator', 'itunes:author', 'atom:author', 'dc:contributor'],
  ...['enclosure', 'media:content', 'media:group', 'source'],
];
const FEED_FIELDS = ['$', 'title', 'link', 'atom:link', 'ttl', 'author'];
const PREFIX = 'raw:';

type RawOutput = Record<string, unknown> & { items: Record<string, unknown>[] };

/**
 * rss-parser's public parseString wraps synchronous work in a Promise: its xml2js parser calls
 * back before returning, then one of its build* methods shapes the result. We run those same
 * steps directly so parseFeed stays synchronous (pinned to rss-parser 3.13; if they are ever
 * missing, the throw below hands the document to the lenient reader instead).
 */
interface RssParserSteps {
  xmlParser: { parseString(xml: string, cb: (err: Error | null, result: unknown) => void): unknown };
  buildAtomFeed(tree: unknown): RawOutput;
  buildRSS2(tree: unknown): RawOutput;
  buildRSS1(tree: unknown): RawOutput;
  buildRSS0_9(tree: unknown): RawOutput;
}

/** True when the installed rss-parser still exposes the steps parseFeed drives. */
export function rssParserUsable(): boolean {
  const p = new Parser() as unknown as Partial<RssParserSteps>;
  return (
    typeof p.xmlParser?.parseString === 'function' &&
    ['buildAtomFeed', 'buildRSS2', 'buildRSS1', 'buildRSS0_9'].every(
      (m) => typeof (p as Record<string, unknown>)[m] === 'function',
    )
  );
}

function viaRssParser(doc: string, format: 'rss' | 'atom'): FeedSource {
  const keep = (names: string[]) => names.map((n) => [n, PREFIX + n, { keepArray: true }]);
  const parser = new Parser({
    customFields: { feed: keep(FEED_FIELDS) as never, item: keep(ITEM_FIELDS) as never },
  }) as unknown as RssParserSteps;
  let tree: unknown;
  let failure: Error | null = null;
  let called = false;
  parser.xmlParser.parseString(doc, (err, result) => {
    called = true;
    failure = err;
    tree = result;
  });
  if (!called) throw new Error('rss-parser did not parse synchronously');
  if (failure) throw failure;
  const out = build(parser, tree);
  const channel = collect(out, FEED_FIELDS);
  const t = (tree ?? {}) as Record<string, { $?: Record<string, string> } | undefined>;
  const rootAttrs = (t.rss ?? t['rdf:RDF'])?.$;
  return { format, channel, items: (out.items ?? []).map((item) => collect(item, ITEM_FIELDS)), rootAttrs };
}

/** The same dispatch rss-parser's parseString makes, minus its defaultRSS guess (the lenient reader covers that). */
function build(parser: RssParserSteps, tree: unknown): RawOutput {
  const t = (tree ?? {}) as Record<string, { $?: Record<string, string> } | undefined>;
  const version = t.rss?.$?.version ?? '';
  if (t.feed) return parser.buildAtomFeed(t);
  if (t.rss && /^2/.test(version)) return parser.buildRSS2(t);
  if (t['rdf:RDF']) return parser.buildRSS1(t);
  if (t.rss && /0\.9/.test(version)) return parser.buildRSS0_9(t);
  throw new Error('Feed not recognized as RSS 1 or 2.');
}

function collect(obj: Record<string, unknown>, names: string[]): XElement {
  const node: XElement = {};
  for (const name of names) {
    const v = obj[PREFIX + name];
    if (v !== undefined) node[name] = v as XNode[];
  }
  return node;
}

/** Finds channel and items in a tree from the lenient reader. */
function fromTree(rootName: string, root: XElement): FeedSource {
  const name = rootName.toLowerCase();
  if (name === 'feed') return { format: 'atom', channel: root, items: kids(root, 'entry') };
  if (name === 'entry') return { format: 'atom', channel: undefined, items: [root] };
  if (name === 'channel') return { format: 'rss', channel: root, items: kids(root, 'item') };
  // <rss version="2.0"></rss> is a well-formed feed with nothing in it yet: an empty feed, not a
  // broken one (a cut-off document is told apart by the caller, from lenient.complete).
  const channel = first(root, 'channel');
  const items = [...kids(channel, 'item'), ...kids(root, 'item')];
  return { format: 'rss', channel, items, rootAttrs: root.$ };
}

/** The first element's name, skipping the prolog, comments and any doctype. */
function rootElement(doc: string): { name: string } | null {
  let i = 0;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    if (lt < 0) return null;
    if (doc.startsWith('<?', lt)) i = endOf(doc, '?>', lt);
    else if (doc.startsWith('<!--', lt)) i = endOf(doc, '-->', lt);
    else if (doc.startsWith('<!', lt)) i = endOf(doc, '>', lt);
    else {
      const m = /^<([A-Za-z_][A-Za-z0-9_.:-]*)/.exec(doc.slice(lt, lt + 130));
      return m ? { name: m[1]! } : null;
    }
  }
  return null;
}

function endOf(doc: string, marker: string, from: number): number {
  const at = doc.indexOf(marker, from + 2);
  return at < 0 ? doc.length : at + marker.length;
}
