import { describe, expect, it } from 'vitest';
import { parseConfigText, storeLocation } from '../../src/config/load.js';
import { isDbUrl, redactDbUrl } from '../../src/db-url.js';
import { ConfigError, UserError } from '../../src/errors.js';

// Issue 16: a PostgreSQL URL in WATCHDESK_DB or store.url picks the PostgreSQL store. It is told apart
// before any path resolution, and its password is never printed.
describe('a PostgreSQL store named by URL', () => {
  const file = '/srv/watchdesk/team.yaml';

  it('takes WATCHDESK_DB as a URL, unresolved, and prints it without the password', () => {
    const env = { dbPath: 'postgres://bot:s3cret@db.internal:5432/news?schema=desk', secrets: {} };
    const c = parseConfigText('feeds: []\n', file, env);
    expect(c.dbUrl).toBe(env.dbPath);
    expect(c.createDbFolder).toBe(false);
    expect(storeLocation(c)).toBe('postgres://bot:***@db.internal:5432/news?schema=desk');
    expect(storeLocation(c)).not.toContain('s3cret');
  });

  it('reads store.url from the file; WATCHDESK_DB, a URL or a path, overrides it', () => {
    const text = 'store: { url: "postgresql://bot@db/news" }\n';
    expect(parseConfigText(text, file).dbUrl).toBe('postgresql://bot@db/news');
    const byPath = parseConfigText(text, file, { dbPath: 'local.db', secrets: {} });
    expect(byPath.dbUrl).toBeUndefined();
    expect(storeLocation(byPath)).toMatch(/local\.db$/);
    const byUrl = parseConfigText(text, file, { dbPath: 'postgres://other/db', secrets: {} });
    expect(byUrl.dbUrl).toBe('postgres://other/db');
  });

  it('keeps a file path meaning SQLite', () => {
    const c = parseConfigText('store: { path: ./x.db }\n', file);
    expect(c.dbUrl).toBeUndefined();
    expect(storeLocation(c)).toBe('/srv/watchdesk/x.db');
  });

  it('refuses a URL of another kind in WATCHDESK_DB, without echoing its password', () => {
    const env = { dbPath: 'mysql://root:hunter2@db/news', secrets: {} };
    let error: unknown;
    try {
      parseConfigText('feeds: []\n', file, env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(String((error as UserError).message)).toContain('WATCHDESK_DB');
    expect(String((error as UserError).message)).not.toContain('hunter2');
    expect((error as UserError).hint).toMatch(/postgres:\/\//);
  });

  it('refuses a store.url that is not PostgreSQL, naming the file and path, without the password', () => {
    let error: unknown;
    try {
      parseConfigText('store: { url: "mysql://root:hunter2@db/news" }\n', file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    expect(text).toContain('store.url');
    expect(text).toContain(file);
    expect(text).not.toContain('hunter2');
  });

  it('redacts passwords in the userinfo and in query parameters', () => {
    expect(isDbUrl('postgres://x/y')).toBe(true);
    expect(isDbUrl('POSTGRESQL://x/y')).toBe(true);
    expect(isDbUrl('/var/lib/watchdesk.db')).toBe(false);
    expect(redactDbUrl('postgres://a:b@h/d?password=zz&sslmode=require')).toBe(
      'postgres://a:***@h/d?password=***&sslmode=require',
    );
    expect(redactDbUrl('postgres://a@h/d')).toBe('postgres://a@h/d');
  });
});
