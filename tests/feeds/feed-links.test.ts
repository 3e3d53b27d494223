import { describe, expect, it } from 'vitest';
import { feedLinksInHtml, webPageMessage } from '../../src/feeds/feed-links.js';

const page = (head: string) => `<!doctype html><html><head><title>Desk</title>${head}</head><body>Home</body></html>`;

describe('feed links in a web page', () => {
  it.each([
    [
      'a relative RSS link',
      '<link rel="alternate" type="application/rss+xml" href="/feed.xml">',
      ['https://desk.example/feed.xml'],
    ],
    [
      'an Atom link with single quotes and upper case',
      "<LINK REL='Alternate' TYPE='application/atom+xml' HREF='atom'>",
      ['https://desk.example/news/atom'],
    ],
    [
      'a JSON Feed link with a charset and an entity',
      '<link rel="alternate" type="application/feed+json; charset=utf-8" href="/f.json?a=1&amp;b=2">',
      ['https://desk.example/f.json?a=1&b=2'],
    ],
    [
      'several feeds, duplicates once',
      '<link rel="alternate" type="application/rss+xml" href="/a"><link rel="alternate" type="application/atom+xml" href="https://other.example/b"><link rel="alternate" type="application/rss+xml" href="/a">',
      ['https://desk.example/a', 'https://other.example/b'],
    ],
    [
      'a stylesheet and a translation are not feeds',
      '<link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="fr" href="/fr/">',
      [],
    ],
    [
      'a javascript: address is not offered',
      '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">',
      [],
    ],
  ])('finds %s', (_name, head, expected) => {
    expect(feedLinksInHtml(page(head), 'https://desk.example/news/')).toEqual(expected);
  });

  it('keeps a relative link as written when the page has no web address (a saved file)', () => {
    const html = page('<link rel="alternate" type="application/rss+xml" href="/feed.xml">');
    expect(feedLinksInHtml(html, 'file:///tmp/page.html')).toEqual(['/feed.xml']);
  });

  it('says what the page is, then which address to use', () => {
    const one = page('<link rel="alternate" type="application/rss+xml" href="/feed.xml">');
    expect(webPageMessage(one, 'https://desk.example/')).toBe(
      'This is a web page (HTML), not a feed. The page links its feed at https://desk.example/feed.xml: use that address.',
    );
    expect(webPageMessage(page(''), 'https://desk.example/')).toBe(
      'This is a web page (HTML), not a feed. Look on that page for its RSS or Atom link and use that address.',
    );
  });
});
