import { htmlToLine, htmlToText, looksLikeMarkup } from './html-text.js';
import { canonicalUrl, isHttpUrl, parseDate, stableId, uniqueById } from './normalize.js';
import type { Enclosure, NormalizedItem, ParsedFeed } from './types.js';
import { attr, first, hasChildElements, kids, textOf, type XNode } from './xml-node.js';

/** What either XML reader found: the channel (RSS) or feed (Atom) element and its entries. */
export interface FeedSource {
  format: 'rss' | 'atom';
  channel: XNode | undefined;
  items: XNode[];
  /** Attributes of the root element when it is neither the channel nor an entry, for an xml:base set there. */
  rootAttrs?: Record<string, string> | undefined;
}

/** Maps RSS 0.9x/1.0/2.0 or Atom elements to normalized items, dropping repeated ids. */
export function mapFeed(src: FeedSource, opts: { url: string; now: number }): ParsedFeed {
  const atom = src.format === 'atom';
  const ch = src.channel;
  const feedUrl = isHttpUrl(opts.url) ? opts.url : undefined;
  const channelLink = atom ? pickAtomLink(kids(ch, 'link')) : rssLink(ch)?.href;
  // Atom defines the document's address as the base. RSS defines none; its relative links are
  // the site's paths, and a feed is often served from another host (a CDN, a feed service), so
  // the channel's own <link> is the better base there. Either way, fall back to the other.
  const outer = atom ? (feedUrl ?? absolute(channelLink)) : (absolute(channelLink) ?? feedUrl);
  // xml:base nests: the root's, then the channel's (each relative to the one outside it).
  const base = resolveBase(attr(ch, 'xml:base'), resolveBase(src.rootAttrs?.['xml:base'], outer));
  const feedAuthor = atom ? personName(first(ch, 'author')) : null;
  const items = uniqueById(
    src.items
      .filter((node) => typeof node !== 'string' || node.trim())
      .map((node) => (atom ? mapAtomEntry(node, base, feedAuthor, opts.now) : mapRssItem(node, base, opts.now))),
  );
  const ttl = atom ? Number.NaN : Number.parseInt(textOf(first(ch, 'ttl')).trim(), 10);
  return {
    title: titleText(first(ch, 'title'), atom) || null,
    link: channelLink ? canonicalUrl(channelLink, base) : null,
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
    items,
  };
}

function mapRssItem(node: XNode, outerBase: string | undefined, now: number): NormalizedItem {
  const base = resolveBase(attr(node, 'xml:base'), outerBase);
  const guidNode = first(node, 'guid');
  const guid = textOf(guidNode).trim() || textOf(first(node, 'dc:identifier')).trim();
  const link = rssLink(node) ?? permalinkGuid(guidNode) ?? rdfAbout(node);
  const url = link ? canonicalUrl(link.href, resolveBase(attr(link.node, 'xml:base'), base)) : null;
  const dateText = firstText(
    node,
    'pubDate',
    'dc:date',
    'atom:published',
    'published',
    'dcterms:issued',
    'atom:updated',
    'updated',
    'dcterms:modified',
    'a10:updated',
    'lastBuildDate',
  );
  const source = textOf(first(node, 'source')).replace(/\s+/g, ' ').trim() || null;
  const title = withoutSourceSuffix(
    titleText(first(node, 'title', 'dc:title', 'itunes:title', 'media:title'), false),
    source,
  );
  const content = bodyText([
    first(node, 'content:encoded'),
    first(node, 'description', 'dc:description'),
    first(node, 'atom:content', 'atom:summary'),
  ]);
  const categories = unique([...kids(node, 'category'), ...kids(node, 'dc:subject')].flatMap(categoryTexts));
  const date = parseDate(dateText, now);
  return {
    id: stableId({ guid, url, title, dateText, content }),
    url,
    title,
    published: date.iso,
    publishedEstimated: date.estimated,
    author: rssAuthor(node),
    categories,
    content,
    enclosures: enclosures(node, base),
    ...(source ? { source } : {}),
  };
}

/** Aggregators append the outlet to the headline ("Court rules … - The Outlet"); the outlet is credited separately. */
function withoutSourceSuffix(title: string, source: string | null): string {
  if (!source) return title;
  for (const sep of [' - ', ' – ', ' — ', ' | ']) {
    if (title.endsWith(`${sep}${source}`) && title.length > source.length + sep.length) {
      return title.slice(0, -(source.length + sep.length)).trim();
    }
  }
  return title;
}

