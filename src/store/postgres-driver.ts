import { AsyncLocalStorage } from 'node:async_hooks';
import os from 'node:os';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS, describePgOpenError } from './pg-open-errors.js';
import { bindValues, rewriteParams } from './pg-params.js';
import { type PgTarget, parseDbUrl } from './pg-url.js';
import type { Params, Sql } from './sql.js';

// libpq's rule for a URL without a user: PGUSER, else the login name. pg reads PGUSER itself, but falls
// back to $USER, which containers and CI often leave unset; then postgres://127.0.0.1/test (no user)
// would fail with "no PostgreSQL user name specified". The login name fills only that gap.
if (!pg.defaults.user) pg.defaults.user = loginName();

/**
 * Sql over a pool of PostgreSQL connections (pg), for a store that several watchdesk processes share.
 *
 * - Parameters are written as on SQLite (`@name`, `?`) and rewritten to `$1…` (pg-params.ts).
 * - Numbers read as on SQLite: int8 (count(*), the bigint columns) and numeric (sum, avg) become JS
 *   numbers, and a boolean expression (`EXISTS (…)`, `a > b`) reads 1 or 0, as SQLite gives it. This is
 *   set on this pool's connections only, never on pg's global parsers.
 * - `write` runs on one connection of its own: BEGIN, then at once the store's write lock (a
 *   transaction-scoped advisory lock on one key per store), so writers from every process take turns
 *   exactly as SQLite's BEGIN IMMEDIATE makes them: a counter read and raised inside a write is never
 *   raced, and commit order is lock order. Every call made on this Sql from inside `fn`, through awaits,
 *   runs on that connection (AsyncLocalStorage); calls from anywhere else use the pool and see only
 *   what is committed (PostgreSQL needs no waiting for that, unlike the SQLite driver).
 * - A URL with `?schema=NAME` keeps the store in that schema: it is created at open when missing,
 *   and every connection starts with it as its search_path.
 */
export interface PostgresOptions {
  /** Connections in the pool (default 10): each write holds one for its whole length. */
  max?: number;
  /**
   * For the commands that only show things: the server refuses any write (default_transaction_read_only),
   * and a missing schema is not created.
   */
  readOnly?: boolean;
}

/**
 * Connects to the store at `url` (creating its schema when the URL names one that is missing) and
 * returns its Sql; applies no migrations (openStore does). A server that cannot be reached, a missing
 * database or a refused login is a UserError naming the store without its password.
 */
export async function postgresSql(url: string, opts: PostgresOptions = {}): Promise<Sql> {
  const target = parseDbUrl(url, opts.readOnly ? ['default_transaction_read_only=on'] : []);
  await prepareServer(target, !opts.readOnly);
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: opts.max ?? 10,
    types: TYPES,
  });
  // An idle connection the server drops (a restart, a network cut) is an 'error' event on the pool, which
  // would end the process if nobody listened. The pool discards that connection; the next query that
  // needs the server fails with its own error, where the caller handles it.
  pool.on('error', () => {});
  const sql = poolSql(pool, target.location);
  sessionTargets.set(sql, target.connectionString);
  return sql;
}

/**
 * A connection of its own to the store of `sql`, outside its pool, for state that lives as long as a
 * session: the instance lease's advisory lock (pg-lease.ts), which the server releases when this
 * connection ends, however the process ends. Its caller ends it; an error on it (the server gone) is
 * the caller's to notice through 'end' and failed queries, never an unhandled 'error' event.
 */
export async function openSession(sql: Sql): Promise<pg.Client> {
  const connectionString = sessionTargets.get(sql);
  if (connectionString === undefined) throw new Error(`openSession: ${sql.location} is not a PostgreSQL store`);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types: TYPES });
  client.on('error', () => {});
  await client.connect();
  return client;
}

const sessionTargets = new WeakMap<Sql, string>();

/**
 * The advisory lock class of the store's write lock; its other half is hashtext(current_schema()),
 * computed by the server, so every process on one store (one database and schema) takes the same lock
 * and stores in other schemas never wait for it. Other locks of watchdesk (the lease) use other classes.
 */
export const WRITE_LOCK_CLASS = 0x77640001;

