import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiProcessConfig, serveFeeds } from '../helpers/beat-feeds.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

/**
 * SQLite only (by its name: .ci/run's PostgreSQL pass leaves *.sqlite.test.ts out): backup and restore copy a
 * SQLite file (its online backup API, integrity_check). A PostgreSQL store is backed up with the server's own
 * tools (pg_dump), which watchdesk does not wrap.
 *
 * Issue 13: `watchdesk backup` takes a consistent copy while the bot runs (SQLite's online backup), and `watchdesk
 * restore` refuses while a bot holds the store, then puts the backup back once it has stopped, keeping the database
 * it replaces. A damaged database says to restore from a backup with these commands.
 */
describe('backup and restore', () => {
  let server: FeedServer;
  let setup: ReturnType<typeof multiProcessConfig>;
  let bot: ReturnType<typeof spawnCli> | undefined;
  const cli = (...args: string[]) => runCli(['--config', setup.config, ...args]);

  beforeAll(async () => {
    server = await startFeedServer();
    serveFeeds(server, { prefix: 'bk', feeds: 2, perFeed: 4, from: 0 });
    setup = multiProcessConfig(server, { prefix: 'bk', feeds: 2 });
  });
  afterAll(async () => {
    if (bot && bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await server.close();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  it('backs up while the bot runs; restore waits for the bot to stop, then puts the copy back', async () => {
    bot = spawnCli(['--config', setup.config, 'start']);
    expect(await until(() => /next digest at/.test(bot!.output().stderr), 30_000, 50)).toBe(true);
    // the bot's first polls have stored items
    expect(await until(() => itemCount(setup.db) >= 8, 30_000, 100)).toBe(true);

    const file = path.join(setup.dir, 'copy.db');
    const backup = await cli('backup', file);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      /^backed up .+ to .+copy\.db: \d+\.\d MB, schema \d+, 2 feeds, 8 items, \d+ stories; integrity_check ok/,
    );
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT count(*) FROM items').pluck().get()).toBe(8);
    copy.close();
    const again = await cli('backup', file);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists already');

    // a change after the backup, which the restore undoes
    expect((await cli('feeds', 'add', server.url('/feeds/rss.xml'))).code).toBe(0);
    const refused = await cli('restore', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'restore refuses to run while a bot holds the database: it is in use by another watchdesk bot: pid',
    );
    expect(refused.stderr).toContain('Stop that bot first');
    expect(bot.child.exitCode).toBeNull();

    const stopped = new Promise((resolve) => bot!.child.once('exit', resolve));
    bot.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    const restored = await cli('restore', file);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`into ${setup.db}`);
    expect(restored.stdout).toContain('The database as it was before is kept at');
    const list = JSON.parse((await cli('feeds', 'list', '--json')).stdout) as { url: string }[];
    expect(list).toHaveLength(2);
    expect(readdirSync(setup.dir).some((f) => f.startsWith('watchdesk.db.before-restore-'))).toBe(true);

    // the restored store runs a bot again (its lease row from backup time is gone)
    bot = spawnCli(['--config', setup.config, 'start']);
    expect(await until(() => /next digest at/.test(bot!.output().stderr), 30_000, 50)).toBe(true);
    const second = new Promise((resolve) => bot!.child.once('exit', resolve));
    bot.child.kill('SIGTERM');
    expect(await second).toBe(0);
  }, 180_000);

  it('refuses a file that is not a good backup, changing nothing, and a damaged store points at restore', async () => {
    const junk = path.join(setup.dir, 'junk.db');
    writeFileSync(junk, 'this is not an SQLite file, just text long enough to look like a header...'.repeat(20));
    const refused = await cli('restore', junk);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${junk} cannot be read as a watchdesk database`);
    expect(refused.stderr).toContain('Nothing was changed.');

    const damaged = await runCli(['--config', setup.config, 'feeds', 'list'], { WATCHDESK_DB: junk });
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toContain(`the database ${junk} is damaged or is not a watchdesk database`);
    expect(damaged.stderr).toContain('restore from a backup: watchdesk restore <backup file>');
    expect(existsSync(setup.db)).toBe(true);
  }, 60_000);
});

function itemCount(file: string): number {
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, timeout: 5_000 });
  try {
    return Number(db.prepare('SELECT count(*) FROM items').pluck().get());
  } catch {
    return 0;
  } finally {
    db.close();
  }
}
