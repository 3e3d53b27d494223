/**
 * OPML, the subscription list every feed reader imports and exports. Reading: each outline with an xmlUrl is a
 * feed; outlines around it are its folders (its category). Problems are listed per entry, never thrown, so an
 * import can skip them and go on. Writing: folders become nested outlines again, so titles and categories come
 * back unchanged through an import and an export.
 */

import { parseLenientXml } from './xml-lenient.js';
import { attr, kids, type XNode } from './xml-node.js';

export interface OpmlFeed {
  url: string;
  /** The outline's title (or text); null when it has neither. */
  title: string | null;
  /** Folders, outermost first. */
  category: string[];
}

export interface OpmlProblem {
  /** Which outline, as a person finds it: its title or text, else its position. */
  entry: string;
  reason: string;
}

export interface OpmlDocument {
  title: string | null;
  feeds: OpmlFeed[];
  problems: OpmlProblem[];
}

/** Reads an OPML document; null when the text is not OPML at all (no <opml> root with a <body>). */
export function parseOpml(text: string): OpmlDocument | null {
  const doc = parseLenientXml(text.replace(/^\uFEFF/, ''));
  if (!doc) return null;
  if (doc.rootName.toLowerCase() !== 'opml') return null;
  const body = kids(doc.root, 'body')[0];
  if (body === undefined) return null;
  const head = kids(doc.root, 'head')[0];
  const titleNode = kids(head, 'title')[0];
  const out: OpmlDocument = { title: textOf(titleNode), feeds: [], problems: [] };
  walk(kids(body, 'outline'), [], out, { n: 0 });
  return out;
}

function walk(outlines: XNode[], folders: string[], out: OpmlDocument, counter: { n: number }): void {
  for (const o of outlines) {
    counter.n++;
    const title = clean(attr(o, 'title') ?? attr(o, 'text'));
    const xmlUrl = attr(o, 'xmlUrl') ?? attr(o, 'xmlurl') ?? attr(o, 'url');
    const children = kids(o, 'outline');
    if (xmlUrl === undefined) {
      if (children.length > 0) walk(children, [...folders, title ?? 'Untitled'], out, counter);
      else out.problems.push({ entry: label(title, counter.n), reason: 'it has no xmlUrl, so it names no feed' });
      continue;
    }
    const url = httpUrl(xmlUrl);
    if (!url) {
      out.problems.push({
        entry: label(title, counter.n),
        reason: `its xmlUrl "${xmlUrl.slice(0, 200)}" is not an http(s) URL`,
      });
      continue;
    }
    out.feeds.push({ url, title, category: folders.length > 0 ? folders : categoryAttribute(o) });
    // A feed outline with children is unusual; the children still count.
    if (children.length > 0) walk(children, folders, out, counter);
  }
}

/** Writes feeds as OPML 2.0, each folder one outline around its feeds, in the order given. */
export function writeOpml(title: string, feeds: OpmlFeed[], now: Date): string {
  const root: Folder = { name: '', folders: new Map(), feeds: [] };
  for (const f of feeds) {
    let at = root;
    for (const name of f.category) {
      let next = at.folders.get(name);
      if (!next) {
        next = { name, folders: new Map(), feeds: [] };
        at.folders.set(name, next);
      }
      at = next;
    }
    at.feeds.push(f);
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${esc(title)}</title>`,
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...folderLines(root, 2),
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

interface Folder {
  name: string;
  folders: Map<string, Folder>;
  feeds: OpmlFeed[];
}

function folderLines(folder: Folder, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const lines = folder.feeds.map((f) => {
    const t = esc(f.title ?? f.url);
    return `${pad}<outline type="rss" text="${t}" title="${t}" xmlUrl="${esc(f.url)}"/>`;
  });
  for (const sub of folder.folders.values()) {
    lines.push(`${pad}<outline text="${esc(sub.name)}" title="${esc(sub.name)}">`);
    lines.push(...folderLines(sub, depth + 1), `${pad}</outline>`);
  }
  return lines;
}

/** OPML 2.0's category attribute ("/News/Policy,/Other"): the first path, when no folder holds the feed. */
function categoryAttribute(o: XNode): string[] {
  const first = attr(o, 'category')?.split(',')[0]?.trim();
  return first ? first.split('/').filter(Boolean) : [];
}

function httpUrl(text: string): string | null {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

function textOf(node: XNode | undefined): string | null {
  if (node === undefined) return null;
  return clean(typeof node === 'string' ? node : node._);
}

function clean(s: string | undefined): string | null {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : null;
}

function label(title: string | null, n: number): string {
  return title ? `"${title}"` : `outline ${n}`;
}

function esc(s: string): string {
  // control characters are not allowed in XML 1.0 at all, escaped or not
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
