import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { LEVEL, type LogRecord, logRecords } from '../helpers/log.js';
import { validateAll } from '../helpers/payload-validator.js';
import { until } from '../helpers/wait.js';

const story = (guid: string, title: string, text: string) => ({
  guid,
  title,
  link: `https://desk.example/${guid}`,
  date: new Date(Date.now() - 3_600_000).toISOString(),
  text,
});

/** A port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('watchdesk CLI: poll, feeds, subscriptions, digest, start', () => {
  let server: FeedServer;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    server = await startFeedServer();
    server.route('/desk.xml', {
      etag: '"desk-1"',
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Desk', [
        story(
          'd1',
          'Senators revive the Kids Online Safety Act with new age verification rules',
          'A bipartisan group of senators reintroduced the Kids Online Safety Act on Tuesday with age verification changes.',
        ),
        story(
          'd2',
          'Harbour ferry timetable changes for winter',
          'The ferry will run every forty minutes from December.',
        ),
      ]),
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-cli-'));
    config = writeBeatConfig(dir, {
      feeds: [
        { name: 'Desk', url: server.url('/desk.xml') },
        { name: 'Broken HTML', url: server.url('/page.html') },
      ],
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('poll --once ingests and stores, then gets 304 on the second poll; errors are per feed', async () => {
    const first = await runCli(['--config', config, 'poll', '--once']);
    // one feed failed, so the run failed: a script sees it without reading the table
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/ok \(first poll\)\s+2\s+1\s+0\s+\d+ ms\s+Desk/);
    expect(first.stdout).toMatch(/error: not_a_feed .*Broken HTML/);
    expect(first.stdout).toContain('2 feeds polled: 2 new items; 1 feed failed, 0 items failed.');
    expect(first.stderr).toContain('`watchdesk feeds list` shows its state');
    const second = await runCli(['--config', config, 'poll', '--once', '--json']);
    const rows = second.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { feed: string; status: string; newItems: number });
    expect(rows.find((r) => r.feed === 'Desk')).toMatchObject({ status: 'not_modified', newItems: 0 });
    expect(server.requestsTo('/desk.xml').at(-1)?.headers['if-none-match']).toBe('"desk-1"');
  });

  it('feeds list shows health, and a bad id is a clear error', async () => {
    const list = await runCli(['--config', config, 'feeds', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/failing\s+2\s+.*not_a_feed.*Broken HTML/);
    expect(list.stdout).toMatch(/ok\s+0\s+.*Desk/);
    const bad = await runCli(['--config', config, 'feeds', 'enable', 'x1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('feed id must be a whole number');
  });

  it('subscriptions add validates, list shows the next run, remove refuses config ones', async () => {
    const bad = await runCli([
      '--config',
      config,
      'subscriptions',
      'add',
      '--platform',
      'slack',
      '--workspace',
      'T1',
      '--channel',
      'C1',
      '--schedule',
      'daily 9',
      '--topics',
      'child-safety,nope',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--schedule: expected a preset/);
    expect(bad.stderr).toMatch(/--topics: expected one of: .*found "nope"/);
    const ok = await runCli([
      '--config',
      config,
      'subscriptions',
      'add',
      '--platform',
      'slack',
      '--workspace',
      'T1',
      '--channel',
      'C1',
      '--schedule',
      'weekdays 08:30',
      '--timezone',
      'America/Chicago',
      '--topics',
      'child-safety',
    ]);
    expect(ok.code).toBe(0);
    const id = /subscription (\d+) saved/.exec(ok.stdout)?.[1];
    const list = await runCli(['--config', config, 'subscriptions', 'list', '--json']);
    const subs = JSON.parse(list.stdout) as { id: number; source: string; schedule: string; nextRunAt: number }[];
    const added = subs.find((s) => String(s.id) === id)!;
    expect(added).toMatchObject({ source: 'command', schedule: 'weekdays 08:30' });
    expect(added.nextRunAt).toBeGreaterThan(Date.now());
    const fromConfig = subs.find((s) => s.source === 'config')!;
    const refused = await runCli(['--config', config, 'subscriptions', 'remove', String(fromConfig.id)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Remove it from that file');
    const takeOver = await runCli([
      '--config',
      config,
      'subscriptions',
      'add',
      '--platform',
      'console',
      '--channel',
      'test',
    ]);
    expect(takeOver.code).toBe(2);
    expect(takeOver.stderr).toContain(`already has subscription ${fromConfig.id}`);
    expect((await runCli(['--config', config, 'subscriptions', 'remove', id!])).code).toBe(0);
  }, 60_000);

  it('subscriptions add refuses a second subscription of one channel without --replace, and --min-score outside 0..1', async () => {
    const add = (...extra: string[]) =>
      runCli(['--config', config, 'subscriptions', 'add', '--platform', 'console', '--channel', 'twice', ...extra]);
    const first = await add('--topics', 'child-safety', '--schedule', 'daily 07:00');
    expect(first.code).toBe(0);
    const id = /subscription (\d+) saved: console:twice/.exec(first.stdout)?.[1];
    expect(id).toBeDefined();

    const again = await add('--schedule', 'hourly');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `error: console:twice already has subscription ${id} (topics child-safety, daily 07:00 UTC)`,
    );
    expect(again.stderr).toContain(
      `Add --replace to replace it with these settings, or remove it first: watchdesk subscriptions remove ${id}`,
    );
    const unchanged = JSON.parse((await runCli(['--config', config, 'subscriptions', 'list', '--json'])).stdout) as {
      id: number;
      schedule: string;
    }[];
    expect(unchanged.find((s) => String(s.id) === id)?.schedule).toBe('daily 07:00');

    const replaced = await add('--schedule', 'hourly', '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toBe(
      `subscription ${id} replaced: console:twice (was topics child-safety, daily 07:00 UTC)\n`,
    );

    const score = await add('--min-score', '2', '--replace');
    expect(score.code).toBe(2);
    expect(score.stderr).toContain('--min-score: expected a number of at most 1, found number 2');
    expect((await runCli(['--config', config, 'subscriptions', 'remove', id!])).code).toBe(0);
  }, 120_000);

  it('digest prints the payloads each platform would receive', async () => {
    const md = await runCli(['--config', config, 'digest', '--since', '24h']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('Kids Online Safety Act');
    expect(md.stdout).not.toContain('ferry');
    const discord = JSON.parse((await runCli(['--config', config, 'digest', '--format', 'discord-json'])).stdout);
    expect(discord[0].allowed_mentions).toEqual({ parse: [] });
    expect(validateAll('discord', discord)).toEqual([]);
    expect(JSON.stringify(discord)).toContain('Kids Online Safety Act');
    const slack = JSON.parse((await runCli(['--config', config, 'digest', '--format', 'slack-json'])).stdout);
    expect(slack[0].blocks.length).toBeGreaterThan(0);
    expect(validateAll('slack', slack)).toEqual([]);
    const badTopic = await runCli(['--config', config, 'digest', '--topics', 'nope']);
    expect(badTopic.code).toBe(2);
    expect(badTopic.stderr).toContain('unknown topic(s): nope');
    const badFormat = await runCli(['--config', config, 'digest', '--format', 'pdf']);
    expect(badFormat.stderr).toContain('--format must be one of md, discord-json, slack-json');
  }, 60_000);

  it('start warns once about an empty config: no feeds, topics or subscriptions (issue 7 item 13)', async () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'watchdesk-empty-'));
    const empty = path.join(emptyDir, 'empty.yaml');
    writeFileSync(empty, 'http: { port: 0 }\n');
    const { child, output } = spawnCli(['--config', empty, 'start'], {});
    try {
      const warned = () =>
        logRecords(output().stderr)
          .filter((r) => r.level === LEVEL.warn && /^no (feeds|topics|subscriptions):/.test(r.msg))
          .map((r) => r.msg.split(':')[0]);
      expect(await until(() => warned().length === 3, 30_000, 50)).toBe(true);
      expect(warned()).toEqual(['no feeds', 'no topics', 'no subscriptions']);
      expect(logRecords(output().stderr).find((r) => r.msg === 'watchdesk starting')?.db).toBe(
        path.join(emptyDir, 'data', 'watchdesk.db'),
      );
      expect(child.exitCode).toBeNull();
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(emptyDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('start keeps running when feeds fail, reports each failure, and stops cleanly on SIGTERM', async () => {
    const port = await closedPort();
    const offlineDir = mkdtempSync(path.join(tmpdir(), 'watchdesk-offline-'));
    const offline = writeBeatConfig(offlineDir, {
      feeds: [
        { name: 'Nowhere', url: 'http://feeds.watchdesk.invalid/rss' },
        { name: 'Refused', url: `http://127.0.0.1:${port}/rss` },
      ],
    });
    const { child, output } = spawnCli(['--config', offline, 'start'], { SLACK_BOT_TOKEN: '' });
    const logs = () => logRecords(output().stderr);
    const seen = (match: (r: LogRecord) => boolean) => until(() => logs().some(match), 15_000, 50);
    const failed = (kind: string) => seen((r) => r.msg.startsWith('feed poll failed') && r.kind === kind);
    expect(await failed('dns')).toBe(true);
    expect(await failed('connect')).toBe(true);
    expect(logs().find((r) => r.msg.startsWith('feed poll failed'))?.level).toBe(LEVEL.warn);
    expect(logs().some((r) => r.msg.includes('console mode'))).toBe(true);
    // the start log names the database in use, resolved
    expect(logs().find((r) => r.msg === 'watchdesk starting')?.db).toBe(path.join(offlineDir, 'watchdesk.db'));
    // when the first digest will come: the config's console subscription runs daily at 09:00 UTC
    expect(
      await seen(
        (r) =>
          r.level === LEVEL.info &&
          /^subscription \d+ \(console:test\): next digest at \d{4}-\d\d-\d\dT09:00:00Z \(in \d+[smh]\)$/.test(r.msg) &&
          r.schedule === 'daily 09:00' &&
          r.timezone === 'UTC',
      ),
    ).toBe(true);
    expect(child.exitCode).toBeNull();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logs().some((r) => r.msg === 'shutting down' && r.signal === 'SIGTERM')).toBe(true);
  });
});
