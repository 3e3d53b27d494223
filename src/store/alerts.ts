/**
 * What the operator has been told, per thing: the last alert state sent and when. Kept in the kv
 * table under "alert:<key>", so that a restart neither repeats an alert nor forgets a recovery.
 */
import type { Sql } from './sql.js';

export interface AlertStateRow {
  /** e.g. "feed:3", "digest:12", "subscription:4", "token:discord". */
  key: string;
  state: 'problem' | 'ok';
  sentAt: number;
  /** What to say when a problem ends (its subject in the past tense), kept with the problem. */
  recovered?: string;
}

const PREFIX = 'alert:';

export async function alertStates(sql: Sql): Promise<AlertStateRow[]> {
  const rows = await sql.all<{ key: string; value: string }>(`SELECT key, value FROM kv WHERE key LIKE '${PREFIX}%'`);
  return rows.map((r) => ({ key: r.key.slice(PREFIX.length), ...(JSON.parse(r.value) as Omit<AlertStateRow, 'key'>) }));
}

export async function saveAlertState(sql: Sql, row: AlertStateRow): Promise<void> {
  await sql.run('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [
    `${PREFIX}${row.key}`,
    JSON.stringify({ state: row.state, sentAt: row.sentAt, recovered: row.recovered }),
  ]);
}

export async function forgetAlertState(sql: Sql, key: string): Promise<void> {
  await sql.run('DELETE FROM kv WHERE key = ?', [`${PREFIX}${key}`]);
}
