import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { type Scheduler, startScheduler } from '../../src/scheduler/scheduler.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { ROOT } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

const teaser = (guid: string, title: string, link: string) => ({
  guid,
  title,
  link,
  date: new Date(Date.now() - 600_000).toISOString(),
  text: 'A regulator acted against a chat app. Read more.',
});

describe('the running bot: instant subscriptions and full text', () => {
  let server: FeedServer;
  let dir: string;
  let app: App;
  let scheduler: Scheduler;
  let printed = '';
  let phase = 1;

  beforeAll(async () => {
    server = await startFeedServer();
    server.route('/wire.xml', (req, res) => {
      const etag = `"wire-${phase}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      const items =
        phase === 1
          ? [teaser('old', 'Older item from the backlog about the Online Safety Act', server.url('/old.html'))]
          : [
              teaser('fine', 'Regulator fines chat app under the Online Safety Act', server.url('/article/fine.html')),
              teaser('gone', 'Ofcom opens Online Safety Act inquiry into a forum', server.url('/article/missing.html')),
            ];
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(rss('Wire', items));
    });
    server.route('/article/fine.html', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: readFileSync(path.join(ROOT, 'tests/fixtures/pages/regulator-fine.html')),
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-instant-'));
    const file = writeBeatConfig(dir, {
      feeds: [{ name: 'Wire', url: server.url('/wire.xml') }],
      extra: { subscriptions: [{ platform: 'console', channel: 'alerts', topics: ['uk-osa'], mode: 'instant' }] },
    });
    // the helper writes fullText: never; this test is about auto
    const config = loadConfig({ file, env: { secrets: {} } });
    config.feeds = config.feeds.map((f) => ({ ...f, fullText: 'auto' }));
    const out = new PassThrough();
    out.on('data', (c: Buffer) => {
      printed += c.toString();
    });
    app = await createApp(config, { log: silentLogger, consoleOut: out });
    scheduler = await startScheduler(app, { maxPollSleepMs: 100, deliveryTickMs: 100 });
  });

  afterAll(async () => {
    await scheduler?.stop();
    await app?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (sql: string) => Number(await app.db.value(sql));

  it('posts new stories within one poll cycle, with the full article behind a teaser', async () => {
    // the scheduler's first pass polls the feed at once: the backlog is stored, nothing is posted
    expect(await until(async () => (await count('SELECT count(*) FROM items')) === 1, 7_500)).toBe(true);
    expect(await count('SELECT count(*) FROM digests')).toBe(0);
    expect(await count('SELECT count(*) FROM items WHERE full_text IS NOT NULL')).toBe(0);

    phase = 2;
    await app.db.run('UPDATE feeds SET next_poll_at = 0');
    expect(
      await until(async () => (await count("SELECT count(*) FROM digests WHERE status = 'delivered'")) === 1, 7_500),
    ).toBe(true);

    const fine = (await app.db.get<{ full_text: string; full_text_status: string; summary: string }>(
      "SELECT full_text, full_text_status, summary FROM items WHERE guid = 'fine'",
    ))!;
    expect(fine.full_text_status).toBe('ok');
    expect(fine.full_text).toContain('1.8 million pounds');
    expect(fine.full_text).not.toContain('Sponsored');
    expect(fine.summary).not.toBe('A regulator acted against a chat app.');
    // a page that cannot be fetched keeps the feed text and does not hold the item back
    const gone = (await app.db.get<{ full_text: string | null; full_text_status: string; summary: string }>(
      "SELECT full_text, full_text_status, summary FROM items WHERE guid = 'gone'",
    ))!;
    expect(gone.full_text).toBeNull();
    expect(gone.full_text_status).toMatch(/404/);
    expect(gone.summary.length).toBeGreaterThan(0);

    expect(printed).toContain('Regulator fines chat app under the Online Safety Act');
    expect(printed).toContain('Ofcom opens Online Safety Act inquiry');
    expect(printed).not.toContain('Older item from the backlog');
  });
});
