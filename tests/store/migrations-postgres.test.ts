import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestVersion, migrateSql, schemaVersionOf } from '../../src/store/migrations/migrate.js';
import { postgresSql } from '../../src/store/postgres-driver.js';
import { type Sql, sqlOf } from '../../src/store/sql.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema, tempDb } from '../helpers/db.js';

/**
 * Issue 16: PostgreSQL's migrations give the schema SQLite's give (same tables, columns and indexes,
 * so the query files are shared), apply once however many processes open a new store, and the
 * triggers and full-text column do on PostgreSQL what SQLite's triggers and FTS5 do.
 */
const schema = pgTestSchema();
const lite = tempDb();
let pgSql: Sql;

beforeAll(async () => {
  pgSql = await postgresSql(pgSchemaUrl(schema));
  await migrateSql(pgSql);
});

afterAll(async () => {
  await pgSql.close();
  await dropPgSchema(schema);
  lite.close();
});

/** SQLite-only: the FTS5 table and its shadow tables. PostgreSQL-only: the tsvector column that replaces them. */
const SQLITE_ONLY = /^items_fts($|_)/;
const PG_ONLY_COLUMNS = new Set(['items.fts']);

function sqliteColumns(): Map<string, { name: string; type: string }[]> {
  const tables = lite.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return new Map(
    tables
      .filter((t) => !SQLITE_ONLY.test(t))
      .map((t) => [t, lite.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string; type: string }[]]),
  );
}

async function pgColumns(): Promise<Map<string, { name: string; type: string }[]>> {
  const rows = await pgSql.all<{ table: string; name: string; type: string }>(
    `SELECT table_name AS "table", column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const out = new Map<string, { name: string; type: string }[]>();
  for (const r of rows) {
    if (PG_ONLY_COLUMNS.has(`${r.table}.${r.name}`)) continue;
    out.set(r.table, [...(out.get(r.table) ?? []), { name: r.name, type: r.type }]);
  }
  return out;
}

describe('PostgreSQL migrations: the schema of the SQLite ones', () => {
  it('has every SQLite table with the same column names, in the same order, and no other table', async () => {
    const lt = sqliteColumns();
    const pt = await pgColumns();
    expect([...pt.keys()].sort()).toEqual([...lt.keys()].sort());
    for (const [table, cols] of lt) {
      expect({ table, columns: pt.get(table)?.map((c) => c.name) }).toEqual({
        table,
        columns: cols.map((c) => c.name),
      });
    }
  });

  it('gives each column the type matching its SQLite one (flags 0/1 as integer, never boolean)', async () => {
    const want: Record<string, string[]> = {
      INTEGER: ['bigint', 'integer'],
      TEXT: ['text'],
      REAL: ['double precision'],
      BLOB: ['bytea'],
    };
    const pt = await pgColumns();
    const wrong = [...sqliteColumns()].flatMap(([table, cols]) =>
      cols
        .map((c, i) => ({ column: `${table}.${c.name}`, sqlite: c.type, postgres: pt.get(table)?.[i]?.type ?? '' }))
        .filter((c) => !want[c.sqlite]?.includes(c.postgres)),
    );
    expect(wrong).toEqual([]);
  });

  it('has the same indexes, by name', async () => {
    const sqliteIndexes = lite.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'")
      .pluck()
      .all() as string[];
    const pgIndexes = await pgSql.column<string>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
         AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key' AND indexname <> 'items_fts_gin'`,
    );
    expect(pgIndexes.sort()).toEqual(sqliteIndexes.sort());
  });

  it('names no column with a word PostgreSQL reserves, but command_pages."offset" (queries quote it)', async () => {
    const reserved = await pgSql.column<string>(
      `SELECT DISTINCT c.table_name || '.' || c.column_name FROM information_schema.columns c
       JOIN pg_get_keywords() k ON k.word = c.column_name AND k.catcode = 'R' WHERE c.table_schema = current_schema()`,
    );
    expect(reserved).toEqual(['command_pages.offset']);
  });
});

describe('migrateSql', () => {
  it('records version 1 and applies nothing a second time', async () => {
    expect(latestVersion('postgres')).toBe(1);
    expect(await schemaVersionOf(pgSql)).toBe(1);
    expect(await migrateSql(pgSql)).toBe(0);
    expect(await pgSql.value('SELECT seq FROM announce_counter WHERE id = 1')).toBe(0);
  });

  it('applies each migration once when several processes open a new store at the same time', async () => {
    const fresh = pgTestSchema();
    const opened = await Promise.all([0, 1, 2].map(() => postgresSql(pgSchemaUrl(fresh))));
    try {
      const applied = await Promise.all(opened.map((s) => migrateSql(s)));
      expect(applied.sort()).toEqual([0, 0, 1]);
      expect(await opened[0]!.value('SELECT count(*) FROM schema_migrations')).toBe(1);
    } finally {
      await Promise.all(opened.map((s) => s.close()));
      await dropPgSchema(fresh);
    }
  });

  it("applies SQLite's list to a SQLite store through the same function", async () => {
    const db = new Database(':memory:');
    const sql = sqlOf(db);
    try {
      expect(await migrateSql(sql)).toBe(latestVersion('sqlite'));
      expect(await schemaVersionOf(sql)).toBe(10);
      expect(await migrateSql(sqlOf(lite.db))).toBe(0);
    } finally {
      await sql.close();
    }
  });
});
