/** Page state behind "Next page" buttons: short-lived rows a button's token points to. */
import { randomBytes } from 'node:crypto';
import { type Db, writeTransaction } from './db.js';

export interface PageState {
  command: string;
  input: Record<string, string | number | undefined>;
  offset: number;
  anchor: number;
}

/** A day: long after the list was asked for, a fresh command is the better answer. */
export const PAGE_TTL_MS = 24 * 3_600_000;

/** Stores the state and returns its token (16 URL-safe characters); rows past their time are removed. */
export function savePage(db: Db, state: PageState, now: number): string {
  const token = randomBytes(12).toString('base64url');
  writeTransaction(db, () => {
    db.prepare('DELETE FROM command_pages WHERE created_at < ?').run(now - PAGE_TTL_MS);
    db.prepare(
      'INSERT INTO command_pages (token, command, input, offset, anchor, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(token, state.command, JSON.stringify(state.input), state.offset, state.anchor, now);
  });
  return token;
}

/** The state behind a token; undefined when unknown or expired. */
export function loadPage(db: Db, token: string, now: number): PageState | undefined {
  const row = db
    .prepare('SELECT command, input, offset, anchor FROM command_pages WHERE token = ? AND created_at >= ?')
    .get(token, now - PAGE_TTL_MS) as { command: string; input: string; offset: number; anchor: number } | undefined;
  if (!row) return undefined;
  return {
    command: row.command,
    input: JSON.parse(row.input) as PageState['input'],
    offset: row.offset,
    anchor: row.anchor,
  };
}
