import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../src/feeds/fetch-errors.js';
import { parseFeed, rssParserUsable } from '../../src/feeds/parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => readFileSync(path.join(here, '../fixtures/feeds', name), 'utf8');
const NOW = Date.UTC(2024, 5, 10, 12, 0, 0);
const parse = (name: string, url = 'https://feeds.example.test/feed.xml', now = NOW) =>
  parseFeed(fixture(name), { url, now });

function failure(fn: () => unknown): FetchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error('expected a FetchError');
}

describe('parseFeed: RSS', () => {
  it('reads RSS 0.91; items without dates are first-seen and marked estimated', () => {
    const feed = parse('rss-091.xml');
    expect(feed.title).toBe('Harbor Town Civic Notes');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://civic.example.org/notes/library-hours',
      'https://civic.example.org/notes/ferry-winter',
    ]);
    expect(feed.items[0]).toMatchObject({
      id: 'https://civic.example.org/notes/library-hours',
      published: new Date(NOW).toISOString(),
      publishedEstimated: true,
      content: 'The council voted to keep the library open on Sunday afternoons.',
    });
  });

  it('reads RSS 1.0 (RDF) with Dublin Core dates, creators and subjects', () => {
    const feed = parse('rss-10-rdf.xml');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      id: 'https://journal.example.net/a/101',
      title: 'Intermediary liability after a decade of reform',
      published: '2024-03-05T08:30:00.000Z',
      publishedEstimated: false,
      author: 'R. Okafor',
      categories: ['Platform liability'],
    });
  });

  it('normalizes RSS 2.0: links, titles, content, categories, enclosures, zones, ttl', () => {
    const feed = parse('rss-20.xml');
    expect(feed).toMatchObject({ title: 'Policy Wire (sample)', link: 'https://wire.example.com/', ttlMinutes: 45 });
    const [first, second] = feed.items;
    expect(first).toEqual({
      id: 'wire-2024-0517',
      // relative link resolved against the channel link; utm_* and the fragment dropped
      url: 'https://wire.example.com/2024/05/panel-advances-bill?id=7',
      title: 'Senate panel advances platform bill',
      published: '2024-05-17T13:15:00.000Z',
      publishedEstimated: false,
      author: 'Dana Reyes',
      categories: ['Legislation', 'Child safety'],
      content: 'The committee voted 14–7.\nDebate moves to the floor…',
      enclosures: [{ url: 'https://cdn.example.com/audio/panel.mp3', type: 'audio/mpeg', length: 123456 }],
    });
    expect(second).toMatchObject({
      url: 'https://wire.example.com/2024/05/inquiry?page=2',
      id: 'https://wire.example.com/2024/05/inquiry?page=2',
      published: '2024-05-16T12:15:00.000Z',
      author: 'Sam Whitfield',
    });
  });

  it('drops a repeated id inside one document, keeping the first', () => {
    const feed = parse('rss-20.xml');
    expect(feed.items.filter((i) => i.id === 'wire-2024-0517')).toHaveLength(1);
    expect(feed.items).toHaveLength(3);
  });

  it('gives an item with no guid, link or date a hash id that does not change between polls', () => {
    const a = parse('rss-20.xml', undefined, NOW).items[2]!;
    const b = parse('rss-20.xml', undefined, NOW + 3_600_000).items[2]!;
    expect(a.id).toMatch(/^sha1:/);
    expect(b.id).toBe(a.id);
    expect(a.url).toBeNull();
    expect(b.published).not.toBe(a.published);
  });
});

describe('parseFeed: Atom', () => {
  it('resolves links against nested xml:base and reads entries', () => {
    const feed = parse('atom-xml-base.xml');
    expect(feed.link).toBe('https://courts.example.org/watch/');
    expect(feed.items[0]).toEqual({
      id: 'urn:example:ruling:1',
      url: 'https://courts.example.org/watch/rulings/2024/immunity-ruling.html',
      title: 'Appeals court rules on hosting immunity',
      published: '2024-06-01T20:20:00.000Z',
      publishedEstimated: false,
      author: 'Priya Natarajan',
      categories: ['courts', 'section-230'],
      content: 'The panel split 2–1.\nA dissent followed.',
      enclosures: [{ url: 'https://courts.example.org/files/opinion.pdf', type: 'application/pdf', length: 2048 }],
    });
  });

  it('uses updated when there is no published date, and the feed author when the entry has none', () => {
    const entry = parse('atom-xml-base.xml').items[1]!;
    expect(entry).toMatchObject({
      url: 'https://courts.example.org/cases/hearing-set',
      published: '2024-05-30T09:00:00.000Z',
      author: 'Court Watch Desk',
      content: 'A federal judge scheduled a hearing for July.',
    });
  });

  it('reads an Atom entry document as a feed of one', () => {
    const doc = `<entry xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>Lone entry</title>
      <link href="https://e.org/lone"/><updated>2024-01-02T03:04:05Z</updated></entry>`;
    const feed = parseFeed(doc, { url: 'https://e.org/entry.xml', now: NOW });
    expect(feed.items.map((i) => [i.id, i.title, i.url])).toEqual([['urn:x:1', 'Lone entry', 'https://e.org/lone']]);
  });
});

