import type { Db } from './db.js';
import { sqliteSql } from './sqlite-driver.js';

/**
 * The one interface every query in store/ goes through, whichever database holds the store.
 * SQLite (better-sqlite3, the embedded default) and PostgreSQL (pg, for several instances) each
 * implement it in a driver file; the query files above it are written once, in SQL both dialects
 * read, and branch on `dialect` only where they must (full-text search, a few functions).
 *
 * Parameters are named (`@feedId` with an object) or positional (`?` with an array), in either
 * dialect: the PostgreSQL driver rewrites them to `$1…`. Column aliases that are not all
 * lower case are quoted (`AS "feedId"`), since PostgreSQL folds unquoted names to lower case.
 * Integers come back as JS numbers on both (PostgreSQL's int8 is parsed; ids and millisecond
 * times stay far below 2^53), and booleans are stored as 0/1 integers on both (a boolean
 * expression such as `EXISTS (…)` also reads 1 or 0 on both).
 *
 * What PostgreSQL refuses that SQLite takes (tests/store/postgres-driver.test.ts shows each):
 * - a parameter whose first use gives it no type, as in `(@since IS NULL OR published_at >= @since)`:
 *   write `CAST(@since AS bigint) IS NULL` (both dialects read CAST).
 * - a fraction bound to a bigint column (`next_poll_at = 1.5`): round first.
 * - any statement after one that failed inside a write: the whole transaction is aborted. A statement
 *   that may fail and is caught (a unique violation) goes in `savepoint`, or uses ON CONFLICT.
 * - the text NUL character (\u0000) in a string.
 */
export interface Sql {
  readonly dialect: Dialect;
  /** Where the store lives, safe to print: a file path, or a URL without its password. */
  readonly location: string;
  all<T>(sql: string, params?: Params): Promise<T[]>;
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  /** The first column of the first row (a count, an id, a flag). */
  value<T>(sql: string, params?: Params): Promise<T | undefined>;
  /** The first column of every row. */
  column<T>(sql: string, params?: Params): Promise<T[]>;
  /** A statement for its effect: how many rows it changed. */
  run(sql: string, params?: Params): Promise<{ changes: number }>;
  /** Several statements without parameters (migrations, scripts). */
  exec(script: string): Promise<void>;
  /**
   * `fn` as one write transaction that takes the write lock up front (SQLite: BEGIN IMMEDIATE;
   * PostgreSQL: an advisory transaction lock), so writers wait their turn instead of failing
   * half-way. Every call made on this Sql from inside `fn` (however deep, through awaits) runs in
   * the transaction; calls from elsewhere wait until it ends. A `write` inside a `write` joins it.
   */
  write<T>(fn: () => Promise<T>): Promise<T>;
  /** Inside a write: `fn`'s changes as one savepoint, undone alone when it throws. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the caller is inside one of this store's write transactions. */
  inWrite(): boolean;
  close(): Promise<void>;
}

export type Dialect = 'sqlite' | 'postgres';
export type Params = Record<string, unknown> | readonly unknown[];

/**
 * The Sql of a better-sqlite3 handle, for the few holders of one (openStore, restore, tests and benchmarks that
 * also read the file directly). Made once per handle, so its transactions and statement cache are shared by every
 * caller of the same handle.
 */
export function sqlOf(db: Db): Sql {
  let sql = wrapped.get(db);
  if (!sql) {
    sql = sqliteSql(db, db.name);
    wrapped.set(db, sql);
  }
  return sql;
}

const wrapped = new WeakMap<Db, Sql>();
