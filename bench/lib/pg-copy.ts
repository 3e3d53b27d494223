/**
 * The generated SQLite store (store-gen.ts) copied into a PostgreSQL schema, so that the command benchmark
 * reads the same rows on both. The copy is cached like the SQLite file: the schema (`wd_bench_1m` for the
 * million-item store) stays after the run, and the next run reuses it when its comment names the same source
 * file and every copied table holds as many rows as in SQLite; otherwise it is dropped and loaded again.
 *
 * The load is one transaction, so an interrupted one leaves nothing that looks complete: the schema is made by
 * watchdesk's own migrations (openStore), then each table's rows are sent in batches of arrays unnested into
 * one INSERT each, with the tables' secondary indexes dropped first and built again at the end (one index
 * build is far cheaper than a million index updates) and triggers off (session_replication_role = replica):
 * the rows copied already hold what the triggers would write (story_topics, on_beat), as SQLite's triggers
 * wrote them. Then VACUUM ANALYZE, as autovacuum would have left a store that has been running.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { openStore } from '../../src/store/open.js';
import { say } from './measure.js';
import { dropSchema, plain, schemaUrl, withClient } from './pg-store.js';
import type { GeneratedStore } from './store-gen.js';

const BATCH = 5_000;

export interface PgCopy {
  /** The store's URL (with ?schema=), for openStore. */
  url: string;
  schema: string;
  /** Milliseconds the load took, when this run loaded it; null when the cached copy was reused. */
  loadMs: number | null;
}

/** The PostgreSQL copy of `store` on the server at `url`, loaded first unless the cached copy matches. */
export async function pgCopyOf(store: GeneratedStore, url: string, appName: string): Promise<PgCopy> {
  const schema = schemaName(store);
  const source = path.basename(store.file);
  const sqlite = new Database(store.file, { readonly: true, fileMustExist: true });
  try {
    const tables = sourceTables(sqlite);
    if (await cacheMatches(url, schema, source, tables)) {
      say(`commands: reusing the PostgreSQL copy in schema ${schema} (same source, same row counts)`);
      return { url: schemaUrl(url, schema, appName), schema, loadMs: null };
    }
    const t0 = performance.now();
    say(`commands: loading ${source} into PostgreSQL schema ${schema}…`);
    await dropSchema(url, schema);
    // watchdesk's own migrations make the schema, so the copy has exactly the tables and indexes a store has.
    await (await openStore(schemaUrl(url, schema))).close();
    await withClient(schemaUrl(url, schema), async (c) => {
      await c.query('BEGIN');
      await c.query("SET LOCAL session_replication_role = 'replica'");
      await c.query("SET LOCAL maintenance_work_mem = '512MB'");
      const indexes = await dropIndexes(
        c,
        schema,
        tables.map((t) => t.name),
      );
      for (const t of tables) await copyTable(sqlite, c, schema, t);
      say('  building the indexes');
      for (const def of indexes) await c.query(def);
      await resetIdentities(c, schema);
      await c.query(`COMMENT ON SCHEMA "${schema}" IS '${source.replace(/'/g, "''")}'`);
      await c.query('COMMIT');
      say('  VACUUM ANALYZE');
      for (const t of tables) await c.query(`VACUUM ANALYZE "${plain(t.name)}"`);
    });
    const loadMs = performance.now() - t0;
    say(`  loaded in ${Math.round(loadMs / 1000)} s`);
    return { url: schemaUrl(url, schema, appName), schema, loadMs };
  } finally {
    sqlite.close();
  }
}

/** wd_bench_1m, wd_bench_20k; with the seed when it is not the default (14). */
export function schemaName(store: Pick<GeneratedStore, 'items'> & { seed?: number }): string {
  const n = store.items;
  const size = n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1_000 === 0 ? `${n / 1_000}k` : `${n}`;
  return plain(`wd_bench_${size}${store.seed !== undefined && store.seed !== 14 ? `_s${store.seed}` : ''}`);
}

