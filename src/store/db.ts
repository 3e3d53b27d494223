import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import { checkDbPath, describeOpenError, folderNotCreated, noStoreYet, storeNeedsUpgrade } from './open-errors.js';

export type Db = Database.Database;

/**
 * How long a statement waits for another process's write lock before failing. The CLI writes
 * beside a running bot, so waiting is normal; write transactions are short, so only a stuck
 * writer holds the lock this long. (better-sqlite3 waits synchronously: the wait blocks the
 * event loop, which is why it is not longer.)
 */
export const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  /**
   * Create a missing folder for the file. Only the default path (data/ in the checkout) asks for it:
   * a missing folder on a path someone typed is more likely a typo than a wish for an empty database.
   */
  createFolder?: boolean;
}

/**
 * Opens (creating the file if needed) the SQLite store in WAL mode and applies pending migrations.
 * A file it cannot use is a UserError that says which file, what is wrong and what to do.
 */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (file === ':memory:') return setUp(new Database(file), file);
  const problem = checkDbPath(file, opts.createFolder ?? false);
  if (problem) throw problem;
  if (opts.createFolder) {
    try {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (err) {
      throw folderNotCreated(file, err);
    }
  }
  let db: Db;
  try {
    // The timeout is set before the first statement, so even switching to WAL waits its turn.
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw describeOpenError(file, err) ?? err;
  }
  return setUp(db, file);
}

/**
 * Opens an existing store for reading only (the commands that show things): nothing is created,
 * migrated or switched to WAL, and SQLite refuses any write. A missing file, or one whose schema
 * this version would first have to migrate, is a UserError that says what to run instead.
 */
export function openDbReadOnly(file: string, opts: OpenOptions = {}): Db {
  // A missing default data/ folder is only a store not made yet; a missing folder someone typed may be a typo.
  const problem = checkDbPath(file, opts.createFolder ?? false);
  if (problem) throw problem;
  if (!existsSync(file)) throw noStoreYet(file);
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw describeOpenError(file, err) ?? err;
  }
  try {
    const latest = SQLITE_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    const version = hasTable.get() ? schemaVersion(db) : 0;
    if (version < latest) throw storeNeedsUpgrade(file, version === 0);
  } catch (err) {
    db.close();
    throw describeOpenError(file, err) ?? err;
  }
  return db;
}

function setUp(db: Db, file: string): Db {
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    db.close();
    throw describeOpenError(file, err) ?? err;
  }
  return db;
}

/**
 * Runs `fn` as one write transaction that takes the write lock up front (BEGIN IMMEDIATE), so it
 * waits its turn behind another process's writer. A deferred transaction would start as a reader
 * and fail with "database is locked" at its first write, without waiting at all, whenever
 * another process wrote in between. Inside an open transaction it is a savepoint. Every write
 * transaction in store/ goes through here.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export function migrate(db: Db): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  let count = 0;
  for (const m of SQLITE_MIGRATIONS) {
    if (isApplied.get(m.version)) continue;
    // Checked again under the write lock: two processes opening a new file at once both see the
    // migration pending, and only the first may apply it.
    const applied = writeTransaction(db, () => {
      if (isApplied.get(m.version)) return false;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
      return true;
    });
    if (applied) count++;
  }
  return count;
}

export function schemaVersion(db: Db): number {
  return Number(db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get());
}
