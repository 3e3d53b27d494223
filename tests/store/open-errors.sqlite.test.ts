import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { openDb } from '../../src/store/db.js';
import { CLI_COMMAND, type CliRun, ROOT, runCli } from '../helpers/cli.js';

// SQLite only (by its name: .ci/run's PostgreSQL pass leaves *.sqlite.test.ts out): file paths, folders and file
// permissions. A PostgreSQL store that cannot be opened (no server, no database, a refused login, no right to
// create tables) is tested in postgres-open.test.ts and open-store.test.ts.
// Issue 7 item 9: a database watchdesk cannot use says which file, what is wrong and what to do,
// never "internal error: SqliteError" with a stack; a mistyped path never gets a new, empty database.
describe('a database that cannot be used', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-open-errors-'));
  chmodSync(dir, 0o755); // the unprivileged user below must reach the files inside
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'team.yaml');
  writeFileSync(config, 'feeds: []\n');
  const feedsList = (db: string) => runCli(['--config', config, 'feeds', 'list'], { WATCHDESK_DB: db });

  const expectClearError = (run: CliRun) => {
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr).not.toContain('SqliteError');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  };

  it('a folder given as the database path is named, with the file to give instead', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    const run = await feedsList(folder);
    expectClearError(run);
    expect(run.stderr).toContain(`error: the database path ${folder} is a folder, not a file`);
    expect(run.stderr).toContain(`Check WATCHDESK_DB (or store.path in the config file)`);
    expect(run.stderr).toContain(path.join(folder, 'watchdesk.db'));
  }, 60_000);

  it('a path whose folder is missing is refused, and the folder is not created', async () => {
    const typo = path.join(dir, 'dta', 'watchdesk.db');
    const run = await feedsList(typo);
    expectClearError(run);
    expect(run.stderr).toContain(`cannot open the database ${typo}: its folder ${path.dirname(typo)} does not exist`);
    expect(run.stderr).toContain('Check WATCHDESK_DB');
    expect(run.stderr).toContain(`mkdir -p ${path.dirname(typo)}`);
    expect(existsSync(path.dirname(typo))).toBe(false);
  }, 60_000);

  it('a read-only command on a missing store says so and creates nothing (issue 8 item 1)', async () => {
    const missing = path.join(dir, 'not-yet.db');
    const run = await feedsList(missing);
    expectClearError(run);
    expect(run.stderr).toContain(`error: there is no database at ${missing} yet, so there is nothing to show`);
    expect(run.stderr).toContain('watchdesk poll --once');
    expect(existsSync(missing)).toBe(false);
  }, 60_000);

  it('a new file in a folder that exists is still created (WATCHDESK_DB, demo --db)', async () => {
    const fresh = path.join(dir, 'fresh.db');
    // A command that writes creates it (a read-only one refuses, above).
    const run = await runCli(['--config', config, 'poll', '--once'], { WATCHDESK_DB: fresh });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(fresh)).toBe(true);
    const demoDb = path.join(dir, 'demo.db');
    const demo = await runCli(['demo', '--db', demoDb]);
    expect(demo.code).toBe(0);
    expect(existsSync(demoDb)).toBe(true);
  }, 120_000);

  it('creates the missing data/ folder for the default path only', () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const byDefault = parseConfigText('feeds: []\n', path.join(home, 'c.yaml'));
    expect(byDefault.createDbFolder).toBe(true);
    const typed = parseConfigText('store: { path: /elsewhere/x.db }\n', path.join(home, 'c.yaml'));
    expect(typed.createDbFolder).toBe(false);
    const fromEnv = loadConfig({ file: config, env: { dbPath: path.join(home, 'data', 'x.db'), secrets: {} } });
    expect(fromEnv.createDbFolder).toBe(false);

    const file = path.join(home, 'data', 'watchdesk.db');
    expect(() => openDb(file)).toThrow(/its folder .*data does not exist/);
    expect(existsSync(path.dirname(file))).toBe(false);
    openDb(file, { createFolder: true }).close();
    expect(existsSync(file)).toBe(true);
  });

  it('a read-only database file or folder names what is not writable and what to do', async () => {
    const file = path.join(dir, 'readonly.db');
    openDb(file).close();
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    chmodSync(file, 0o444);
    // A command that writes (feeds list only reads, and reads a read-only file without complaint).
    const run = await unprivileged(['--config', config, 'poll', '--once'], { WATCHDESK_DB: file });
    expectClearError(run);
    expect(run.stderr).toContain(`error: cannot write the database ${file}:`);
    expect(run.stderr).toContain('is not writable by uid');
    expect(run.stderr).toMatch(/Check WATCHDESK_DB .*belong to the user watchdesk runs as \(chown\)/);

    const locked = path.join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const inLocked = path.join(locked, 'watchdesk.db');
    const run2 = await unprivileged(['--config', config, 'poll', '--once'], { WATCHDESK_DB: inLocked });
    expectClearError(run2);
    expect(run2.stderr).toContain(`error: cannot write the database ${inLocked}: its folder ${locked} is not writable`);
  }, 120_000);

  it('a damaged file says to restore from a backup', async () => {
    const junk = path.join(dir, 'junk.db');
    writeFileSync(junk, 'not an SQLite file at all, only text that is long enough to fill a header '.repeat(30));
    const run = await feedsList(junk);
    expectClearError(run);
    expect(run.stderr).toContain(`the database ${junk} is damaged or is not a watchdesk database`);
    expect(run.stderr).toContain('Check WATCHDESK_DB');
    expect(run.stderr).toContain('watchdesk restore <backup file>');
  }, 60_000);
});

/**
 * Runs the CLI as a user file permissions apply to: root writes any file, so as root the child drops
 * to nobody (uid 65534) with setpriv, as the container check does for its own user.
 */
function unprivileged(args: string[], env: Record<string, string>): Promise<CliRun> {
  const asRoot = process.getuid?.() === 0;
  const node = [process.execPath, ...CLI_COMMAND, ...args];
  const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...node] : node;
  const [cmd, ...rest] = argv as [string, ...string[]];
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(WATCHDESK_|DISCORD_|SLACK_)/.test(k)),
  );
  return new Promise((resolve) => {
    const child = spawn(cmd, rest, { cwd: ROOT, env: { ...clean, ...env, HOME: tmpdir() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