function mapAtomEntry(
  node: XNode,
  outerBase: string | undefined,
  feedAuthor: string | null,
  now: number,
): NormalizedItem {
  const base = resolveBase(attr(node, 'xml:base'), outerBase);
  const links = kids(node, 'link');
  const href = pickAtomLink(links);
  const url = href ? canonicalUrl(href, resolveBase(attr(findLink(links, href), 'xml:base'), base)) : null;
  const dateText = firstText(node, 'published', 'issued', 'created', 'updated', 'modified', 'dc:date');
  const title = titleText(first(node, 'title'), true);
  const content = bodyText([first(node, 'content'), first(node, 'summary')]);
  const categories = unique(
    kids(node, 'category').map((c) => (attr(c, 'term') ?? attr(c, 'label') ?? textOf(c)).trim()),
  );
  const date = parseDate(dateText, now);
  const guid = textOf(first(node, 'id')).trim();
  return {
    id: stableId({ guid, url, title, dateText, content }),
    url,
    title,
    published: date.iso,
    publishedEstimated: date.estimated,
    author: personName(first(node, 'author')) ?? (textOf(first(node, 'dc:creator')).trim() || feedAuthor),
    categories,
    content,
    enclosures: enclosures(node, base),
  };
}

/** Titles are plain text in theory; in practice RSS titles carry entities and tags, so strip them. */
function titleText(node: XNode | undefined, atom: boolean): string {
  const raw = textOf(node);
  const type = attr(node, 'type');
  if (atom && (type === undefined || type === 'text') && !hasChildElements(node))
    return raw.replace(/\s+/g, ' ').trim();
  if (looksLikeMarkup(raw)) return htmlToLine(raw);
  return raw.replace(/\s+/g, ' ').trim();
}

/** The first non-empty body among the candidates, best first, as plain text. */
function bodyText(candidates: (XNode | undefined)[]): string {
  for (const node of candidates) {
    if (node === undefined) continue;
    const type = attr(node, 'type');
    const raw = textOf(node);
    const text = type === 'text' && !hasChildElements(node) ? raw.replace(/[ \t]+/g, ' ').trim() : htmlToText(raw);
    if (text) return text;
  }
  return '';
}

interface FoundLink {
  href: string;
  /** The element it came from, for an xml:base set on it. */
  node: XNode | undefined;
}

/** <link>text</link>, or the alternate page among the Atom links (atom:link, or a10:link from .NET). */
function rssLink(node: XNode | undefined): FoundLink | undefined {
  for (const l of kids(node, 'link')) {
    if (NOT_PAGES.has((attr(l, 'rel') ?? '').toLowerCase())) continue;
    const text = textOf(l).trim() || attr(l, 'href')?.trim();
    if (text) return { href: text, node: l };
  }
  const atomLinks = [...kids(node, 'atom:link'), ...kids(node, 'a10:link')];
  const alt = pickAtomLink(atomLinks);
  return alt ? { href: alt, node: findLink(atomLinks, alt) } : undefined;
}

/**
 * A guid is the article's address when the item has no <link> and it is a permalink: isPermaLink
 * defaults to true, but an unmarked guid counts only when it is an absolute http(s) URL (many are
 * database keys); one marked isPermaLink="true" may be relative, resolved against xml:base.
 */
function permalinkGuid(guidNode: XNode | undefined): FoundLink | undefined {
  const guid = textOf(guidNode).trim();
  const marked = attr(guidNode, 'isPermaLink')?.trim().toLowerCase();
  if (!guid || marked === 'false') return undefined;
  return isHttpUrl(guid) || (marked === 'true' && !/^[a-z][a-z0-9+.-]*:/i.test(guid))
    ? { href: guid, node: guidNode }
    : undefined;
}

function rdfAbout(node: XNode): FoundLink | undefined {
  const about = attr(node, 'rdf:about')?.trim();
  return about ? { href: about, node: undefined } : undefined;
}

