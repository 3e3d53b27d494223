/**
 * Issue 15, hostile and broken feeds: every kind served from one loopback server, polled in ONE poll
 * together with two good feeds, through the real app (fetch, parse, store, classify, cluster,
 * summarize). Each ends in a classified error or a bounded result; the good feeds are unaffected;
 * memory stays under a bound; a guid storm announces nothing twice. tests/feeds/hostile.test.ts and
 * tests/feeds/fetch.test.ts check the single cases in depth; this file checks them side by side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { type FeedPollReport, pollAndIngest } from '../../src/pipeline/poll-cycle.js';
import { addRuntimeFeed } from '../../src/store/feed-sources.js';
import { listWatchedFeeds } from '../../src/store/feeds.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { type FeedServer, BUILT_IN_PATHS as P, startFeedServer } from '../helpers/feed-server.js';
import { LONG, recordCounts, scaled } from './counts.js';

const MB = 1024 * 1024;
/** Heap, buffers and external memory may grow by at most this much during the poll. */
const MEMORY_BOUND = 300 * MB;
const HOUR = 3_600_000;
/** Items in the big feed: every one is classified, clustered and summarized, so the short run takes fewer. */
const MANY = scaled(1_000, 10_000);
const xml = { 'content-type': 'application/rss+xml; charset=utf-8' };
const channel = (items: string, head = '') =>
  `<?xml version="1.0"?>${head}<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>${items}</channel></rss>`;
const item = (i: { title: string; link?: string; guid?: string; date?: string; text?: string }) =>
  `<item><title>${i.title}</title>${i.link ? `<link>${i.link}</link>` : ''}${i.guid ? `<guid isPermaLink="false">${i.guid}</guid>` : ''}${i.date ? `<pubDate>${i.date}</pubDate>` : ''}<description>${i.text ?? 'Body text.'}</description></item>`;

