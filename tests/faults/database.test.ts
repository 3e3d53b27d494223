/**
 * Issue 15: the database under stress. A full disk (simulated with PRAGMA max_page_count on the app's own
 * connection): polling logs a clear error and loses nothing stored, the outbox still delivers, and ingest resumes
 * once there is room. A locked or damaged database at start: a clear error and what to do, and never a new,
 * empty database in its place. (A read-only file or folder, a folder as the path and a missing folder are in
 * tests/store/open-errors.sqlite.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { deliverPending, enqueueDigest } from '../../src/delivery/outbox.js';
import { pollAndIngest } from '../../src/pipeline/poll-cycle.js';
import { openDb } from '../../src/store/db.js';
import { listWatchedFeeds } from '../../src/store/feeds.js';
import { listSubscriptions } from '../../src/store/subscriptions.js';
import { consoleParts } from '../delivery/fixtures.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { runCli } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { captureLog } from '../helpers/log.js';
import { recordCounts } from './counts.js';

const HOUR = 3_600_000;
const story = (n: number) => ({
  guid: `disk-${n}`,
  title: `Court weighs Section 230 defence in trafficking suit number ${n}`,
  link: `https://disk.example/${n}`,
  date: new Date(Date.now() - HOUR).toISOString(),
  text: `A federal court heard argument on Section 230 and the Trafficking Victims Protection Act, case ${n}. ${'Detail. '.repeat(400)}`,
});

describe('disk full', () => {
  let server: FeedServer;
  let dir: string;
  let app: App;
  let served = 2;
  const log = captureLog('info');
  beforeAll(async () => {
    server = await startFeedServer();
    server.route('/disk.xml', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        rss(
          'Disk Wire',
          Array.from({ length: served }, (_, i) => story(i)),
        ),
      );
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-disk-full-'));
    const file = writeBeatConfig(dir, { feeds: [{ name: 'Disk Wire', url: server.url('/disk.xml') }] });
    app = await createApp(loadConfig({ file, env: { secrets: {} } }), {
      log: log.log,
      consoleOut: new PassThrough().resume(),
    });
  });
  afterAll(async () => {
    await app.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const items = () => app.db.column<string>('SELECT guid FROM items ORDER BY guid');
  const poll = async () =>
    pollAndIngest(
      app,
      (await listWatchedFeeds(app.db)).map((f) => ({ ...f, nextPollAt: 0 })),
    );

  it('polling says the disk is full and loses nothing; the outbox delivers; ingest resumes with room', async () => {
    expect((await poll())[0]).toMatchObject({ status: 'ok', newItems: 2 });
    const before = await items();
    const sub = (await listSubscriptions(app.db))[0]!.id;
    const digest = await enqueueDigest(app.db, {
      subscriptionId: sub,
      parts: consoleParts('waiting part'),
      cursorFrom: 0,
      cursorTo: 1,
      storyCount: 1,
      now: Date.now(),
    });

    // the volume fills up: the file may not grow by a single page
    const pages = await app.db.value<number>('PRAGMA page_count');
    await app.db.exec(`PRAGMA max_page_count = ${pages}`);
    served = 40;
    const full = (await poll())[0]!;
    expect(full.status).toBe('error');
    expect(full.error).toMatchObject({ kind: 'ingest' });
    expect(full.error!.message).toMatch(/full/i);
    const said = log.records().filter((r) => r.level >= 50);
    expect(said.some((r) => /storing new items failed/.test(r.msg) && /full/i.test(JSON.stringify(r)))).toBe(true);
    expect(await items()).toEqual(before);

    // what is already in the outbox still goes out
    const sent = await deliverPending(app.deliverDeps);
    expect(sent.sent).toBe(1);
    expect(await app.db.value('SELECT status FROM digests WHERE id = ?', [digest])).toBe('delivered');

    // room again: the next poll fetches the feed again (not "not modified") and stores what it brings
    await app.db.exec('PRAGMA max_page_count = 1073741823');
    const resumed = (await poll())[0]!;
    expect(resumed).toMatchObject({ status: 'ok', newItems: 38 });
    expect(await items()).toHaveLength(40);
    expect(await app.db.value('PRAGMA integrity_check')).toBe('ok');
    recordCounts('disk full', { inputs: 1, lost: 0, crashes: 0 });
  }, 60_000);
});

describe('a locked or damaged database at start', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-db-start-'));
  const config = path.join(dir, 'team.yaml');
  writeFileSync(config, 'feeds: []\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pollOnce = (db: string) => runCli(['--config', config, 'poll', '--once'], { WATCHDESK_DB: db });

  it('a database another process holds a write lock on says so and what to do; it works once the lock is gone', async () => {
    const file = path.join(dir, 'locked.db');
    openDb(file).close();
    const holder = new Database(file);
    holder.exec('BEGIN EXCLUSIVE');
    holder.prepare("INSERT INTO kv (key, value) VALUES ('held', 'by the test')").run();
    const run = await pollOnce(file);
    holder.exec('ROLLBACK');
    holder.close();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the database ${file} is locked`);
    expect(run.stderr).toContain('let it finish or stop it');
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await pollOnce(file)).code).toBe(0);
    recordCounts('database at start', { inputs: 1, crashes: 0 });
  }, 60_000);

  it('a damaged file is left exactly as it was: no new database is made in its place', async () => {
    const file = path.join(dir, 'damaged.db');
    const good = path.join(dir, 'good.db');
    openDb(good).close();
    // a real database whose pages are overwritten in the middle: SQLite reads the header, then finds garbage
    const bytes = readFileSync(good);
    bytes.fill(0xa5, 4096, Math.min(bytes.length, 4096 * 6));
    writeFileSync(file, bytes);
    const run = await pollOnce(file);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/damaged|malformed/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    recordCounts('database at start', { inputs: 1, crashes: 0 });
  }, 60_000);
});
