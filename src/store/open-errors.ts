import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * Why SQLite could not open or set up the database file, as a person can act on it: which file,
 * what is wrong with it, and what to do. SQLite itself says only "unable to open database file"
 * or "attempt to write a readonly database", whatever the cause; the file system tells which.
 */

const WHERE_SET = 'Check WATCHDESK_DB (or store.path in the config file)';

/** A problem visible before SQLite is asked: the path is a folder, or its folder is missing. */
export function checkDbPath(file: string, createFolder: boolean): UserError | undefined {
  if (existsSync(file) && statSync(file).isDirectory()) {
    return new UserError(
      'database_is_folder',
      `the database path ${file} is a folder, not a file`,
      `${WHERE_SET}: it names the database file itself, such as ${path.join(file, 'watchdesk.db')}.`,
    );
  }
  const folder = path.dirname(file);
  if (!createFolder && !existsSync(folder)) {
    return new UserError(
      'database_folder_missing',
      `cannot open the database ${file}: its folder ${folder} does not exist, and a new database is not made in a folder that may be a typo`,
      `${WHERE_SET} for a mistyped path. If the path is right, create the folder (mkdir -p ${folder}) and run the command again.`,
    );
  }
  return undefined;
}

/** A read-only command found no database: it shows what is stored and makes nothing. */
export function noStoreYet(file: string): UserError {
  return new UserError(
    'database_missing',
    `there is no database at ${file} yet, so there is nothing to show (this command only reads, and created nothing)`,
    `${WHERE_SET} if it names the wrong file. Otherwise store something first: watchdesk poll --once, or watchdesk start.`,
  );
}

/** A read-only command found a database this version must migrate first (or an empty file). */
export function storeNeedsUpgrade(file: string, empty: boolean): UserError {
  return new UserError(
    'database_needs_upgrade',
    empty
      ? `the database ${file} is empty: nothing has been stored in it yet (this command only reads, and changed nothing)`
      : `the database ${file} was written by an older watchdesk and needs upgrading before it can be read (this command only reads, and changed nothing)`,
    'Run a command that writes, such as watchdesk poll --once, or start the bot: either upgrades it first.',
  );
}

/** The default path's data/ folder could not be made (a checkout owned by another user, a read-only volume). */
export function folderNotCreated(file: string, err: unknown): UserError {
  const folder = path.dirname(file);
  const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new UserError(
    'database_not_writable',
    `cannot create the folder ${folder} for the database ${file} (${why})`,
    `Set WATCHDESK_DB to a file in a folder this user can write, or create ${folder} and make it belong to the user watchdesk runs as (chown).`,
  );
}

/** The UserError for an error SQLite gave while opening `file`, or undefined for one we cannot explain. */
export function describeOpenError(file: string, err: unknown): UserError | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  // Another process holding the lock past the busy timeout is not a problem with the file.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return undefined;
  const said = (err as Error).message;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new UserError(
      'database_damaged',
      `the database ${file} is damaged or is not a watchdesk database (${said})`,
      `${WHERE_SET} in case it names the wrong file. Otherwise move it aside, then restore from a backup: watchdesk restore <backup file> (see "Backups" in the README).`,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return notWritable(file, said);
  }
  if (code === 'SQLITE_FULL') {
    return new UserError(
      'database_disk_full',
      `the database ${file} cannot grow: the disk or volume it is on is full`,
      'Free some space on that volume (or point WATCHDESK_DB at a file on another one), then run the command again.',
    );
  }
  return new UserError(
    'database_unusable',
    `the database ${file} could not be opened: ${said} (${code})`,
    `${WHERE_SET}, that its volume is mounted and readable, or restore from a backup: watchdesk restore <backup file>.`,
  );
}

/** Names what this user cannot write (the file itself or its folder, where SQLite keeps -wal and -shm) and who owns it. */
function notWritable(file: string, said: string): UserError {
  const folder = path.dirname(file);
  const blocked = [file, folder].find((p) => existsSync(p) && !writable(p)) ?? (existsSync(folder) ? file : folder);
  const kind = blocked === file ? 'the file' : 'its folder';
  const owner = ownerOf(blocked);
  const user = typeof process.getuid === 'function' ? `uid ${process.getuid()}` : 'this user';
  const cause =
    blocked === folder && existsSync(file)
      ? `${kind} ${folder} is not writable by ${user}, and SQLite keeps its journal (-wal, -shm) beside the file`
      : `${kind} ${blocked} is not writable by ${user}${owner === undefined ? '' : ` (it belongs to uid ${owner})`}`;
  return new UserError(
    'database_not_writable',
    `cannot write the database ${file}: ${cause} (SQLite said: ${said})`,
    `${WHERE_SET} for the right path; make the file and its folder (or the volume) belong to the user watchdesk runs as (chown), or run watchdesk as their owner; a volume mounted read-only must be mounted read-write.`,
  );
}

function writable(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function ownerOf(p: string): number | undefined {
  try {
    return statSync(p).uid;
  } catch {
    return undefined;
  }
}

/**
 * A database another process holds a write lock on for longer than the busy timeout, met by the writes every command
 * makes at start (syncing the config's feeds and subscriptions): who may hold it and what to do. Undefined for any
 * other error.
 */
export function describeLockedAtStart(file: string, err: unknown, waitedMs: number): UserError | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !(code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')))
    return undefined;
  return new UserError(
    'database_locked',
    `the database ${file} is locked: another process has held a write transaction on it for more than ${Math.round(waitedMs / 1000)} s`,
    'Look for what else has it open (a sqlite3 shell with an open transaction, a backup or restore, a stuck watchdesk: fuser or lsof on the file), let it finish or stop it, then run the command again. Nothing was changed.',
  );
}
