/**
 * Issue 16's "done means", as a person runs it: the real CLI with WATCHDESK_DB=postgres://…?schema=<fresh>, from an
 * empty working directory. poll --once from a loopback feed server, a digest printed, `watchdesk start` printing the
 * digest it owed, a second start running beside it (issue 17: no instance lease on PostgreSQL), the /digest commands answered
 * from the same store, the tables in the schema, nothing written to disk, backup refused with the pg_dump hint, and
 * the URL's password never printed. Always on PostgreSQL (127.0.0.1:5432, database test; see .ci/run).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { runCommandText } from '../../src/commands/registry.js';
import type { Invocation } from '../../src/commands/types.js';
import { readEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { replyText } from '../../src/render/index.js';
import { LEASE_LOCK_CLASS } from '../../src/store/pg-lease.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { type CliRun, runCli, spawnCli } from '../helpers/cli.js';
import { dropPgSchema, PG_TEST_URL, pgTestSchema } from '../helpers/db.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

type Bot = ReturnType<typeof spawnCli>;

const PASSWORD = 'pw-Never-Printed-7731';
const HOUR = 3_600_000;
const STORIES = [
  ['Senators revive the Kids Online Safety Act with age checks', 'Senators reintroduced the Kids Online Safety Act.'],
  ['Appeals court narrows Section 230 immunity for feeds', 'The court held that Section 230 does not shield design.'],
  [
    'Commission opens Digital Services Act case against a marketplace',
    'Brussels opened Digital Services Act proceedings.',
  ],
];

describe('watchdesk on PostgreSQL, run as a person would (WATCHDESK_DB=postgres://…)', { timeout: 90_000 }, () => {
  const schema = pgTestSchema();
  const url = (() => {
    const u = new URL(PG_TEST_URL);
    u.password = PASSWORD; // trust auth ignores it: it is here to be kept out of every output
    u.searchParams.set('schema', schema);
    return u.toString();
  })();
  const env = { WATCHDESK_DB: url, WATCHDESK_HTTP_PORT: '0' };
  const cwd = mkdtempSync(path.join(tmpdir(), 'watchdesk-pg-cwd-'));
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-pg-config-'));
  const printed: string[] = [];
  const bots: Bot[] = [];
  let feeds: FeedServer;
  let config: string;
  let admin: pg.Client;

  const cli = async (...args: string[]): Promise<CliRun> => {
    const run = await runCli(['--config', config, ...args], env, undefined, { cwd });
    printed.push(run.stdout, run.stderr);
    return run;
  };
  const startBot = (): Bot => {
    const bot = spawnCli(['--config', config, 'start'], env, { cwd });
    bots.push(bot);
    return bot;
  };
  const exitOf = (bot: Bot) => new Promise((resolve) => bot.child.once('exit', (code, sig) => resolve(code ?? sig)));
  const leaseLocks = async () =>
    Number(
      (
        await admin.query(
          "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::bigint::oid AND objid = hashtext($2)::oid",
          [LEASE_LOCK_CLASS, schema],
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.route('/wire.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss('Capitol Wire', []) });
    config = writeBeatConfig(dir, {
      feeds: [{ name: 'Capitol Wire', url: feeds.url('/wire.xml') }],
      extra: {
        subscriptions: [{ platform: 'console', channel: 'desk', topics: 'all', schedule: 'hourly', timezone: 'UTC' }],
      },
    });
    admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
  });

  afterAll(async () => {
    const running = bots.filter((b) => b.child.exitCode === null && b.child.signalCode === null);
    const exits = running.map(exitOf);
    for (const bot of running) bot.child.kill('SIGKILL');
    await Promise.all(exits);
    await admin?.end();
    await feeds?.close();
    await dropPgSchema(schema);
    rmSync(cwd, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('config check names the store without its password; poll --once stores, then announces what is new', async () => {
    const check = await cli('config', 'check');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`database:      ${url.replace(PASSWORD, '***')}`);

    const first = await cli('poll', '--once');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('1 feed polled');
    feeds.route('/wire.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Capitol Wire', items()),
    });
    const second = await cli('poll', '--once');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('1 feed polled: 3 new items');

    const digest = await cli('digest', '--since', '7d');
    expect(digest.code).toBe(0);
    for (const [title] of STORIES) expect(digest.stdout).toContain(title);
  });

  it('start prints the digest it owed; a second start and poll --once run beside it', async () => {
    await admin.query(`UPDATE "${schema}".subscriptions SET last_run_at = $1`, [Date.now() - 48 * HOUR]);
    const first = startBot();
    expect(await until(() => /watchdesk digest/.test(first.output().stdout), 45_000, 50)).toBe(true);
    for (const [title] of STORIES) expect(first.output().stdout).toContain(title);
    expect(first.output().stderr).toContain(`"db":"${url.replace(PASSWORD, '***')}"`);
    // Issue 17: the bots of a PostgreSQL store share its work as jobs; none takes the instance lease.
    expect(await leaseLocks()).toBe(0);

    const second = startBot();
    expect(await until(() => /next digest at/.test(second.output().stderr), 45_000, 50)).toBe(true);
    expect(second.output().stderr).not.toContain('in use');
    expect(first.child.exitCode).toBeNull();

    const poll = await cli('poll', '--once');
    expect(poll.code).toBe(0);
    expect(poll.stdout).toContain('1 feed polled');
  });

  it('answers the /digest commands from the same store while the bot runs', async () => {
    const app = await createApp(loadConfig({ file: config, env: readEnv({ WATCHDESK_DB: url }) }), {
      log: silentLogger,
    });
    const inv: Invocation = {
      platform: 'slack',
      workspace: 'T1',
      channel: 'C1',
      thread: '',
      user: { id: 'U1', admin: true },
      adminRule: '',
    };
    const ask = async (text: string) =>
      replyText(await runCommandText({ db: app.db, config: app.config, now: Date.now, log: silentLogger }, text, inv));
    try {
      expect(app.db.dialect).toBe('postgres');
      expect(await ask('latest')).toContain(STORIES[0]![0]);
      expect(await ask('search "Section 230" since:7d')).toContain(STORIES[1]![0]);
      const storyId = await app.db.value<number>("SELECT story_id FROM items WHERE title LIKE 'Commission opens%'");
      expect(await ask(`story ${storyId}`)).toContain(`Story ${storyId}`);
      expect(await ask('topics')).toMatch(/Child online safety.*\(child-safety\)/);
      expect(await ask('subscribe eu-dsa daily 08:30')).toContain('Subscribed');
      expect(await ask('subscriptions')).toContain('1 subscription in this channel');
      expect(await ask('preview')).toContain('Preview of the next digest');
      expect(await ask('unsubscribe all')).toContain('no longer gets digests');
    } finally {
      await app.close();
    }
  });

  it("keeps watchdesk's tables in the schema and writes nothing to disk; backup and restore point to pg_dump", async () => {
    const tables = await admin.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [
      schema,
    ]);
    const names = tables.rows.map((r: { table_name: string }) => r.table_name);
    for (const t of ['feeds', 'items', 'stories', 'subscriptions', 'digests', 'digest_parts', 'instance_lease']) {
      expect(names).toContain(t);
    }
    for (const what of ['backup', 'restore']) {
      const run = await cli(what, 'watchdesk.bak');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('this store is the PostgreSQL database');
      expect(run.stderr).toContain(what === 'backup' ? 'pg_dump' : 'pg_restore');
      expect(run.stderr).toContain(`--schema=${schema}`);
    }
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(dir)).toEqual(['watchdesk.yaml']);
    expect(existsSync(path.join(path.dirname(config), 'data'))).toBe(false);
  });

  it('one bot killed with SIGKILL leaves the other running; it stops cleanly on SIGTERM', async () => {
    const [first, next] = [bots[0]!, bots[1]!];
    const killed = exitOf(first);
    first.child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');
    expect(next.child.exitCode).toBeNull();
    const stopped = exitOf(next);
    next.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    expect(await leaseLocks()).toBe(0);
    expect((await admin.query(`SELECT count(*) AS n FROM "${schema}".instance_lease`)).rows[0].n).toBe('0');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('never printed the password', () => {
    for (const bot of bots) printed.push(bot.output().stdout, bot.output().stderr);
    expect(printed.join('\n')).not.toContain(PASSWORD);
    expect(printed.join('\n')).toContain('***');
  });
});

function items() {
  return STORIES.map(([title, text], i) => ({
    guid: `pg-${i}`,
    title: title!,
    link: `https://wire.example/news/${i}`,
    date: new Date(Date.now() - (i + 1) * HOUR).toISOString(),
    text: text!,
  }));
}
