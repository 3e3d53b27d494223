import type { Dialect, Sql } from '../sql.js';
import { POSTGRES_MIGRATIONS } from './postgres.js';
import { SQLITE_MIGRATIONS } from './sqlite.js';

/**
 * Each dialect has its own append-only list of versioned migrations (sqlite.ts, postgres.ts), since DDL
 * differs (FTS5 and triggers against a tsvector column and plpgsql functions). Both lists describe one
 * schema: the same tables and columns, so that the query files above are shared; a later change adds a
 * version to both. tests/store/migrations-postgres.test.ts checks that the two agree.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function migrationsOf(dialect: Dialect): readonly Migration[] {
  return dialect === 'postgres' ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
}

/** The newest version of the dialect's list: a store below it needs migrating. */
export function latestVersion(dialect: Dialect): number {
  return migrationsOf(dialect).reduce((max, m) => Math.max(max, m.version), 0);
}

/**
 * Applies the dialect's pending migrations, each in one write transaction; returns how many. Each is
 * checked again under the write lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock): two
 * processes opening a new store at once both see a migration pending, and only the first applies it,
 * while the second waits and then skips it.
 */
export async function migrateSql(sql: Sql): Promise<number> {
  // Under the lock too: two PostgreSQL sessions creating the same table at once can both fail on its type.
  await sql.write(() => sql.exec(VERSIONS_TABLE[sql.dialect]));
  const applied = new Set(await sql.column<number>('SELECT version FROM schema_migrations'));
  let count = 0;
  for (const m of migrationsOf(sql.dialect)) {
    if (applied.has(m.version)) continue;
    const done = await sql.write(async () => {
      if (await sql.value('SELECT 1 FROM schema_migrations WHERE version = ?', [m.version])) return false;
      await sql.exec(m.sql);
      await sql.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        Date.now(),
      ]);
      return true;
    });
    if (done) count++;
  }
  return count;
}

/** The highest version applied to the store (0 for a store with none). */
export async function schemaVersionOf(sql: Sql): Promise<number> {
  return (await sql.value<number>('SELECT coalesce(max(version), 0) FROM schema_migrations')) ?? 0;
}

const VERSIONS_TABLE: Record<Dialect, string> = {
  sqlite:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  postgres:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
};