interface SourceTable {
  name: string;
  columns: string[];
  rows: number;
}

/** The store's tables in SQLite, without the migration record and FTS5's own tables (PostgreSQL has items.fts). */
function sourceTables(sqlite: Database.Database): SourceTable[] {
  const names = sqlite
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT LIKE 'items_fts%' AND name <> 'schema_migrations' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  return names.map((name) => ({
    name,
    columns: (sqlite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name),
    rows: Number(sqlite.prepare(`SELECT count(*) FROM "${name}"`).pluck().get()),
  }));
}

async function cacheMatches(url: string, schema: string, source: string, tables: SourceTable[]): Promise<boolean> {
  return withClient(url, async (c) => {
    const comment = await c.query<{ c: string | null }>(
      "SELECT obj_description(oid, 'pg_namespace') AS c FROM pg_namespace WHERE nspname = $1",
      [schema],
    );
    if (comment.rows[0]?.c !== source) return false;
    for (const t of tables) {
      const n = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}"."${plain(t.name)}"`);
      if (Number(n.rows[0]?.n) !== t.rows) return false;
    }
    return true;
  });
}

/** Drops the tables' indexes that back no constraint; returns their definitions, to build them again. */
async function dropIndexes(c: pg.Client, schema: string, tables: string[]): Promise<string[]> {
  const found = await c.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = $1 AND i.tablename = ANY($2)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                         WHERE k.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
    [schema, tables],
  );
  for (const ix of found.rows) await c.query(`DROP INDEX "${schema}"."${plain(ix.name)}"`);
  return found.rows.map((ix) => ix.def);
}

/** Every row of one table, in batches: one INSERT … SELECT FROM unnest(array per column) each. */
async function copyTable(sqlite: Database.Database, c: pg.Client, schema: string, t: SourceTable): Promise<void> {
  const target = await c.query<{ name: string; type: string }>(
    `SELECT column_name AS name, udt_name AS type FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER'`,
    [schema, t.name],
  );
  const types = new Map(target.rows.map((r) => [r.name, r.type]));
  if (types.size === 0) throw new Error(`the PostgreSQL schema has no table ${t.name}, which the SQLite store has`);
  const missing = t.columns.filter((col) => !types.has(col));
  if (missing.length > 0) throw new Error(`PostgreSQL's ${t.name} lacks the column(s) ${missing.join(', ')}`);
  const cols = t.columns.map((col) => `"${col}"`).join(', ');
  const insert = `INSERT INTO "${plain(t.name)}" (${cols}) SELECT * FROM unnest(${t.columns
    .map((col, k) => `$${k + 1}::${types.get(col)}[]`)
    .join(', ')})`;
  await c.query(`DELETE FROM "${plain(t.name)}"`);
  const rows = sqlite.prepare(`SELECT ${cols} FROM "${t.name}"`).raw().iterate() as IterableIterator<unknown[]>;
  let batch: unknown[][] = [];
  let sent = 0;
  const flush = async () => {
    const arrays = t.columns.map((_, k) => batch.map((r) => r[k]));
    await c.query(insert, arrays);
    sent += batch.length;
    batch = [];
    if (sent % 200_000 < BATCH) say(`  ${t.name}: ${sent.toLocaleString('en')} of ${t.rows.toLocaleString('en')} rows`);
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
}

/** Identity sequences continue after the copied ids, as SQLite's rowids would. */
async function resetIdentities(c: pg.Client, schema: string): Promise<void> {
  const ids = await c.query<{ t: string; col: string }>(
    `SELECT table_name AS t, column_name AS col FROM information_schema.columns
      WHERE table_schema = $1 AND is_identity = 'YES'`,
    [schema],
  );
  for (const { t, col } of ids.rows) {
    await c.query(
      `SELECT setval(pg_get_serial_sequence(format('%I.%I', $1::text, $2::text), $3), coalesce(max("${col}"), 0) + 1, false)
         FROM "${plain(t)}"`,
      [schema, t, col],
    );
  }
}