/** path → what it serves; every one of these is polled in the same round. */
function hostileRoutes(server: FeedServer, stormRound: () => number): Record<string, string> {
  const laughs = (() => {
    let dtd = '<!DOCTYPE rss [<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${'&lol'.concat(String(i - 1), ';').repeat(10)}">`;
    return `${dtd}]>`;
  })();
  const blowup = `<!DOCTYPE rss [<!ENTITY big "${'x'.repeat(50_000)}">]>`;
  const bodies: Record<string, string | Buffer> = {
    '/h/billion-laughs.xml': channel(item({ title: 'boom &lol9;', link: 'https://hostile.example/bl' }), laughs),
    '/h/quadratic.xml': channel(
      item({ title: 'q', link: 'https://hostile.example/q', text: '&big;'.repeat(20_000) }),
      blowup,
    ),
    '/h/xxe-file.xml': channel(
      item({ title: 'file &xxe;', link: 'https://hostile.example/xf' }),
      '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ),
    '/h/xxe-url.xml': channel(
      item({ title: 'url &xxe;', link: 'https://hostile.example/xu' }),
      `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${server.url('/h/secret')}">]>`,
    ),
    '/h/invalid-utf8.xml': Buffer.concat([
      Buffer.from(channel(item({ title: 'bad BYTES', link: 'https://hostile.example/u8' })).split('BYTES')[0]!),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xa0, 0xa1]),
      Buffer.from(channel(item({ title: 'bad BYTES', link: 'https://hostile.example/u8' })).split('BYTES')[1]!),
    ]),
    '/h/many-items.xml': channel(
      Array.from({ length: MANY }, (_, i) =>
        item({ title: `Notice ${i}`, link: `https://hostile.example/n/${i}`, guid: `n-${i}`, text: `n${i}` }),
      ).join(''),
    ),
    '/h/no-ids.xml': channel(
      item({ title: 'No guid, link or date' }) + item({ title: '' }) + item({ title: 'Second' }),
    ),
    '/h/duplicate-guids.xml': channel(
      item({ title: 'First telling', guid: 'same', link: 'https://hostile.example/d1', text: 'one' }) +
        item({ title: 'Second telling', guid: 'same', link: 'https://hostile.example/d2', text: 'two' }),
    ),
    '/h/dates.xml': channel(
      item({ title: 'Epoch', link: 'https://hostile.example/1970', date: 'Thu, 01 Jan 1970 00:00:00 GMT' }) +
        item({ title: 'Future', link: 'https://hostile.example/2099', date: 'Wed, 01 Jan 2099 00:00:00 GMT' }),
    ),
    '/h/huge-title.xml': channel(item({ title: 'T'.repeat(MB), link: 'https://hostile.example/t' })),
  };
  for (const [p, body] of Object.entries(bodies)) server.route(p, { body, headers: xml });
  server.route('/h/secret', { body: 'root:x:0:0', headers: { 'content-type': 'text/plain' } });
  server.route('/h/fifty-mb.xml', (_req, res) => {
    // streamed without a length: only counting while reading stops it
    res.writeHead(200, xml);
    const chunk = Buffer.alloc(MB, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 50) {
        sent++;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => {});
    pump();
  });
  // a "guid storm": every poll renames every guid; links and titles stay (and two items have no link)
  server.route('/h/guid-storm.xml', (_req, res) => {
    const n = stormRound();
    const body = channel(
      [1, 2, 3]
        .map((i) => item({ title: `Storm story ${i}`, link: `https://storm.example/${i}`, guid: `r${n}-${i}` }))
        .join('') +
        [4, 5].map((i) => item({ title: `Linkless storm ${i}`, guid: `r${n}-${i}`, text: `same body ${i}` })).join(''),
    );
    res.writeHead(200, xml).end(body);
  });
  return {
    billionLaughs: '/h/billion-laughs.xml',
    quadratic: '/h/quadratic.xml',
    xxeFile: '/h/xxe-file.xml',
    xxeUrl: '/h/xxe-url.xml',
    fiftyMb: '/h/fifty-mb.xml',
    gzipBomb: P.gzipBomb,
    slowloris: P.slowBody,
    redirectLoop: P.loop,
    html: P.htmlPage,
    invalidUtf8: '/h/invalid-utf8.xml',
    manyItems: '/h/many-items.xml',
    noIds: '/h/no-ids.xml',
    duplicateGuids: '/h/duplicate-guids.xml',
    dates: '/h/dates.xml',
    hugeTitle: '/h/huge-title.xml',
    guidStorm: '/h/guid-storm.xml',
  };
}

