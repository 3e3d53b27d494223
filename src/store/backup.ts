/**
 * Backups and restores of the SQLite store through SQLite's online backup API: a backup is a consistent copy taken
 * page by page while the bot goes on writing (the copy is of one moment), and a restore writes a checked backup
 * back under the instance lease, so no bot can start on a half-restored file.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type Db, migrate, schemaVersion } from './db.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';

export interface BackupFacts {
  file: string;
  bytes: number;
  schemaVersion: number;
  feeds: number;
  items: number;
  stories: number;
  /** Digests still waiting for delivery in the copy. */
  pendingDigests: number;
}

/**
 * Copies the store at `source` to `target` while other processes keep using it. The copy goes to a temporary file
 * beside the target and is renamed into place only once it passes integrity_check, so a failed backup never leaves
 * a half-written file where a good one is expected.
 */
export async function backupStore(source: string, target: string): Promise<BackupFacts> {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  const partial = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.partial-${process.pid}`);
  try {
    await db.backup(partial);
    const facts = checkBackup(partial);
    renameSync(partial, target);
    return { ...facts, file: target };
  } finally {
    db.close();
    rmSync(partial, { force: true });
  }
}

/**
 * Opens a backup read-only and checks it: SQLite's integrity_check passes, and it is a watchdesk store this version
 * can read. Throws BackupError saying what is wrong.
 */
export function checkBackup(file: string): BackupFacts {
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`${file} cannot be opened: ${(err as Error).message}`);
  }
  try {
    const check = db.pragma('integrity_check') as { integrity_check: string }[];
    const verdict = check.map((r) => r.integrity_check).join('; ');
    if (verdict !== 'ok') throw new BackupError(`${file} is damaged: integrity_check says ${verdict.slice(0, 300)}`);
    const hasSchema = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
      .pluck()
      .get();
    if (!hasSchema) throw new BackupError(`${file} is an SQLite file, but not a watchdesk database`);
    const version = schemaVersion(db);
    const newest = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
    if (version > newest) {
      throw new BackupError(`${file} was written by a newer watchdesk (schema ${version}; this one knows ${newest})`);
    }
    const count = (sql: string) => Number(db.prepare(sql).pluck().get());
    return {
      file,
      bytes: statSync(file).size,
      schemaVersion: version,
      feeds: count('SELECT count(*) FROM feeds'),
      items: count('SELECT count(*) FROM items'),
      stories: count('SELECT count(*) FROM stories'),
      pendingDigests: count(`SELECT count(*) FROM digests WHERE status != 'delivered'`),
    };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} cannot be read as a watchdesk database: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Writes the checked backup `from` over the live store through `live`, a connection that holds the instance lease
 * (the caller took it), then brings it up to this version's schema. The lease row copied from the backup (the bot
 * that ran when it was taken) is dropped: the caller's lease ends with the restore.
 */
export async function restoreStore(live: Db, liveFile: string, from: string): Promise<void> {
  const source = new Database(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(liveFile);
  } finally {
    source.close();
  }
  migrate(live);
  live.exec('DELETE FROM instance_lease');
}

/** A backup file that is missing, damaged or not ours; the message says which. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export function storeExists(file: string): boolean {
  return existsSync(file);
}
