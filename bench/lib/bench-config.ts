import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { type Config, DEFAULT_CONFIG_FILE, parseConfigText } from '../../src/config/load.js';

/**
 * The default beat's config (its topics, story and digest settings) with the benchmark's own
 * feeds, store and subscriptions: what a team running the defaults would have, pointed at loopback.
 */
export function benchConfig(p: {
  dbPath: string;
  /** A PostgreSQL store instead of the SQLite file at dbPath. */
  dbUrl?: string;
  feeds: Record<string, unknown>[];
  subscriptions?: Record<string, unknown>[];
  extra?: Record<string, unknown>;
}): Config {
  const doc = parseDocument(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
  const raw = doc.toJS() as Record<string, unknown>;
  raw.store = { path: p.dbPath };
  raw.feeds = p.feeds;
  raw.subscriptions = p.subscriptions ?? [];
  Object.assign(raw, p.extra ?? {});
  const config = parseConfigText(JSON.stringify(raw), `${DEFAULT_CONFIG_FILE} (benchmark copy)`);
  return { ...config, dbPath: p.dbPath, ...(p.dbUrl ? { dbUrl: p.dbUrl } : {}) };
}
