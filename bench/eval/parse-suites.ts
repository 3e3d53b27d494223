import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One field set we compare, as the suite's expected output states it (absent = not comparable). */
export interface ExpectedItem {
  title?: string;
  link?: string;
  id?: string;
  date?: string;
  /** Category terms, in any order (absent when the suite states none). */
  categories?: string[];
  /** The main body as the suite gives it (HTML or text): full content when stated, else the summary. */
  content?: string;
}

export interface Case {
  name: string;
  input: string;
  /** The HTTP Content-Type the input was served with, when the case states one. */
  contentType?: string;
  /** The feed's real address when the suite gives one (relative links resolve against it). */
  url?: string;
  /** null when the suite expects the input to be rejected. */
  items: ExpectedItem[] | null;
}

export interface Suite {
  name: string;
  cases: Case[];
  notes: string[];
}

/** Every suite under feeds-conformance, each read with its own output schema, then our own cases. */
export function loadSuites(root: string): Suite[] {
  return [rssParser(root), feedRs(root), rowanmanning(root), feedsmith(root), fastfeedparser(root), watchdesk()];
}

/** Our own cases (tests/fixtures/feeds/conformance: NAME.xml beside NAME.json), also run by the tests. */
export const OWN_CASES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../tests/fixtures/feeds/conformance',
);

function watchdesk(): Suite {
  const cases: Case[] = [];
  for (const file of readdirSync(OWN_CASES_DIR).sort()) {
    if (!file.endsWith('.xml')) continue;
    const stem = file.replace(/\.xml$/, '');
    const expected = readJson(path.join(OWN_CASES_DIR, `${stem}.json`));
    cases.push({
      name: stem,
      input: path.join(OWN_CASES_DIR, file),
      contentType: str(expected.contentType),
      items: list(expected.items).map((i) => ({
        title: str(i.title),
        link: str(i.link),
        id: str(i.id),
        categories: Array.isArray(i.categories) ? (i.categories as string[]) : undefined,
        content: str(i.content),
      })),
    });
  }
  return {
    name: 'watchdesk (ours)',
    cases,
    notes: ['our own fixtures: empty feeds, UTF-16/32, Big5, charset precedence, links, categories, content'],
  };
}

type Json = Record<string, unknown>;

function rssParser(root: string): Suite {
  const dir = path.join(root, 'rss-parser/test');
  const inputs = readdirSync(path.join(dir, 'input'));
  const cases: Case[] = [];
  for (const file of inputs) {
    const stem = file.replace(/\.[^.]+$/, '');
    const out = path.join(dir, 'output', `${stem}.json`);
    const input = path.join(dir, 'input', file);
    if (stem === 'unrecognized') cases.push({ name: stem, input, items: null });
    if (!existsSync(out)) continue;
    const feed = (readJson(out).feed ?? {}) as Json;
    cases.push({
      name: stem,
      input,
      items: list(feed.items).map((i) => ({
        title: str(i.title),
        link: str(i.link),
        id: str(i.guid) ?? str(i.id),
        date: str(i.isoDate) ?? str(i.pubDate),
        categories: terms(i.categories, (c) => c._),
        // xml2js-options renders empty elements as "EMPTY" (a parser option of that case)
        content: stem === 'xml2js-options' ? undefined : (str(i['content:encoded']) ?? str(i.content)),
      })),
    });
  }
  return { name: 'rss-parser', cases, notes: ['unrecognized.rss (an HTML page) must be rejected'] };
}

function feedRs(root: string): Suite {
  const dir = path.join(root, 'feed-rs');
  const cases: Case[] = [];
  for (const sub of readdirSync(dir)) {
    for (const file of readdirSync(path.join(dir, sub))) {
      if (!file.endsWith('.serde.json')) continue;
      const stem = file.replace(/\.serde\.json$/, '');
      const input = ['xml', 'json'].map((ext) => path.join(dir, sub, `${stem}.${ext}`)).find((p) => existsSync(p));
      if (!input) continue;
      const expected = readJson(path.join(dir, sub, file));
      const source = readFileSync(input, 'latin1');
      cases.push({
        name: `${sub}/${stem}`,
        input,
        items: list(expected.entries).map((e) => {
          const links = list(e.links);
          const alt = links.find((l) => l.rel === null || l.rel === undefined || l.rel === 'alternate') ?? links[0];
          const id = str(e.id);
          return {
            title: str((e.title as Json | null)?.content),
            link: alt ? str(alt.href) : undefined,
            // feed-rs invents an id (a hash or a UUID) when the entry has none; compare only ids the feed states.
            id: id && source.includes(id) ? id : undefined,
            date: str(e.published) ?? str(e.updated),
            categories: terms(e.categories, (c) => c.term),
            content: str((e.content as Json | null)?.body) ?? str((e.summary as Json | null)?.content),
          };
        }),
      });
    }
  }
  return { name: 'feed-rs', cases, notes: ['ids feed-rs synthesized (absent from the input) are not compared'] };
}

