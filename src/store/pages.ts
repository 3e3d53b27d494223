/** Page state behind "Next page" buttons: short-lived rows a button's token points to. */
import { randomBytes } from 'node:crypto';
import type { Sql } from './sql.js';

export interface PageState {
  command: string;
  input: Record<string, string | number | undefined>;
  offset: number;
  anchor: number;
}

/** A day: long after the list was asked for, a fresh command is the better answer. */
export const PAGE_TTL_MS = 24 * 3_600_000;

/** Stores the state and returns its token (16 URL-safe characters); rows past their time are removed. */
export async function savePage(sql: Sql, state: PageState, now: number): Promise<string> {
  const token = randomBytes(12).toString('base64url');
  await sql.write(async () => {
    await sql.run('DELETE FROM command_pages WHERE created_at < ?', [now - PAGE_TTL_MS]);
    // "offset" quoted: a reserved word in PostgreSQL.
    await sql.run(
      'INSERT INTO command_pages (token, command, input, "offset", anchor, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [token, state.command, JSON.stringify(state.input), state.offset, state.anchor, now],
    );
  });
  return token;
}

/** The state behind a token; undefined when unknown or expired. */
export async function loadPage(sql: Sql, token: string, now: number): Promise<PageState | undefined> {
  const row = await sql.get<{ command: string; input: string; offset: number; anchor: number }>(
    'SELECT command, input, "offset", anchor FROM command_pages WHERE token = ? AND created_at >= ?',
    [token, now - PAGE_TTL_MS],
  );
  if (!row) return undefined;
  return {
    command: row.command,
    input: JSON.parse(row.input) as PageState['input'],
    offset: row.offset,
    anchor: row.anchor,
  };
}