function poolSql(pool: pg.Pool, location: string): Sql {
  const self = {};
  let closed = false;
  const tx = (): Tx | undefined => {
    const t = active.getStore();
    return t?.owner === self && t.open ? t : undefined;
  };
  async function query(text: string, params: Params | undefined, rowMode?: 'array'): Promise<pg.QueryResult> {
    const q = rewriteParams(text);
    const values = bindValues(q, params);
    return (tx()?.client ?? pool).query({
      text: q.text,
      values,
      ...(q.name ? { name: q.name } : {}),
      ...(rowMode ? { rowMode } : {}),
    });
  }
  async function write<T>(fn: () => Promise<T>): Promise<T> {
    if (tx()) return fn();
    const client = await pool.connect();
    const mine: Tx = { owner: self, client, open: true, savepoints: 0 };
    let broken: Error | undefined;
    try {
      // One round trip: the lock is taken before anything else the transaction does.
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_CLASS}, hashtext(current_schema()))`);
      const result = await active.run(mine, fn);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      broken = await rollback(client);
      throw err;
    } finally {
      mine.open = false;
      // A connection whose rollback failed is in an unknown state: destroyed, not pooled again.
      client.release(broken);
    }
  }
  async function savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const t = tx();
    // Outside a write, a write is the same promise: fn's changes as one unit, undone when it throws.
    if (!t) return write(fn);
    const name = `sp_${++t.savepoints}`;
    try {
      await t.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn();
        await t.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        // After an error PostgreSQL refuses every statement until this; the write goes on from the savepoint.
        await t.client.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`).catch(() => {});
        throw err;
      }
    } finally {
      t.savepoints--;
    }
  }
  return {
    dialect: 'postgres',
    location,
    all: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows[0] as T | undefined,
    value: async <T>(sql: string, params?: Params) =>
      ((await query(sql, params, 'array')).rows[0] as unknown[] | undefined)?.[0] as T | undefined,
    column: async <T>(sql: string, params?: Params) =>
      ((await query(sql, params, 'array')).rows as unknown[][]).map((r) => r[0] as T),
    run: async (sql: string, params?: Params) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
    async exec(script: string) {
      // Without values pg sends the simple query protocol, which takes several statements at once.
      await (tx()?.client ?? pool).query(script);
    },
    write,
    savepoint,
    inWrite: () => tx() !== undefined,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

interface Tx {
  /** The Sql this transaction belongs to: another store's calls in the same async context do not join it. */
  owner: object;
  client: pg.PoolClient;
  /** False once committed or rolled back: a callback left behind by `fn` then uses the pool again. */
  open: boolean;
  savepoints: number;
}

const active = new AsyncLocalStorage<Tx>();

/** Undefined when rolled back; the error when the connection could not even do that. */
async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

/** One connection before the pool: says clearly why the store cannot be opened, and creates its schema. */
async function prepareServer(target: PgTarget, createMissingSchema: boolean): Promise<void> {
  const client = new pg.Client({
    connectionString: target.connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A connection lost while preparing is also reported through the awaited calls below.
  client.on('error', () => {});
  try {
    await client.connect();
    if (target.schema !== undefined && createMissingSchema) await createSchema(client, target.schema);
  } catch (err) {
    throw describePgOpenError(target, err);
  } finally {
    await client.end().catch(() => {});
  }
}

async function createSchema(client: pg.Client, schema: string): Promise<void> {
  try {
    // The name was checked to be a plain lower-case identifier (pg-url.ts), so quoting it is enough.
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    // Two processes creating it at once: one of them meets the other's row, and the schema is there.
    const code = (err as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw err;
  }
}

const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const INT8_ARRAY = 1016;
const NUMERIC_ARRAY = 1231;

/** pg's own parsers, for every other type (its typings list only the scalar type ids). */
const builtin = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (v: string) => unknown;

/** This pool's parsers: numbers and booleans as SQLite gives them (see the top of this file). */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format === 'binary') return builtin(oid, format);
    if (oid === INT8 || oid === NUMERIC) return Number;
    if (oid === BOOL) return (v: string) => (v === 't' ? 1 : 0);
    if (oid === INT8_ARRAY || oid === NUMERIC_ARRAY) {
      const parse = builtin(oid, 'text') as (v: string) => (string | null)[];
      return (v: string) => parse(v).map((x) => (x === null ? null : Number(x)));
    }
    return builtin(oid, 'text');
  },
} as pg.CustomTypesConfig;

/** The operating-system login name, or undefined where there is none (pg then says which user it lacks). */
function loginName(): string | undefined {
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
