import type { BudgetStore } from '../summarize/llm.js';
import type { Sql } from './sql.js';

/** Small durable counters and settings, e.g. the LLM's requests per UTC day. */
export async function getKv(sql: Sql, key: string): Promise<string | undefined> {
  return sql.value<string>('SELECT value FROM kv WHERE key = ?', [key]);
}

export async function setKv(sql: Sql, key: string, value: string): Promise<void> {
  await sql.run('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [
    key,
    value,
  ]);
}

export async function incrementKv(sql: Sql, key: string): Promise<number> {
  // kv.value, not value: PostgreSQL finds a bare name ambiguous beside `excluded`.
  const value = await sql.value(
    `INSERT INTO kv (key, value) VALUES (?, '1')
     ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(kv.value AS INTEGER) + 1 AS TEXT) RETURNING value`,
    [key],
  );
  return Number(value);
}

/** The LLM's daily request budget, kept across restarts (keys llm-requests:YYYY-MM-DD). */
export function kvBudgetStore(sql: Sql): BudgetStore {
  return {
    get: async (day) => Number((await getKv(sql, `llm-requests:${day}`)) ?? 0),
    increment: async (day) => {
      await incrementKv(sql, `llm-requests:${day}`);
    },
  };
}