/** A category's text; several in one element (an RDF bag of <rdf:li>, as dc:subject allows) give one each. */
function categoryTexts(node: XNode): string[] {
  if (!hasChildElements(node)) return [textOf(node).trim()];
  const leaves: string[] = [];
  const pending: XNode[] = [node];
  while (pending.length > 0) {
    const n = pending.pop()!;
    if (!hasChildElements(n)) {
      leaves.push(textOf(n).trim());
      continue;
    }
    const el = n as Exclude<XNode, string>;
    for (const key of Object.keys(el).reverse()) {
      const v = el[key];
      if (key !== '$' && key !== '_' && Array.isArray(v)) pending.push(...[...v].reverse());
    }
  }
  return leaves;
}

/** An explicit HTML alternate, else the first alternate (rel defaults to alternate), else the first link that is not self/edit/enclosure. */
function pickAtomLink(links: XNode[]): string | undefined {
  const withHref = links.filter((l) => (attr(l, 'href') ?? '').trim() !== '');
  const chosen =
    withHref.find((l) => attr(l, 'rel') === 'alternate' && /html/i.test(attr(l, 'type') ?? '')) ??
    withHref.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ??
    withHref.find((l) => !NOT_PAGES.has((attr(l, 'rel') ?? '').toLowerCase()));
  return chosen ? attr(chosen, 'href')!.trim() : undefined;
}

const NOT_PAGES = new Set([
  'self',
  'edit',
  'enclosure',
  'replies',
  'license',
  'hub',
  'next',
  'previous',
  'first',
  'last',
]);

function findLink(links: XNode[], href: string): XNode | undefined {
  return links.find((l) => attr(l, 'href')?.trim() === href);
}

function rssAuthor(node: XNode): string | null {
  for (const name of ['dc:creator', 'author', 'itunes:author', 'atom:author', 'dc:contributor']) {
    for (const a of kids(node, name)) {
      const person = personName(a);
      if (person) return person;
    }
  }
  return null;
}

/** "Jane Doe", from <name>, or "jane@example.org (Jane Doe)", or a bare value. */
function personName(node: XNode | undefined): string | null {
  if (node === undefined) return null;
  const named = textOf(first(node, 'name', 'atom:name')).trim();
  if (named) return named;
  const raw = (typeof node === 'string' ? node : (node._ ?? textOf(first(node, 'email')))).replace(/\s+/g, ' ').trim();
  if (!raw) return null;
  const paren = /^\S+@\S+\s*\((.+)\)$/.exec(raw);
  return paren ? paren[1]!.trim() : raw;
}

function enclosures(node: XNode, base: string | undefined): Enclosure[] {
  const out: Enclosure[] = [];
  const seen = new Set<string>();
  const add = (href: string | undefined, type: string | undefined, length: string | undefined) => {
    const url = href ? canonicalUrl(href, base) : null;
    if (!url || seen.has(url)) return;
    seen.add(url);
    const n = length ? Number.parseInt(length, 10) : Number.NaN;
    out.push({ url, type: type?.trim() || null, length: Number.isFinite(n) && n >= 0 ? n : null });
  };
  for (const e of kids(node, 'enclosure')) add(attr(e, 'url') ?? attr(e, 'href'), attr(e, 'type'), attr(e, 'length'));
  for (const l of kids(node, 'link')) {
    if (attr(l, 'rel') === 'enclosure') add(attr(l, 'href'), attr(l, 'type'), attr(l, 'length'));
  }
  const media = [...kids(node, 'media:content'), ...kids(node, 'media:group').flatMap((g) => kids(g, 'media:content'))];
  for (const m of media) add(attr(m, 'url'), attr(m, 'type'), attr(m, 'fileSize'));
  return out;
}

function firstText(node: XNode, ...names: string[]): string | undefined {
  for (const name of names) {
    for (const k of kids(node, name)) {
      const t = textOf(k).trim();
      if (t) return t;
    }
  }
  return undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((v) => v.replace(/\s+/g, ' ')).filter((v) => v.length > 0))];
}

function resolveBase(base: string | undefined, outer: string | undefined): string | undefined {
  if (!base?.trim()) return outer;
  try {
    return new URL(base.trim(), outer).href;
  } catch {
    return outer;
  }
}

function absolute(href: string | undefined): string | undefined {
  return href && isHttpUrl(href.trim()) ? href.trim() : undefined;
}
