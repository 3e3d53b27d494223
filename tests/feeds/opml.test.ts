import { describe, expect, it } from 'vitest';
import { type OpmlFeed, parseOpml, writeOpml } from '../../src/feeds/opml.js';

/** Issue 13: OPML in and out; titles and folders survive the round trip, bad outlines are listed, not thrown. */
const SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Policy desk subscriptions</title></head>
  <body>
    <outline text="Courts &amp; Law" title="Courts &amp; Law">
      <outline text="US">
        <outline type="rss" text="Docket Watch" title="Docket Watch" xmlUrl="https://docket.example/feed.xml"/>
      </outline>
      <outline type="rss" text="Appeals Daily" xmlUrl="https://appeals.example/rss?kind=all&amp;lang=en"/>
    </outline>
    <outline type="rss" text="Regulator Notes" xmlUrl="https://regulator.example/atom" category="/Europe/DSA,/Other"/>
    <outline text="A heading with no feed"/>
    <outline type="rss" text="Script link" xmlUrl="javascript:alert(1)"/>
    <outline type="rss" xmlUrl="ftp://files.example/feed.xml"/>
    <outline type="rss" text="No title attribute, text only" xmlUrl="http://plain.example/feed"/>
  </body>
</opml>`;

describe('parseOpml', () => {
  it('reads feeds with their titles and folders, and lists each bad outline', () => {
    const doc = parseOpml(SAMPLE);
    expect(doc?.title).toBe('Policy desk subscriptions');
    expect(doc?.feeds).toEqual([
      { url: 'https://docket.example/feed.xml', title: 'Docket Watch', category: ['Courts & Law', 'US'] },
      { url: 'https://appeals.example/rss?kind=all&lang=en', title: 'Appeals Daily', category: ['Courts & Law'] },
      { url: 'https://regulator.example/atom', title: 'Regulator Notes', category: ['Europe', 'DSA'] },
      { url: 'http://plain.example/feed', title: 'No title attribute, text only', category: [] },
    ]);
    expect(doc?.problems).toEqual([
      { entry: '"A heading with no feed"', reason: 'it has no xmlUrl, so it names no feed' },
      { entry: '"Script link"', reason: 'its xmlUrl "javascript:alert(1)" is not an http(s) URL' },
      { entry: 'outline 8', reason: 'its xmlUrl "ftp://files.example/feed.xml" is not an http(s) URL' },
    ]);
  });

  it('is null for what is not OPML', () => {
    expect(parseOpml('<rss version="2.0"><channel/></rss>')).toBeNull();
    expect(parseOpml('name,url\nA,https://a.example/')).toBeNull();
    expect(parseOpml('<opml version="2.0"><head/></opml>')).toBeNull();
  });
});

describe('writeOpml', () => {
  it('gives back the same titles and folders when read again, however odd the text', () => {
    const feeds: OpmlFeed[] = [
      { url: 'https://a.example/feed?x=1&y=2', title: 'Law & "Order" <Weekly>', category: ['Courts & Law', 'US'] },
      { url: 'https://b.example/rss', title: 'Café Übersicht — 230', category: ['Courts & Law'] },
      { url: 'https://c.example/rss', title: 'Top level', category: [] },
      { url: 'https://d.example/rss', title: 'Slash/in a title', category: ['News/Politics'] },
      { url: 'https://e.example/rss', title: 'Control\u0007 character', category: ['Courts & Law', 'US'] },
    ];
    const text = writeOpml('Desk', feeds, new Date('2026-01-02T03:04:05Z'));
    expect(text).toContain('<dateCreated>Fri, 02 Jan 2026 03:04:05 GMT</dateCreated>');
    const back = parseOpml(text);
    expect(back?.problems).toEqual([]);
    // folders group their feeds, so the order is by folder; the set is the same
    const key = (f: OpmlFeed) => JSON.stringify([f.url, f.title, f.category]);
    expect(back?.feeds.map(key).sort()).toEqual(
      feeds
        .map((f) => ({ ...f, title: f.title?.replace('\u0007', '') ?? null }))
        .map(key)
        .sort(),
    );
  });
});
