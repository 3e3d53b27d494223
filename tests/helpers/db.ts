import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isDbUrl } from '../../src/db-url.js';
import { type Db, openDb } from '../../src/store/db.js';
import { jobsSchemaOf } from '../../src/store/jobs-target.js';
import { openStore } from '../../src/store/open.js';
import { type Sql, sqlOf } from '../../src/store/sql.js';

/**
 * A real SQLite file in a fresh temp folder; close() removes it. `db` is the raw better-sqlite3 handle
 * (for tests that read it directly), `sql` the same connection as the Sql every holder outside store/ takes.
 */
export function tempDb(): { db: Db; sql: Sql; file: string; dir: string; close(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-test-'));
  const file = path.join(dir, 'test.db');
  const db = openDb(file);
  return {
    db,
    sql: sqlOf(db),
    file,
    dir,
    close() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TempStore {
  sql: Sql;
  /** The SQLite file, or the PostgreSQL URL with its ?schema=. */
  location: string;
  /**
   * Another Sql on the same store, as a second process would hold it: its own SQLite connection to the
   * file, or its own pool of PostgreSQL connections. close() closes it too.
   */
  open(): Promise<Sql>;
  /** Closes the store (and every Sql open() gave) and removes it: the temp folder, or the schema. */
  close(): Promise<void>;
}

/**
 * A fresh, migrated store on the backend WATCHDESK_TEST_DB picks: unset or `sqlite`, a SQLite file in a
 * temp folder (as tempDb); `postgres`, a new schema (pgTestSchema) on the test server, dropped by close().
 */
export async function tempStore(): Promise<TempStore> {
  if (testBackend() === 'postgres') {
    const schema = pgTestSchema();
    return storeAt(pgSchemaUrl(schema), () => dropPgSchema(schema));
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-test-'));
  return storeAt(path.join(dir, 'test.db'), async () => rmSync(dir, { recursive: true, force: true }));
}

async function storeAt(location: string, remove: () => Promise<void>): Promise<TempStore> {
  const sql = await openStore(location);
  const others: Sql[] = [];
  return {
    sql,
    location,
    async open() {
      const other = await openStore(location);
      others.push(other);
      return other;
    },
    close: once(async () => {
      // A test that failed half-way may have closed some itself: closing twice is harmless.
      for (const s of [...others, sql]) await s.close();
      await remove();
    }),
  };
}

/**
 * The config file's `store:` for a location from tempStore(): `{ url }` for PostgreSQL, `{ path }` for a SQLite file,
 * so that a test that runs the app or the CLI (writeBeatConfig's `extra`) uses the store it made.
 */
export function storeSetting(location: string): { url: string } | { path: string } {
  return isDbUrl(location) ? { url: location } : { path: location };
}

/** The backend of tempStore(), from WATCHDESK_TEST_DB. */
export function testBackend(): 'sqlite' | 'postgres' {
  const v = process.env.WATCHDESK_TEST_DB ?? 'sqlite';
  if (v === '' || v === 'sqlite') return 'sqlite';
  if (v === 'postgres') return 'postgres';
  throw new Error(`WATCHDESK_TEST_DB is "${v}": it takes sqlite (the default) or postgres`);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

/** The PostgreSQL server the tests use: trust auth, database `test` (see .ci/run, which starts it). */
export const PG_TEST_URL = process.env.WATCHDESK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A schema name no other test run uses: wd_test_<the time, in seconds, as 8 hex digits>_<random>. The
 * time lets .ci/run drop the schemas a killed run left behind (those over an hour old) without touching
 * those of a run still going.
 */
export function pgTestSchema(): string {
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `wd_test_${seconds}_${randomBytes(5).toString('hex')}`;
}

/** The test server's URL with `?schema=`. */
export function pgSchemaUrl(schema: string): string {
  const u = new URL(PG_TEST_URL);
  u.searchParams.set('schema', schema);
  return u.toString();
}

/**
 * Drops a test schema and everything in it, on a connection of its own, with the job queue's schema beside it
 * (store/jobs-target.ts: `<schema>_jobs`), which the tests that start jobs create.
 */
export async function dropPgSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await client.query(
      `DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${jobsSchemaOf(schema)}" CASCADE`,
    );
  } finally {
    await client.end();
  }
}
