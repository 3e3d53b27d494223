/**
 * Synthetic feeds for the feed server and fetch/parse tests, written for this project. The
 * headlines are invented beat news; the non-ASCII ("café", "Zoë", "€", curly quotes, dashes)
 * is there so that a wrong charset shows up as mojibake in assertions.
 */

export interface FixtureItem {
  title: string;
  link: string;
  guid: string;
  pubDate: string;
  description: string;
}

export const SAMPLE_ITEMS: FixtureItem[] = [
  {
    title: 'Café owner’s lawsuit tests Section 230 shield — again',
    link: 'https://news.example.org/2026/03/cafe-section-230?utm_source=feed',
    guid: 'urn:example:beat:1001',
    pubDate: 'Tue, 03 Mar 2026 09:15:00 GMT',
    description: 'A café chain argues a review platform’s ranking choices are its own speech, not third-party content.',
  },
  {
    title: 'Zoë Marchetti named to lead EU Digital Services Act audits',
    link: 'https://news.example.org/2026/03/dsa-audit-lead',
    guid: 'urn:example:beat:1002',
    pubDate: 'Mon, 02 Mar 2026 16:40:00 +0100',
    description:
      'The Commission’s new audit chief says fines of €6 million are “only the beginning” for very large platforms.',
  },
  {
    title: 'Prosecutors cite trafficking statute in classified-ads site case',
    link: 'https://news.example.org/2026/03/ads-site-case',
    guid: 'urn:example:beat:1003',
    pubDate: 'Sun, 01 Mar 2026 08:00:00 GMT',
    description: 'Charges under the TVPA follow a two-year inquiry into paid listings — the first since FOSTA.',
  },
];

/** An RSS 2.0 feed of SAMPLE_ITEMS. `encodingDecl` goes into the XML prolog. */
export function sampleRss(opts: { encodingDecl?: string; ttlMinutes?: number; items?: FixtureItem[] } = {}): string {
  const decl = opts.encodingDecl ? ` encoding="${opts.encodingDecl}"` : '';
  const ttl = opts.ttlMinutes !== undefined ? `\n    <ttl>${opts.ttlMinutes}</ttl>` : '';
  const items = (opts.items ?? SAMPLE_ITEMS)
    .map(
      (i) => `    <item>
      <title>${esc(i.title)}</title>
      <link>${esc(i.link)}</link>
      <guid isPermaLink="false">${esc(i.guid)}</guid>
      <pubDate>${i.pubDate}</pubDate>
      <description>${esc(i.description)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0"${decl}?>
<rss version="2.0">
  <channel>
    <title>Platform Law Wire — Café Edition</title>
    <link>https://news.example.org/</link>
    <description>Synthetic test feed about platform accountability law.</description>${ttl}
${items}
  </channel>
</rss>
`;
}

/** A feed whose every character exists in ISO-8859-1 (no €, no curly quotes). */
export function latin1Rss(): string {
  return `<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0">
  <channel>
    <title>Café Régulation</title>
    <link>https://latin.example.org/</link>
    <description>Synthetic Latin-1 feed.</description>
    <item>
      <title>Zoë's naïve façade: Münster court weighs platform liability</title>
      <link>https://latin.example.org/item/1</link>
      <guid>https://latin.example.org/item/1</guid>
      <pubDate>Wed, 04 Mar 2026 07:30:00 GMT</pubDate>
      <description>A £2,000 fine and a straße of objections.</description>
    </item>
  </channel>
</rss>
`;
}

export function sampleAtom(): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Online Safety Notes</title>
  <id>urn:example:atom-notes</id>
  <updated>2026-03-03T12:00:00Z</updated>
  <link href="https://atom.example.org/"/>
  <entry>
    <title>Regulator opens Online Safety Act consultation on age checks</title>
    <id>urn:example:atom-notes:1</id>
    <link href="https://atom.example.org/osa-age-checks"/>
    <updated>2026-03-03T11:00:00Z</updated>
    <author><name>Zoë Hart</name></author>
    <summary>Platforms have until June to answer; café Wi-Fi providers ask whether they count.</summary>
  </entry>
</feed>
`;
}

export function sampleJsonFeed(): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Trafficking Law Tracker',
      home_page_url: 'https://json.example.org/',
      items: [
        {
          id: 'jf-1',
          url: 'https://json.example.org/items/jf-1',
          title: 'Appeals court hears Backpage-style liability argument',
          content_text: 'Lawyers for the site say a €1 listing fee did not make it a participant in the venture.',
          date_published: '2026-03-02T15:00:00Z',
        },
      ],
    },
    null,
    2,
  );
}

export function htmlPage(): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Platform Law Wire</title>
<link rel="alternate" type="application/rss+xml" href="/feeds/rss.xml"></head>
<body><h1>Platform Law Wire</h1><p>This is the home page, not the feed.</p></body></html>
`;
}

/** An article page declaring its charset only in <meta>, for full-text fetches. */
export function htmlArticle1252(): string {
  return `<!doctype html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>“Duty of care” debate — café hearing</title></head>
<body><article><p>Zoë Marchetti told the hearing the €6 million fine was “proportionate”.</p></article></body></html>
`;
}

/** Broken XML cut off inside its first item: nothing in it can be trusted. */
export function malformedXml(): string {
  return `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Broken & unescaped <feed</title>
<item><title>Cut off mid-item about KOSA</title><description>The upload stopped he`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
