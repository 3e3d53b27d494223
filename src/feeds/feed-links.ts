/**
 * Feed autodiscovery for error messages: a web page given where a feed was expected usually
 * names its feed in its head (`<link rel="alternate" type="application/rss+xml" href="…">`),
 * and that address is the fix the person needs.
 */

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/rdf+xml',
]);
/** Feed links sit in the head; a page's first 256 KB holds it. */
const HEAD_CHARS = 256 * 1024;
const MAX_LINKS = 3;

/**
 * The feed addresses a page advertises, in page order, without duplicates. Relative addresses
 * resolve against `pageUrl` when it is http(s), and are kept as written when it is not.
 */
export function feedLinksInHtml(html: string, pageUrl: string): string[] {
  const base = /^https?:\/\//i.test(pageUrl) ? pageUrl : undefined;
  const found: string[] = [];
  for (const tag of html.slice(0, HEAD_CHARS).match(/<link\b[^>]*>/gi) ?? []) {
    const attrs = attributes(tag);
    const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
    const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim();
    if (!rel.includes('alternate') || !FEED_TYPES.has(type) || !attrs.href) continue;
    const href = resolve(attrs.href, base);
    if (href && !found.includes(href)) found.push(href);
    if (found.length === MAX_LINKS) break;
  }
  return found;
}

/** The not_a_feed message for a web page: what it is, then the feed it links, when it links one. */
export function webPageMessage(html: string, pageUrl: string): string {
  const links = feedLinksInHtml(html, pageUrl);
  const what = 'This is a web page (HTML), not a feed.';
  if (links.length === 1) return `${what} The page links its feed at ${links[0]}: use that address.`;
  if (links.length > 1) return `${what} The page links these feeds: ${links.join(', ')}. Use one of those addresses.`;
  return `${what} Look on that page for its RSS or Atom link and use that address.`;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/gi, '&')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>');
}

function resolve(href: string, base: string | undefined): string | null {
  const text = href.trim();
  try {
    const url = new URL(text, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    // A saved page (a file, stdin) has no site to resolve against: its own relative path still helps.
    return base === undefined && /^[/.\w][^\s<>"]*$/.test(text) ? text : null;
  }
}
