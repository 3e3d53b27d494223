import type { Db } from './db.js';

/** Small durable counters and settings, e.g. the LLM's requests per UTC day. */
export function getKv(db: Db, key: string): string | undefined {
  return db.prepare('SELECT value FROM kv WHERE key = ?').pluck().get(key) as string | undefined;
}

export function setKv(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

export function incrementKv(db: Db, key: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO kv (key, value) VALUES (?, '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value`,
      )
      .pluck()
      .get(key),
  );
}

/** The LLM's daily request budget, kept across restarts (keys llm-requests:YYYY-MM-DD). */
export function kvBudgetStore(db: Db): { get(day: string): number; increment(day: string): void } {
  return {
    get: (day) => Number(getKv(db, `llm-requests:${day}`) ?? 0),
    increment: (day) => {
      incrementKv(db, `llm-requests:${day}`);
    },
  };
}
