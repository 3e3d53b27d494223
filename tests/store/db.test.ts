import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/store/db.js';
import { migrationsOf } from '../../src/store/migrations/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sqlite.js';
import { type TempStore, tempDb, tempStore, testBackend } from '../helpers/db.js';

/**
 * SQLite only: the file's WAL mode and pragmas, and the FTS5 table's triggers. PostgreSQL has neither; its
 * full-text column is tested in postgres-fts.test.ts, its connection settings in postgres-driver.test.ts.
 */
describe.runIf(testBackend() === 'sqlite')('store/db on a SQLite file (SQLite only: WAL, pragmas, FTS5)', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.close());

  it('opens in WAL mode with foreign keys and applies every migration once', () => {
    t = tempDb();
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(t.db)).toBe(SQLITE_MIGRATIONS.at(-1)?.version);
    expect(migrate(t.db)).toBe(0);
  });

  it('indexes items in FTS5 through triggers', () => {
    t = tempDb();
    const now = Date.now();
    const feedId = t.db
      .prepare('INSERT INTO feeds (url, interval_ms, created_at) VALUES (?, ?, ?)')
      .run('http://127.0.0.1/feed', 900_000, now).lastInsertRowid;
    t.db
      .prepare(
        'INSERT INTO items (feed_id, guid, title, published_at, content, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(feedId, 'g1', 'Court revives trafficking claim', now, 'The platform argued immunity.', now);
    const hits = t.db.prepare("SELECT rowid FROM items_fts WHERE items_fts MATCH 'immunity'").pluck().all();
    expect(hits).toHaveLength(1);
    t.db.prepare('UPDATE items SET content = ? WHERE guid = ?').run('Nothing relevant now.', 'g1');
    expect(t.db.prepare("SELECT rowid FROM items_fts WHERE items_fts MATCH 'immunity'").pluck().all()).toHaveLength(0);
  });
});

describe(`the store on ${testBackend()}`, () => {
  let t: TempStore | undefined;
  afterEach(() => t?.close());

  it('keeps data across reopen and does not re-run migrations', async () => {
    t = await tempStore();
    await t.sql.run("INSERT INTO kv (key, value) VALUES ('k', 'v')");
    await t.sql.close();
    const again = await t.open();
    expect(await again.value("SELECT value FROM kv WHERE key = 'k'")).toBe('v');
    expect(await again.value('SELECT count(*) FROM schema_migrations')).toBe(migrationsOf(again.dialect).length);
  });

  it('is the only place that runs SQL: no module outside src/store prepares or executes a statement', () => {
    const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
    const offenders = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.startsWith(`store${path.sep}`))
      .filter((f) =>
        /\.(prepare|exec|pragma)\(\s*[`'"]|\b(INSERT INTO|DELETE FROM|UPDATE \w+ SET)\b/.test(
          readFileSync(path.join(src, f), 'utf8'),
        ),
      );
    expect(offenders).toEqual([]);
  });
});
