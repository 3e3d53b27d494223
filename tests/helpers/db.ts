import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
