import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { pollAndIngest } from '../../src/pipeline/poll-cycle.js';
import { listFeeds } from '../../src/store/feeds.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';

/** A poll cycle stores each feed's items while later feeds are still being fetched, in the feeds' order. */
describe('pollAndIngest', () => {
  let server: FeedServer;
  let dir: string;
  let app: App;
  const item = (guid: string, title: string) => ({
    guid,
    title,
    link: `${server.origin}/articles/${guid}`,
    date: new Date(Date.now() - 3_600_000).toISOString(),
    text: `${title}. More on that later.`,
  });

  beforeAll(async () => {
    server = await startFeedServer();
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-cycle-'));
    const feeds = [
      { name: 'First', url: server.url('/first.xml') },
      { name: 'Second', url: server.url('/second.xml') },
    ];
    const config = writeBeatConfig(dir, { feeds });
    app = await createApp(loadConfig({ file: config, env: { secrets: {} } }), { log: silentLogger });
  });

  afterAll(async () => {
    await app?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingests the first feed before the second has answered, and reports them in the given order', async () => {
    const stored = async () => (await app.db.value<number>("SELECT count(*) FROM items WHERE guid = 'f1'"))!;
    let firstStoredWhenSecondAnswered: boolean | null = null;
    server.route('/first.xml', { body: rss('First', [item('f1', 'Regulator opens an inquiry')]) });
    // The second feed answers only once the first feed's item is in the store (or after 3 s, so
    // that a cycle that fetched everything before storing anything fails here instead of hanging).
    server.route('/second.xml', async (_req, res) => {
      const gaveUpAt = Date.now() + 3_000;
      while ((await stored()) === 0 && Date.now() < gaveUpAt) await new Promise((resolve) => setTimeout(resolve, 10));
      firstStoredWhenSecondAnswered = (await stored()) > 0;
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rss('Second', [item('s1', 'Lawmakers debate a new bill')]));
    });
    const reports = await pollAndIngest(app, await listFeeds(app.db));
    expect(firstStoredWhenSecondAnswered).toBe(true);
    expect(reports.map((r) => [r.feed, r.status, r.newItems])).toEqual([
      ['First', 'ok', 1],
      ['Second', 'ok', 1],
    ]);
  });

  it('stores every feed even when the progress callback throws', async () => {
    server.route('/first.xml', { body: rss('First', [item('f2', 'Court hears platform appeal')]) });
    server.route('/second.xml', { body: rss('Second', [item('s2', 'Ministers publish online safety code')]) });
    let calls = 0;
    const reports = await pollAndIngest(app, await listFeeds(app.db), () => {
      calls++;
      throw new Error('stdout closed');
    });
    expect(calls).toBe(2);
    expect(reports.map((r) => [r.feed, r.status, r.newItems])).toEqual([
      ['First', 'ok', 1],
      ['Second', 'ok', 1],
    ]);
    const guids = await app.db.column("SELECT guid FROM items WHERE guid IN ('f2', 's2') ORDER BY guid");
    expect(guids).toEqual(['f2', 's2']);
  });
});
