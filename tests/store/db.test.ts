import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDb, schemaVersion } from '../../src/store/db.js';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sqlite.js';
import { tempDb } from '../helpers/db.js';

describe('store/db', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.close());

  it('opens in WAL mode with foreign keys and applies every migration once', () => {
    t = tempDb();
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(t.db)).toBe(SQLITE_MIGRATIONS.at(-1)?.version);
    expect(migrate(t.db)).toBe(0);
  });

  it('keeps data across reopen and does not re-run migrations', () => {
    t = tempDb();
    t.db.prepare("INSERT INTO kv (key, value) VALUES ('k', 'v')").run();
    t.db.close();
    const again = openDb(t.file);
    expect(again.prepare("SELECT value FROM kv WHERE key = 'k'").pluck().get()).toBe('v');
    expect(again.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(SQLITE_MIGRATIONS.length);
    again.close();
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
