import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { latestVersion, schemaVersionOf } from '../../src/store/migrations/migrate.js';
import { openStore } from '../../src/store/open.js';
import { dropPgSchema, PG_TEST_URL, pgSchemaUrl, pgTestSchema, tempStore, testBackend } from '../helpers/db.js';

/** Issue 16: openStore picks the backend from the location, migrates, and opens read-only when asked. */
const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-open-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropPgSchema(s);
});

function schema(): string {
  const s = pgTestSchema();
  schemas.push(s);
  return s;
}

describe('openStore', () => {
  it('opens a file path as a migrated SQLite store', async () => {
    const file = path.join(dir, 'a.db');
    const sql = await openStore(file);
    try {
      expect(sql.dialect).toBe('sqlite');
      expect(sql.location).toBe(file);
      expect(await schemaVersionOf(sql)).toBe(latestVersion('sqlite'));
    } finally {
      await sql.close();
    }
  });

  it('opens a postgres:// or postgresql:// URL as a migrated PostgreSQL store, in its schema', async () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const s = schema();
      const sql = await openStore(pgSchemaUrl(s).replace(/^postgres:/, `${scheme}:`));
      try {
        expect(sql.dialect).toBe('postgres');
        expect(await schemaVersionOf(sql)).toBe(latestVersion('postgres'));
        expect(await sql.value("SELECT to_regclass('items')::text")).toBe('items');
        expect(await sql.value('SELECT current_schema()')).toBe(s);
      } finally {
        await sql.close();
      }
    }
    expect(existsSync(path.join(process.cwd(), 'postgres:'))).toBe(false);
  });

  it('reads a migrated PostgreSQL store read-only, where the server refuses writes', async () => {
    const url = pgSchemaUrl(schema());
    await (await openStore(url)).close();
    const sql = await openStore(url, { readOnly: true });
    try {
      expect(await sql.value('SELECT count(*) FROM items')).toBe(0);
      const err = await sql.run("INSERT INTO kv (key, value) VALUES ('k', 'v')").catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('25006');
    } finally {
      await sql.close();
    }
  });

  it('refuses to read an empty PostgreSQL store, and creates nothing', async () => {
    const s = schema();
    const err = await openStore(pgSchemaUrl(s), { readOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('database_needs_upgrade');
    expect((err as UserError).message).toContain(`the database ${pgSchemaUrl(s)} is empty`);
    const check = await openStore(PG_TEST_URL, { readOnly: true }).catch((e: unknown) => e);
    // The test database's public schema holds no watchdesk tables either.
    expect((check as UserError).code).toBe('database_needs_upgrade');
  });
});

describe(`tempStore (backend: ${testBackend()})`, () => {
  it('gives a fresh migrated store and removes it on close', async () => {
    const t = await tempStore();
    await t.sql.run("INSERT INTO kv (key, value) VALUES ('k', 'v')");
    expect(await t.sql.value('SELECT count(*) FROM kv')).toBe(1);
    const other = await tempStore();
    expect(await other.sql.value('SELECT count(*) FROM kv')).toBe(0);
    await other.close();
    await t.close();
    await t.close();
    if (testBackend() === 'sqlite') {
      expect(existsSync(t.location)).toBe(false);
    } else {
      expect(await schemaExists(new URL(t.location).searchParams.get('schema') ?? '')).toBe(false);
    }
  });
});

async function schemaExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