describe('hostile and broken feeds in one poll with good feeds', () => {
  let server: FeedServer;
  let dir: string;
  let app: App;
  let round = 1;
  let names: Record<string, string>;
  const good = (n: number, r: number) =>
    rss(`Good ${n}`, [
      {
        guid: `g${n}-${r}`,
        title: `Appeals court revives Section 230 trafficking case number ${n}.${r}`,
        link: `https://good${n}.example/${r}`,
        date: new Date(Date.now() - HOUR).toISOString(),
        text: 'A federal appeals court revived a lawsuit under the Trafficking Victims Protection Act against a platform.',
      },
    ]);

  beforeAll(async () => {
    server = await startFeedServer();
    names = hostileRoutes(server, () => round);
    server.route('/good/1.xml', (_q, res) => void res.writeHead(200, xml).end(good(1, round)));
    server.route('/good/2.xml', (_q, res) => void res.writeHead(200, xml).end(good(2, round)));
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-hostile-poll-'));
    const feeds = [
      { name: 'Good One', url: server.url('/good/1.xml') },
      ...Object.entries(names).map(([name, p]) => ({ name, url: server.url(p) })),
      { name: 'Good Two', url: server.url('/good/2.xml') },
    ];
    // parsing the big feed holds the event loop, and other fetches' timers count that time: longer in the long run
    const file = writeBeatConfig(dir, {
      feeds,
      extra: { fetch: { timeout: LONG ? '10s' : '4s', connectTimeout: '2s' } },
    });
    app = await createApp(loadConfig({ file, env: { secrets: {} } }), { log: silentLogger });
    // a feed typed in chat that points into the host's own network: the SSRF guard's case
    await addRuntimeFeed(
      app.db,
      {
        url: server.url('/redirect-to-private'),
        name: 'chat feed',
        title: null,
        intervalMs: HOUR,
        fullText: 'never',
        addedBy: 'chat',
      },
      Date.now(),
    );
    server.route('/redirect-to-private', { status: 302, headers: { location: 'http://10.0.0.5/feed.xml' } });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pollAll(): Promise<{ reports: Map<string, FeedPollReport>; peak: number }> {
    globalThis.gc?.();
    const base = used();
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, used() - base);
    }, 5);
    try {
      const list = await pollAndIngest(app, await listWatchedFeeds(app.db));
      peak = Math.max(peak, used() - base);
      return { reports: new Map(list.map((r) => [r.feed, r])), peak };
    } finally {
      clearInterval(sampler);
    }
  }

  it('ends each hostile feed in a classified error or a bounded result, leaves the good ones whole, and stays within memory', {
    timeout: LONG ? 300_000 : 60_000,
  }, async () => {
    const { reports, peak } = await pollAll();
    const r = (name: string) => reports.get(name)!;
    expect(peak).toBeLessThan(MEMORY_BOUND);
    for (const g of ['Good One', 'Good Two']) expect([r(g).status, r(g).newItems]).toEqual(['ok', 1]);

    // classified errors
    expect(r('fiftyMb').error?.kind).toBe('too_large');
    expect(r('gzipBomb').error?.kind).toBe('too_large');
    expect(r('slowloris').error?.kind).toBe('timeout');
    expect(r('redirectLoop').error?.message).toMatch(/redirect loop/);
    expect(r('html').status).toBe('error');
    expect(r('chat feed').error?.kind).toBe('blocked');
    expect(server.requestsTo('/h/secret')).toHaveLength(0);

    // bounded results
    const stored = (feed: string) =>
      app.db.all<{ title: string; url: string | null; at: number; len: number }>(
        'SELECT i.title, i.url, i.published_at AS at, length(i.title) AS len FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.name = ?',
        [feed],
      );
    expect((await stored('billionLaughs')).map((i) => i.title)).toEqual(['boom &lol9;']);
    expect(await stored('quadratic')).toHaveLength(1);
    expect((await stored('xxeFile'))[0]!.title).not.toContain('root:');
    expect((await stored('xxeUrl'))[0]!.title).not.toContain('root:');
    expect((await stored('invalidUtf8'))[0]!.title).toMatch(/^bad .{1,12}$/);
    expect(r('manyItems').newItems).toBe(MANY);
    expect((await stored('noIds')).length, JSON.stringify(r('noIds'))).toBeGreaterThan(0);
    expect(await stored('duplicateGuids')).toHaveLength(1);
    for (const i of await stored('dates')) expect(i.at).toBeLessThanOrEqual(Date.now() + HOUR);
    // kept whole, bounded by the body cap; rendering cuts long titles (tests/render/long-entry.test.ts)
    expect((await stored('hugeTitle'))[0]!.len).toBeLessThanOrEqual(app.config.fetch.maxBodyBytes);
    expect(r('guidStorm').newItems).toBe(5);

    const errors = [...reports.values()].filter((x) => x.status === 'error').length;
    recordCounts('hostile feeds', { inputs: Object.keys(names).length + 1, crashes: 0, refused: errors });
  });

  it('a second poll: the guid storm announces nothing again, the good feeds bring their new items', {
    timeout: LONG ? 300_000 : 60_000,
  }, async () => {
    round = 2;
    const { reports } = await pollAll();
    expect(reports.get('guidStorm')).toMatchObject({ status: 'ok', newItems: 0, announced: 0 });
    expect(reports.get('Good One')).toMatchObject({ status: 'ok', newItems: 1 });
    expect(reports.get('Good Two')).toMatchObject({ status: 'ok', newItems: 1 });
    round = 3;
    const third = await pollAll();
    expect(third.reports.get('guidStorm')).toMatchObject({ newItems: 0, announced: 0 });
    recordCounts('hostile feeds', { inputs: 2, lost: 0, duplicates: 0 });
  });
});

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}
