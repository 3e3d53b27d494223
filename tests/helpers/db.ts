import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Db, openDb } from '../../src/store/db.js';

/** A real SQLite file in a fresh temp folder; close() removes it. */
export function tempDb(): { db: Db; file: string; dir: string; close(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-test-'));
  const file = path.join(dir, 'test.db');
  const db = openDb(file);
  return {
    db,
    file,
    dir,
    close() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The PostgreSQL server the tests use: trust auth, database `test` (see .ci/run, which starts it). */
export const PG_TEST_URL = process.env.WATCHDESK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other test run uses. */
export function pgTestSchema(): string {
  return `wd_test_${randomBytes(6).toString('hex')}`;
}

/** The test server's URL with `?schema=`. */
export function pgSchemaUrl(schema: string): string {
  const u = new URL(PG_TEST_URL);
  u.searchParams.set('schema', schema);
  return u.toString();
}

/** Drops a test schema and everything in it, on a connection of its own. */
export async function dropPgSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
