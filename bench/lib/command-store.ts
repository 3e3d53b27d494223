/**
 * The store the command benchmark reads, on either backend, with its by-key baseline: a SELECT by primary key
 * of the rows a command showed (each story, then each of its items), through the backend's own cheapest path.
 * SQLite: better-sqlite3 prepared statements, as before the async store (so its figures stay comparable with
 * the earlier runs); the runs happen in one transaction that is rolled back, so the cached file never changes.
 * PostgreSQL: one query per row through the store's Sql (one round trip each, as a command's queries make);
 * the copy is cached (pg-copy.ts), and what the commands write (their page records) is deleted afterwards.
 */
import { openDb } from '../../src/store/db.js';
import { openStore } from '../../src/store/open.js';
import { type Sql, sqlOf } from '../../src/store/sql.js';
import { pgCopyOf } from './pg-copy.js';
import { type Backend, serverLine } from './pg-store.js';
import type { GeneratedStore } from './store-gen.js';

export interface CommandStore {
  /** The store as the commands reach it. */
  conn: Sql;
  /** "SQLite file …" or the PostgreSQL server, its settings and schema. */
  where: string;
  /** Load time of the PostgreSQL copy when this run made it (ms), else null. */
  loadMs: number | null;
  byKey(storyIds: number[]): Promise<{ ms: number; rows: number }>;
  close(): Promise<void>;
}

export async function openCommandStore(backend: Backend, store: GeneratedStore): Promise<CommandStore> {
  return backend.kind === 'sqlite' ? sqliteStore(store) : postgresStore(backend.url, store);
}

function sqliteStore(store: GeneratedStore): CommandStore {
  const db = openDb(store.file);
  const itemsOf = db.prepare('SELECT id FROM items WHERE story_id = ?').pluck();
  const storyById = db.prepare('SELECT * FROM stories WHERE id = ?');
  const itemById = db.prepare('SELECT * FROM items WHERE id = ?');
  db.exec('BEGIN');
  return {
    // The same Sql every store function makes of this handle (sqlOf keeps one per handle): its writes join the open transaction.
    conn: sqlOf(db),
    where: `SQLite (better-sqlite3), file ${store.file.split('/').pop()}`,
    loadMs: null,
    async byKey(storyIds) {
      const itemIds = storyIds.flatMap((id) => itemsOf.all(id) as number[]);
      const t0 = performance.now();
      for (const id of storyIds) storyById.get(id);
      for (const id of itemIds) itemById.get(id);
      return { ms: performance.now() - t0, rows: storyIds.length + itemIds.length };
    },
    async close() {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

async function postgresStore(url: string, store: GeneratedStore): Promise<CommandStore> {
  const copy = await pgCopyOf(store, url, `wd_bench_commands_${process.pid}`);
  const sql = await openStore(copy.url, { poolSize: 4 });
  // The same columns SQLite's SELECT * reads: not the generated search column items.fts, which SQLite keeps apart.
  const cols = async (table: string) =>
    (
      await sql.column<string>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        [table],
      )
    )
      .map((c) => `"${c}"`)
      .join(', ');
  const storyCols = await cols('stories');
  const itemCols = await cols('items');
  return {
    conn: sql,
    where: `${await serverLine(url)}, schema ${copy.schema}${copy.loadMs === null ? ' (cached copy)' : ''}`,
    loadMs: copy.loadMs,
    async byKey(storyIds) {
      const itemIds: number[] = [];
      for (const id of storyIds)
        itemIds.push(...(await sql.column<number>('SELECT id FROM items WHERE story_id = ?', [id])));
      const t0 = performance.now();
      for (const id of storyIds) await sql.get(`SELECT ${storyCols} FROM stories WHERE id = ?`, [id]);
      for (const id of itemIds) await sql.get(`SELECT ${itemCols} FROM items WHERE id = ?`, [id]);
      return { ms: performance.now() - t0, rows: storyIds.length + itemIds.length };
    },
    async close() {
      try {
        // The pages `latest` and `search` record for "more": the cached copy stays as it was loaded.
        await sql.run('DELETE FROM command_pages');
      } finally {
        await sql.close();
      }
    },
  };
}
