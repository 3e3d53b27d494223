import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DB_FILE, loadConfig, PROJECT_ROOT, parseConfigText } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';

// Issue 7 item 10: a relative store.path is read from the config file's folder, so a command run from
// another folder finds the same database; a relative WATCHDESK_DB stays relative to the working directory.
describe('where the database is', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-db-path-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const team = path.join(dir, 'team');
  const elsewhere = path.join(dir, 'elsewhere');
  mkdirSync(team);
  mkdirSync(elsewhere);
  const config = path.join(team, 'team.yaml');
  writeFileSync(
    config,
    'store: { path: ./team.db }\ntopics:\n  dsa: { name: DSA, query: \'"Digital Services Act"\' }\n',
  );

  it('reads a relative store.path from the config file folder, WATCHDESK_DB from the working directory', () => {
    expect(parseConfigText('store: { path: ./x.db }\n', '/srv/watchdesk/team.yaml').dbPath).toBe('/srv/watchdesk/x.db');
    expect(parseConfigText('store: { path: /var/x.db }\n', '/srv/watchdesk/team.yaml').dbPath).toBe('/var/x.db');
    expect(parseConfigText('feeds: []\n', '/srv/watchdesk/team.yaml').dbPath).toBe('/srv/watchdesk/data/watchdesk.db');
    const env = { dbPath: 'rel.db', secrets: {} };
    expect(parseConfigText('store: { path: ./x.db }\n', '/srv/watchdesk/team.yaml', env).dbPath).toBe(
      path.resolve('rel.db'),
    );
    // the bundled default keeps its database at data/watchdesk.db in the checkout
    const bundled = loadConfig({ env: { secrets: {} } });
    expect(bundled.dbPath).toBe(path.join(PROJECT_ROOT, 'data', 'watchdesk.db'));
    expect(bundled.dbPath).toBe(DEFAULT_DB_FILE);
    expect(bundled.createDbFolder).toBe(true);
  });

  it('feeds and subscriptions written from one folder are read from another: one database', async () => {
    const add = await runCli(
      ['--config', config, 'subscriptions', 'add', '--platform', 'console', '--channel', 'desk', '--topics', 'dsa'],
      {},
      undefined,
      { cwd: team },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(existsSync(path.join(team, 'team.db'))).toBe(true);

    const list = await runCli(['--config', config, 'subscriptions', 'list'], {}, undefined, { cwd: elsewhere });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('console:desk');
    expect(existsSync(path.join(elsewhere, 'team.db'))).toBe(false);

    const feeds = await runCli(['--config', config, 'feeds', 'list'], {}, undefined, { cwd: elsewhere });
    expect(feeds.code).toBe(0);
    expect(existsSync(path.join(elsewhere, 'team.db'))).toBe(false);
  }, 120_000);

  it('config check prints the resolved path, from the config folder or from WATCHDESK_DB', async () => {
    const check = await runCli(['--config', config, 'config', 'check'], {}, undefined, { cwd: elsewhere });
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(new RegExp(`database:\\s+${escapeRegExp(path.join(team, 'team.db'))}\\n`));
    const fromEnv = await runCli(['--config', config, 'config', 'check'], { WATCHDESK_DB: 'mine.db' }, undefined, {
      cwd: elsewhere,
    });
    expect(fromEnv.stdout).toMatch(new RegExp(`database:\\s+${escapeRegExp(path.join(elsewhere, 'mine.db'))}\\n`));
    const bundled = await runCli(['config', 'check'], {}, undefined, { cwd: elsewhere });
    expect(bundled.stdout).toMatch(new RegExp(`database:\\s+${escapeRegExp(DEFAULT_DB_FILE)}\\n`));
  }, 120_000);
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
