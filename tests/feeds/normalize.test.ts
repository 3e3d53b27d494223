import { describe, expect, it } from 'vitest';
import { canonicalUrl, parseDate, stableId } from '../../src/feeds/normalize.js';

const NOW = Date.UTC(2024, 5, 10, 12, 0, 0);

describe('canonicalUrl', () => {
  it.each([
    ['absolute URL kept', 'https://example.org/a/b', undefined, 'https://example.org/a/b'],
    [
      'scheme and host lower-cased',
      'HTTPS://News.Example.ORG/Path/Case',
      undefined,
      'https://news.example.org/Path/Case',
    ],
    ['default port dropped', 'http://example.org:80/x', undefined, 'http://example.org/x'],
    ['fragment dropped', 'https://example.org/story#comments', undefined, 'https://example.org/story'],
    [
      'utm_* dropped, others kept in order',
      'https://e.org/s?b=2&utm_source=rss&a=1&utm_medium=x',
      undefined,
      'https://e.org/s?b=2&a=1',
    ],
    ['fbclid and gclid dropped', 'https://e.org/s?fbclid=abc&id=7&gclid=zz', undefined, 'https://e.org/s?id=7'],
    ['query emptied entirely', 'https://e.org/s?utm_campaign=spring', undefined, 'https://e.org/s'],
    ['relative path against feed URL', 'post/1', 'https://e.org/blog/feed.xml', 'https://e.org/blog/post/1'],
    ['root-relative against base', '/post/1', 'https://e.org/blog/', 'https://e.org/post/1'],
    ['protocol-relative', '//cdn.e.org/a.mp3', 'https://e.org/', 'https://cdn.e.org/a.mp3'],
    ['surrounding whitespace and newlines', '  https://e.org/a\n ', undefined, 'https://e.org/a'],
    ['param names compared case-insensitively', 'https://e.org/?UTM_Source=x&q=1', undefined, 'https://e.org/?q=1'],
    ['other params spelled as written', 'https://e.org/?q=a+b&r=%2F', undefined, 'https://e.org/?q=a+b&r=%2F'],
  ])('%s', (_name, href, base, expected) => {
    expect(canonicalUrl(href, base)).toBe(expected);
  });

  it.each([
    ['empty', '', undefined],
    ['relative without base', 'post/1', undefined],
    ['not http', 'mailto:desk@example.org', undefined],
    ['tag URI', 'tag:example.org,2024:1', undefined],
    ['garbage', 'http://', undefined],
  ])('returns null for %s', (_name, href, base) => {
    expect(canonicalUrl(href, base)).toBeNull();
  });
});

describe('parseDate', () => {
  it.each([
    ['RFC 822 GMT', 'Tue, 10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['RFC 822 named zone EST', 'Wed, 02 Oct 2002 08:00:00 EST', '2002-10-02T13:00:00.000Z'],
    ['RFC 822 named zone PDT', 'Wed, 02 Oct 2002 08:00:00 PDT', '2002-10-02T15:00:00.000Z'],
    ['RFC 822 numeric +0530', 'Thu, 16 May 2024 17:45:00 +0530', '2024-05-16T12:15:00.000Z'],
    ['RFC 822 numeric -0300', 'Mon, 24 Sep 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
    ['RFC 822 without weekday or seconds', '10 Jun 2003 04:00 +0100', '2003-06-10T03:00:00.000Z'],
    ['RFC 822 two-digit year', 'Tue, 10 Jun 03 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['RFC 822 Portuguese names', 'Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
    ['long form with AM/PM', 'Tuesday, June 10, 2003 4:00:00 PM EST', '2003-06-10T21:00:00.000Z'],
    ['ISO 8601 Z', '2024-03-06T14:00:00Z', '2024-03-06T14:00:00.000Z'],
    ['ISO 8601 offset', '2024-03-05T09:30:00+01:00', '2024-03-05T08:30:00.000Z'],
    ['ISO 8601 fraction', '2024-03-05T09:30:00.250-04:00', '2024-03-05T13:30:00.250Z'],
    ['ISO 8601 compact offset', '2024-03-05T09:30:00+0100', '2024-03-05T08:30:00.000Z'],
    ['ISO date only (UTC)', '2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['ISO without zone (UTC)', '2024-03-05 09:30:00', '2024-03-05T09:30:00.000Z'],
    ['within two days ahead', '2024-06-11T12:00:00Z', '2024-06-11T12:00:00.000Z'],
  ])('%s', (_name, text, iso) => {
    expect(parseDate(text, NOW)).toEqual({ iso, estimated: false });
  });

  it.each([
    ['missing', undefined],
    ['empty', '  '],
    ['garbage', 'soon'],
    ['before 1995', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['more than two days ahead', '2024-06-13T12:00:01Z'],
    ['unknown zone', 'Tue, 10 Jun 2003 04:00:00 XYZT'],
    ['impossible month', '2024-13-01T00:00:00Z'],
  ])('%s becomes now, estimated', (_name, text) => {
    expect(parseDate(text, NOW)).toEqual({ iso: new Date(NOW).toISOString(), estimated: true });
  });
});

describe('stableId', () => {
  it.each([
    ['guid wins', { guid: ' g-1 ', url: 'https://e.org/a', title: 'T' }, 'g-1'],
    ['canonical link when no guid', { guid: '', url: 'https://e.org/a', title: 'T' }, 'https://e.org/a'],
  ])('%s', (_name, item, expected) => {
    expect(stableId(item)).toBe(expected);
  });

  it('hashes title and date when there is neither guid nor link', () => {
    const id = stableId({ title: 'Hearing set', dateText: 'Mon, 03 Jun 2024 10:00:00 GMT' });
    expect(id).toMatch(/^sha1:[0-9a-f]{40}$/);
    expect(stableId({ title: 'Hearing set', dateText: 'Mon, 03 Jun 2024 10:00:00 GMT' })).toBe(id);
    expect(stableId({ title: 'Hearing set', dateText: 'Tue, 04 Jun 2024 10:00:00 GMT' })).not.toBe(id);
    expect(stableId({ title: 'Hearing moved', dateText: 'Mon, 03 Jun 2024 10:00:00 GMT' })).not.toBe(id);
  });

  it('falls back to the content when title and date are both missing', () => {
    expect(stableId({ content: 'one' })).not.toBe(stableId({ content: 'two' }));
  });
});