function rowanmanning(root: string): Suite {
  const snaps = path.join(root, 'rowanmanning/test/integration/snapshots');
  const content = path.join(root, 'rowanmanning/sample-feeds/content');
  const cases: Case[] = [];
  for (const kind of readdirSync(snaps)) {
    for (const file of readdirSync(path.join(snaps, kind))) {
      const hash = file.replace(/\.json$/, '');
      const input = path.join(content, kind, hash, 'feed.xml');
      if (!existsSync(input)) continue;
      const snap = readJson(path.join(snaps, kind, file));
      const feed = (snap.feed ?? {}) as Json;
      const channelTerms = new Set(terms(feed.categories, (c) => c.term ?? c.label));
      cases.push({
        name: `${kind}/${hash.slice(0, 8)} ${str(snap.title) ?? ''}`.trim(),
        input,
        url: str(snap.url),
        items: list(feed.items).map((i) => ({
          title: str(i.title),
          link: str(i.url),
          id: str(i.id),
          date: str(i.published) ?? str(i.updated),
          // rowanmanning copies the channel's categories into every item; compare the item's own
          categories: nonEmpty(terms(i.categories, (c) => c.term ?? c.label)?.filter((t) => !channelTerms.has(t))),
          content: str(i.content) ?? str(i.description),
        })),
      });
    }
  }
  return { name: 'rowanmanning', cases, notes: [] };
}

function feedsmith(root: string): Suite {
  const dir = path.join(root, 'feedsmith');
  const cases: Case[] = [];
  for (const kind of readdirSync(dir)) {
    const refs = path.join(dir, kind, 'references');
    for (const file of readdirSync(refs)) {
      if (!file.endsWith('.json')) continue;
      const stem = file.replace(/\.json$/, '');
      const input = path.join(refs, `${stem}.xml`);
      if (!existsSync(input)) continue;
      const expected = readJson(path.join(refs, file));
      const entries = list(expected.items ?? expected.entries);
      cases.push({
        name: `${kind}/${stem}`,
        input,
        items: entries.map((e) => {
          const links = list(e.links);
          const alt = links.find((l) => (l.rel ?? 'alternate') === 'alternate') ?? links[0];
          const guid = e.guid as Json | string | undefined;
          const dc = (e.dc ?? {}) as Json;
          return {
            title: str(e.title),
            link: str(e.link) ?? (alt ? str(alt.href) : undefined),
            id: typeof guid === 'string' ? guid : (str(guid?.value) ?? str(e.id)),
            date:
              str(e.pubDate) ??
              str(e.published) ??
              str(e.issued) ??
              str(e.created) ??
              str(e.updated) ??
              str(e.modified) ??
              str(dc.date) ??
              str(list(dc.dates)[0] as unknown),
            categories: terms(e.categories, (c) => c.name ?? c.term),
            content:
              str((e.content as Json | undefined)?.encoded) ?? str(e.content) ?? str(e.description) ?? str(e.summary),
          };
        }),
      });
    }
  }
  return { name: 'feedsmith', cases, notes: ['feedsmith keeps dates as written; they are read with Date.parse'] };
}

function fastfeedparser(root: string): Suite {
  const dir = path.join(root, 'fastfeedparser');
  const cases: Case[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.xml') && file !== 'json_feed_sample.json') continue;
    const stem = file.replace(/\.(xml|json)$/, '');
    const out = path.join(dir, file.endsWith('.xml') ? `${stem}.json` : `${stem}.expected.json`);
    if (!existsSync(out)) continue;
    const expected = readJson(out);
    cases.push({
      name: stem,
      input: path.join(dir, file),
      items: list(expected.entries).map((e) => ({
        title: str(e.title),
        link: str(e.link),
        id: str(e.id),
        date: str(e.published) ?? str(e.updated),
        categories: terms(e.tags, (t) => t.term),
        content: str(list(e.content)[0]?.value) ?? str(e.description),
      })),
    });
  }
  return { name: 'fastfeedparser', cases, notes: [] };
}

function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Json[]) : [];
}

/** Category terms from a list of strings or objects (`pick` reads an object's term); undefined when none. */
function terms(v: unknown, pick: (c: Json) => unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v
    .map((c) => (typeof c === 'string' ? c : typeof c === 'object' && c !== null ? str(pick(c as Json)) : undefined))
    .filter((t): t is string => t !== undefined && t.trim() !== '')
    .map((t) => t.trim());
  return out.length > 0 ? out : undefined;
}

function nonEmpty(xs: string[] | undefined): string[] | undefined {
  return xs && xs.length > 0 ? xs : undefined;
}

/** A non-empty string (a number as its text), else undefined: null, blank text and objects are "not stated". */
function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
