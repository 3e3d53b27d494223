import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/load.js';
import { UserError } from '../errors.js';
import type { BackupFacts } from '../store/backup.js';
import { configFor } from './context.js';

/** `watchdesk backup <file>` and `watchdesk restore <file>`: the store's copies, made and put back safely. */
export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description('Write a consistent copy of the database to <file>, safely while the bot runs (SQLite online backup)')
    .option('--force', 'replace <file> if it exists')
    .action(async (file: string, opts: { force?: boolean }, cmd: Command) => {
      const config = await configFor(cmd);
      await refuseOnPostgres(config, 'backup');
      if (!existsSync(config.dbPath)) {
        throw new UserError(
          'not_found',
          `there is no database at ${config.dbPath} to back up`,
          'Check WATCHDESK_DB or store.path.',
        );
      }
      if (!existsSync(path.dirname(path.resolve(file)))) {
        throw new UserError(
          'not_found',
          `the folder of ${file} does not exist`,
          'Create it first, or choose another place.',
        );
      }
      if (existsSync(file) && !opts.force) {
        throw new UserError(
          'file_exists',
          `${file} exists already`,
          'Choose another file name, or add --force to replace it.',
        );
      }
      const { backupStore } = await import('../store/backup.js');
      const facts = await backupStore(config.dbPath, file).catch(backupFailed);
      process.stdout.write(`${describe('backed up', config.dbPath, facts)}\n`);
    });
  program
    .command('restore <file>')
    .description('Put a backup made with watchdesk backup in place of the database; refused while a bot runs on it')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const config = await configFor(cmd);
      await refuseOnPostgres(config, 'restore');
      const { checkBackup, backupStore } = await import('../store/backup.js');
      const facts = checkOrRefuse(() => checkBackup(file));
      if (!existsSync(config.dbPath)) {
        const { checkDbPath } = await import('../store/open-errors.js');
        const problem = checkDbPath(config.dbPath, config.createDbFolder);
        if (problem) throw problem;
        mkdirSync(path.dirname(config.dbPath), { recursive: true });
        await backupStore(file, config.dbPath).catch(backupFailed);
        process.stdout.write(`${describe('restored', file, facts)} into ${config.dbPath}\n`);
        return;
      }
      const saved = await restoreOver(config.dbPath, file);
      process.stdout.write(
        `${describe('restored', file, facts)} into ${config.dbPath}\n` +
          `The database as it was before is kept at ${saved}; delete it once the restored one looks right.\n`,
      );
    });
}

/**
 * backup and restore copy a SQLite file page by page; a PostgreSQL store has its own tools, which copy a
 * consistent snapshot while the bot runs. Refused before anything is read or written.
 */
async function refuseOnPostgres(config: Config, what: 'backup' | 'restore'): Promise<void> {
  if (!config.dbUrl) return;
  const { storeLocation } = await import('../config/load.js');
  const url = new URL(config.dbUrl);
  const schema = url.searchParams.get('schema');
  // pg_dump and pg_restore read a libpq URL, which knows no ?schema=: it becomes their --schema option.
  const only = schema ? ` --schema=${schema}` : '';
  throw new UserError(
    'store_is_postgres',
    `watchdesk ${what} works on a SQLite database file, and this store is the PostgreSQL database ${storeLocation(config)}; nothing was written`,
    what === 'backup'
      ? `Back it up with pg_dump, safely while the bot runs: pg_dump --format=custom${only} --file=<file> <the URL without ?schema=>.`
      : `Stop the bot, then restore a pg_dump archive with pg_restore: pg_restore --clean --if-exists${only} --dbname=<the URL without ?schema=> <file>.`,
  );
}

/** Under the instance lease: a safety copy of the live store first, then the backup written over it. */
async function restoreOver(dbPath: string, from: string): Promise<string> {
  const { openDb } = await import('../store/db.js');
  const { sqlOf } = await import('../store/sql.js');
  const { holdInstanceLease } = await import('../app/instance-lease.js');
  const { createLogger } = await import('../log.js');
  const { backupStore, restoreStore } = await import('../store/backup.js');
  const live = openDb(dbPath);
  try {
    let lease: Awaited<ReturnType<typeof holdInstanceLease>>;
    try {
      lease = await holdInstanceLease(sqlOf(live), { location: dbPath, log: createLogger({ level: 'warn' }) });
    } catch (err) {
      if (err instanceof UserError && err.code === 'database_in_use') {
        throw new UserError(
          'database_in_use',
          `restore refuses to run while a bot holds the database: ${err.message.replace(/^the database \S+ is /, 'it is ')}`,
          'Stop that bot first (a restore replaces the database under it), run restore again, then start the bot.',
        );
      }
      throw err;
    }
    try {
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
      const saved = `${dbPath}.before-restore-${stamp}`;
      await backupStore(dbPath, saved).catch(backupFailed);
      await restoreStore(live, dbPath, from);
      return saved;
    } finally {
      await lease.release();
    }
  } finally {
    live.close();
  }
}

function describe(what: string, from: string, f: BackupFacts): string {
  const mb = (f.bytes / 1_048_576).toFixed(1);
  const pending = f.pendingDigests > 0 ? `, ${f.pendingDigests} digest(s) waiting for delivery` : '';
  return `${what} ${from}${what === 'backed up' ? ` to ${f.file}` : ''}: ${mb} MB, schema ${f.schemaVersion}, ${f.feeds} feeds, ${f.items} items, ${f.stories} stories${pending}; integrity_check ok`;
}

function checkOrRefuse<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    return backupFailed(err);
  }
}

function backupFailed(err: unknown): never {
  if ((err as Error).name === 'BackupError') {
    throw new UserError(
      'bad_backup',
      (err as Error).message,
      'Nothing was changed. Use a file written by watchdesk backup.',
    );
  }
  throw err;
}
