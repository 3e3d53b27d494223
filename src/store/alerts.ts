/**
 * What the operator has been told, per thing: the last alert state sent and when. Kept in the kv
 * table under "alert:<key>", so that a restart neither repeats an alert nor forgets a recovery.
 */
import type { Db } from './db.js';

export interface AlertStateRow {
  /** e.g. "feed:3", "digest:12", "subscription:4", "token:discord". */
  key: string;
  state: 'problem' | 'ok';
  sentAt: number;
  /** What to say when a problem ends (its subject in the past tense), kept with the problem. */
  recovered?: string;
}

const PREFIX = 'alert:';

export function alertStates(db: Db): AlertStateRow[] {
  const rows = db.prepare(`SELECT key, value FROM kv WHERE key LIKE '${PREFIX}%'`).all() as {
    key: string;
    value: string;
  }[];
  return rows.map((r) => ({ key: r.key.slice(PREFIX.length), ...(JSON.parse(r.value) as Omit<AlertStateRow, 'key'>) }));
}

export function saveAlertState(db: Db, row: AlertStateRow): void {
  db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    `${PREFIX}${row.key}`,
    JSON.stringify({ state: row.state, sentAt: row.sentAt, recovered: row.recovered }),
  );
}

export function forgetAlertState(db: Db, key: string): void {
  db.prepare('DELETE FROM kv WHERE key = ?').run(`${PREFIX}${key}`);
}
