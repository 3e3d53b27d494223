import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One field set we compare, as the suite's expected output states it (absent = not comparable). */
export interface ExpectedItem {
  title?: string;
  link?: string;
  id?: string;
  date?: string;
}

export interface Case {
  name: string;
  input: string;
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

/** Every suite under feeds-conformance, each read with its own output schema. */
export function loadSuites(root: string): Suite[] {
  return [rssParser(root), feedRs(root), rowanmanning(root), feedsmith(root), fastfeedparser(root)];
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
      cases.push({
        name: `${kind}/${hash.slice(0, 8)} ${str(snap.title) ?? ''}`.trim(),
        input,
        url: str(snap.url),
        items: list(feed.items).map((i) => ({
          title: str(i.title),
          link: str(i.url),
          id: str(i.id),
          date: str(i.published) ?? str(i.updated),
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

/** A non-empty string (a number as its text), else undefined: null, blank text and objects are "not stated". */
function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
