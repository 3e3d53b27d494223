import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import type { Params, Sql } from './sql.js';

/**
 * Sql over one better-sqlite3 connection. better-sqlite3 answers synchronously, so each call runs
 * at once and only its promise is async. A write transaction spans awaits; while it is open, the
 * connection belongs to it: calls from inside it (found through AsyncLocalStorage) run in it, calls
 * from anywhere else wait for it to end, so nothing outside can join it or read what it has not
 * committed yet.
 */
export function sqliteSql(db: Db, location: string): Sql {
  const mine = () => active.getStore() === db;
  // A call inside the open write (every query of an ingest batch) runs at once: awaiting turn() there cost an
  // extra promise per query, which made placing a day of items 27% more CPU than prepared statements did.
  async function turn(): Promise<void> {
    while (turns.has(db) && !mine()) await turns.get(db);
  }
  return {
    dialect: 'sqlite',
    location,
    async all<T>(sql: string, params?: Params) {
      if (turns.has(db) && !mine()) await turn();
      return bind(statement(db, sql), params, 'all') as T[];
    },
    async get<T>(sql: string, params?: Params) {
      if (turns.has(db) && !mine()) await turn();
      return bind(statement(db, sql), params, 'get') as T | undefined;
    },
    async value<T>(sql: string, params?: Params) {
      if (turns.has(db) && !mine()) await turn();
      return bind(statement(db, sql, true), params, 'get') as T | undefined;
    },
    async column<T>(sql: string, params?: Params) {
      if (turns.has(db) && !mine()) await turn();
      return bind(statement(db, sql, true), params, 'all') as T[];
    },
    async run(sql: string, params?: Params) {
      if (turns.has(db) && !mine()) await turn();
      const info = bind(statement(db, sql), params, 'run') as Database.RunResult;
      return { changes: info.changes };
    },
    async exec(script: string) {
      if (turns.has(db) && !mine()) await turn();
      db.exec(script);
    },
    write: (fn) => writeAsync(db, fn),
    savepoint: (fn) => savepoint(db, fn),
    inWrite: mine,
    async close() {
      if (db.open) db.close();
    },
  };
}

/**
 * One write transaction on `db` that may span awaits (BEGIN IMMEDIATE: the write lock up front,
 * so another process's writer makes it wait instead of fail). Transactions on one connection
 * take turns; one started inside another joins it; one started while the caller's own synchronous
 * better-sqlite3 transaction is open becomes a savepoint of it.
 */
async function writeAsync<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (active.getStore() === db) return fn();
  const before = turns.get(db);
  let done = () => {};
  const gate = new Promise<void>((resolve) => {
    done = resolve;
  });
  turns.set(db, gate);
  if (before) await before;
  const nested = db.inTransaction;
  try {
    db.exec(nested ? 'SAVEPOINT async_write' : 'BEGIN IMMEDIATE');
    try {
      const result = await active.run(db, fn);
      db.exec(nested ? 'RELEASE async_write' : 'COMMIT');
      return result;
    } catch (err) {
      if (db.inTransaction) db.exec(nested ? 'ROLLBACK TO async_write; RELEASE async_write' : 'ROLLBACK');
      throw err;
    }
  } finally {
    if (turns.get(db) === gate) turns.delete(db);
    done();
  }
}

async function savepoint<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  db.exec('SAVEPOINT batch_part');
  try {
    const result = await fn();
    db.exec('RELEASE batch_part');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK TO batch_part; RELEASE batch_part');
    throw err;
  }
}

const active = new AsyncLocalStorage<Db>();
/** Per connection, the async transaction that ends last: the next one, and any outside call, waits for it. */
const turns = new WeakMap<Db, Promise<void>>();

type Mode = 'all' | 'get' | 'run';

function bind(st: Database.Statement, params: Params | undefined, mode: Mode): unknown {
  if (params === undefined) return st[mode]();
  if (Array.isArray(params)) return st[mode](...params);
  return st[mode](params);
}

// Plucked statements in a map of their own: a key built per call (a prefix on the text) cost a string and a hash each time.
const cache = new WeakMap<Db, Map<string, Database.Statement>>();
const plucked = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The statement for `sql`, prepared once per connection (preparing costs about as much as running
 * a simple statement). A plucked statement (first column only) is cached apart from the plain one.
 */
function statement(db: Db, sql: string, pluck = false): Database.Statement {
  let byText = (pluck ? plucked : cache).get(db);
  if (!byText) {
    byText = new Map();
    (pluck ? plucked : cache).set(db, byText);
  }
  let st = byText.get(sql);
  if (!st) {
    st = db.prepare(sql);
    if (pluck) st.pluck();
    byText.set(sql, st);
  }
  return st;
}
