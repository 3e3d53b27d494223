import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT } from '../config/load.js';

interface DemoArticle {
  outlet: string;
  phase: number;
  hoursAgo: number;
  title: string;
  content: string;
}

interface DemoData {
  outlets: Record<string, { name: string; format: 'rss' | 'atom' | 'json' }>;
  articles: DemoArticle[];
}

export interface DemoFeedServer {
  base: string;
  /** Which articles are visible: phase 1 is the backlog, phase 2 adds what arrived since. */
  setPhase(phase: number): void;
  close(): Promise<void>;
}

const DEMO_ARTICLES = path.join(PROJECT_ROOT, 'config', 'demo', 'articles.yaml');

/**
 * Serves config/demo/articles.yaml as real RSS, Atom and JSON Feed documents on 127.0.0.1, with
 * ETags, so the demo runs the same fetch and parse path as a real deployment, offline.
 */
export async function startDemoFeedServer(now: number): Promise<DemoFeedServer> {
  const data = parseYaml(readFileSync(DEMO_ARTICLES, 'utf8')) as DemoData;
  let phase = 1;
  let base = '';
  const server = http.createServer((req, res) => {
    const id = (req.url ?? '/')
      .split('?')[0]!
      .replace(/^\//, '')
      .replace(/\.[a-z]+$/, '');
    const outlet = data.outlets[id];
    if (!outlet) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such demo feed');
      return;
    }
    const articles = data.articles
      .filter((a) => a.outlet === id && a.phase <= phase)
      .map((a, i) => ({
        ...a,
        content: fillWeekdays(a.content, now),
        link: `${base}/${id}/articles/${slug(a.title)}`,
        guid: `${id}-${i}-${slug(a.title)}`,
      }));
    const etag = `"${id}-p${phase}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const { type, body } = render(outlet, `${base}/${id}`, articles, now);
    res.writeHead(200, { 'content-type': type, etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    setPhase: (p) => {
      phase = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Rendered = DemoArticle & { link: string; guid: string };

function render(outlet: DemoData['outlets'][string], self: string, items: Rendered[], now: number) {
  const date = (a: Rendered) => new Date(now - a.hoursAgo * 3_600_000);
  if (outlet.format === 'json') {
    const feed = {
      version: 'https://jsonfeed.org/version/1.1',
      title: outlet.name,
      home_page_url: self,
      feed_url: self,
      items: items.map((a) => ({
        id: a.guid,
        url: a.link,
        title: a.title,
        content_text: a.content,
        date_published: date(a).toISOString(),
      })),
    };
    return { type: 'application/feed+json', body: JSON.stringify(feed, null, 2) };
  }
  if (outlet.format === 'atom') {
    const entries = items
      .map(
        (a) => `  <entry>
    <id>${esc(a.guid)}</id>
    <title>${esc(a.title)}</title>
    <link href="${esc(a.link)}"/>
    <updated>${date(a).toISOString()}</updated>
    <summary type="html">${esc(`<p>${esc(a.content)}</p>`)}</summary>
  </entry>`,
      )
      .join('\n');
    return {
      type: 'application/atom+xml; charset=utf-8',
      body: `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${esc(outlet.name)}</title>
  <id>${esc(self)}</id>
  <link href="${esc(self)}"/>
  <updated>${new Date(now).toISOString()}</updated>
${entries}
</feed>
`,
    };
  }
  const rssItems = items
    .map(
      (a) => `    <item>
      <title>${esc(a.title)}</title>
      <link>${esc(a.link)}</link>
      <guid isPermaLink="false">${esc(a.guid)}</guid>
      <pubDate>${date(a).toUTCString()}</pubDate>
      <description>${esc(a.content)}</description>
    </item>`,
    )
    .join('\n');
  return {
    type: 'application/rss+xml; charset=utf-8',
    body: `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>${esc(outlet.name)}</title>
    <link>${esc(self)}</link>
    <description>Demo feed written for watchdesk</description>
${rssItems}
  </channel>
</rss>
`,
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The articles are dated relative to the run, so their weekdays are too: {day:H} becomes the UTC
 * weekday H hours before `now` (digests show dates in UTC), so "on Thursday" agrees with the date.
 */
export function fillWeekdays(text: string, now: number): string {
  return text.replace(
    /\{day:(\d+)\}/g,
    (_, hours: string) => WEEKDAYS[new Date(now - Number(hours) * 3_600_000).getUTCDay()]!,
  );
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
