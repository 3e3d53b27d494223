import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { LEVEL, logRecords } from '../helpers/log.js';
import { until } from '../helpers/wait.js';

/**
 * Issue 8 items 1 and 5: commands that only show things open the store read-only and leave it as
 * it was; --config works after the subcommand as well as before it.
 */
describe('the store as the CLI commands use it', () => {
  let server: FeedServer;
  let dir: string;
  let config: string;
  let db: string;

  beforeAll(async () => {
    server = await startFeedServer();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    server.route('/desk.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Desk', [
        {
          guid: 'a1',
          title: 'Court weighs Section 230 immunity for recommendation algorithms',
          link: 'https://desk.example/a1',
          date: hourAgo,
          text: 'The appeals court heard argument on whether Section 230 shields platform recommendations.',
        },
      ]),
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-store-access-'));
    config = writeBeatConfig(dir, { feeds: [{ name: 'Desk', url: server.url('/desk.xml') }] });
    db = path.join(dir, 'watchdesk.db');
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('poll --once --config FILE reads the config named after the subcommand', async () => {
    const run = await runCli(['poll', '--once', '--config', config]);
    expect(run.code).toBe(0);
    // The store is the one that config names, and the feed the one it lists.
    expect(existsSync(db)).toBe(true);
    expect(run.stdout).toMatch(/ok \(first poll\)\s+1\s+.*Desk/);
  }, 120_000);

  it('read-only commands leave the store file byte for byte as it was', async () => {
    const before = fingerprint(db);
    for (const args of [
      ['feeds', 'list'],
      ['subscriptions', 'list'],
      ['digest', '--since', '7d'],
      ['outbox', 'status'],
      ['stories', 'list', '--since', '7d'],
      ['feeds', 'export'],
    ]) {
      const run = await runCli(['--config', config, ...args]);
      expect(run.stderr, args.join(' ')).toBe('');
      expect(run.code, args.join(' ')).toBe(0);
    }
    expect(fingerprint(db)).toEqual(before);
    // What they read is there: the digest preview holds the polled story.
    const digest = await runCli(['--config', config, 'digest', '--since', '7d']);
    expect(digest.stdout).toContain('Section 230 immunity');
  }, 240_000);

  it('subscriptions list shows the config file as it is now, without writing the store', async () => {
    // The store synced the file's one subscription (console:test, daily 09:00) at the first poll.
    // Edit the file: a new schedule for that channel, and a second channel no command has stored yet.
    const edited = writeBeatConfig(mkdtempSync(path.join(tmpdir(), 'watchdesk-store-access-edit-')), {
      feeds: [{ name: 'Desk', url: server.url('/desk.xml') }],
      extra: {
        store: { path: db },
        subscriptions: [
          { platform: 'console', channel: 'test', topics: 'all', schedule: 'weekdays 08:30', timezone: 'UTC' },
          { platform: 'console', channel: 'newsroom', topics: 'all', schedule: 'hourly', timezone: 'UTC' },
        ],
      },
    });
    const before = fingerprint(db);
    const run = await runCli(['--config', edited, 'subscriptions', 'list', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as { id: number | null; channel: string; schedule: string; active: boolean }[];
    expect(rows.map((r) => [r.id, r.channel, r.schedule, r.active])).toEqual([
      [1, 'test', 'weekdays 08:30', true],
      [null, 'newsroom', 'hourly', true],
    ]);
    const table = await runCli(['--config', edited, 'subscriptions', 'list']);
    expect(table.stdout).toMatch(/\bnew\s+config\s+console:newsroom/);
    expect(fingerprint(db)).toEqual(before);
    rmSync(path.dirname(edited), { recursive: true, force: true });
  }, 120_000);

  it("feeds list says how many of the config file's feeds are not stored yet, without writing the store", async () => {
    const edited = writeBeatConfig(mkdtempSync(path.join(tmpdir(), 'watchdesk-store-access-feeds-')), {
      feeds: [
        { name: 'Desk', url: server.url('/desk.xml') },
        { name: 'Newsroom', url: server.url('/newsroom.xml') },
      ],
      extra: { store: { path: db } },
    });
    const before = fingerprint(db);
    const run = await runCli(['--config', edited, 'feeds', 'list']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\bDesk\b/);
    expect(run.stdout).not.toContain('Newsroom');
    expect(run.stdout).toContain('1 more in the config file, not stored yet');
    expect(fingerprint(db)).toEqual(before);
    rmSync(path.dirname(edited), { recursive: true, force: true });
  }, 120_000);

  it('start --config FILE runs the bot on the config named after the subcommand', async () => {
    const { child, output } = spawnCli(['start', '--config', config]);
    const started = () =>
      logRecords(output().stderr).some(
        (r) => r.level === LEVEL.info && r.msg === 'watchdesk starting' && r.config === config && r.db === db,
      );
    expect(await until(started, 60_000, 100)).toBe(true);
    // Running, signal handlers in place: the first digest's time is logged once the bot is up.
    const up = () => logRecords(output().stderr).some((r) => r.msg.startsWith('subscription 1 (console:test)'));
    expect(await until(up, 60_000, 100)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});

/** The main file's bytes and modification time, and whether a WAL file holds anything. */
function fingerprint(file: string) {
  const wal = `${file}-wal`;
  return {
    hash: createHash('sha256').update(readFileSync(file)).digest('hex'),
    mtimeMs: statSync(file).mtimeMs,
    walBytes: existsSync(wal) ? statSync(wal).size : 0,
  };
}