describe('parseFeed: JSON Feed', () => {
  it('reads JSON Feed 1.0 (author object, attachments, numeric id, relative url)', () => {
    const feed = parse('json-feed-10.json', 'https://notes.example.io/feed.json');
    expect(feed).toMatchObject({ title: 'Transparency Notes (sample)', link: 'https://notes.example.io/' });
    expect(feed.items[0]).toEqual({
      id: 'note-1',
      url: 'https://notes.example.io/posts/first',
      title: 'Quarterly transparency report released',
      published: '2024-02-10T08:00:00.000Z',
      publishedEstimated: false,
      author: 'Notes Team',
      categories: ['reports', 'moderation'],
      content: 'Removals rose by a fifth.\nAppeals took longer.',
      enclosures: [{ url: 'https://notes.example.io/report.pdf', type: 'application/pdf', length: 99000 }],
    });
    expect(feed.items[1]).toMatchObject({
      id: '2',
      url: 'https://notes.example.io/posts/second',
      title: '',
      content: 'A note with a numeric id and no title.',
      publishedEstimated: true,
    });
  });

  it('reads JSON Feed 1.1 (authors array)', () => {
    const feed = parse('json-feed-11.json');
    expect(feed.items[0]).toMatchObject({
      id: 'https://weekly.example.dev/issues/12',
      author: 'Ines Duarte, Tom Beck',
      content: 'A look at perceptual hashing.',
      published: '2024-04-01T08:00:00.000Z',
    });
  });

  it.each([
    ['JSON that is not a JSON Feed', '{"hello": "world"}'],
    ['broken JSON', '{"version": "https://jsonfeed.org/version/1.1", '],
  ])('rejects %s as not_a_feed', (_name, text) => {
    expect(failure(() => parseFeed(text, { url: 'https://e.org/f.json' })).kind).toBe('not_a_feed');
  });
});

describe('parseFeed: fallback and failures', () => {
  it('reads a feed that rss-parser itself rejects', async () => {
    const text = fixture('rejected-by-rss-parser.xml');
    await expect(new Parser().parseString(text)).rejects.toThrow();
    const feed = parseFeed(text, { url: 'https://border.example.com/rss', now: NOW });
    expect(feed.title).toBe('Border Desk Bulletin');
    expect(feed.items).toEqual([
      expect.objectContaining({
        url: 'https://border.example.com/news/task-force',
        title: 'Task force reports 40 arrests — officials',
        published: '2018-09-24T22:42:40.000Z',
        content: 'Fines & penalties were raised in the spring.',
      }),
    ]);
  });

  it('reads RSS whose elements carry a prefix nobody declared', () => {
    const doc = `<rss rss:version=2.0><rss:channel><rss:title>Odd</rss:title><rss:item><rss:title>One</rss:title>
      <rss:link>https://odd.example/1</rss:link></rss:item></rss:channel></rss>`;
    const feed = parseFeed(doc, { url: 'https://odd.example/feed', now: NOW });
    expect(feed.title).toBe('Odd');
    expect(feed.items.map((i) => i.url)).toEqual(['https://odd.example/1']);
  });

  it('keeps the complete items of a cut-off document and drops the one cut in half', () => {
    const feed = parse('truncated-after-item.xml');
    expect(feed.items.map((i) => i.title)).toEqual(['A complete item']);
  });

  it('fails a cut-off document with no complete item as malformed_xml', () => {
    const err = failure(() => parse('truncated.xml'));
    expect(err.kind).toBe('malformed_xml');
    expect(err.message).toMatch(/cut off/);
  });

  it.each([
    ['an HTML page', fixture('page.html'), /web page/],
    ['plain text', 'Service temporarily unavailable', /plain text/],
    ['an empty body', '   ', /empty/],
    ['other XML', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', /root element <svg>/],
  ])('rejects %s as not_a_feed with a readable message', (_name, text, message) => {
    const err = failure(() => parseFeed(text, { url: 'https://e.org/feed' }));
    expect(err.kind).toBe('not_a_feed');
    expect(err.message).toMatch(message);
  });

  it('drives the installed rss-parser synchronously', () => {
    expect(rssParserUsable()).toBe(true);
  });
});
