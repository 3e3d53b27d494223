import { redactDbUrl } from '../db-url.js';
import { UserError } from '../errors.js';

/**
 * PostgreSQL store URLs: `postgres://user:password@host:port/database`, or `postgresql://…`, with an
 * optional `?schema=NAME` that keeps watchdesk's tables in that schema (created at open when missing),
 * so one database can hold several stores, or a store beside other applications' tables.
 */

export interface PgTarget {
  /** For pg: the URL without `schema`, with `options=-c search_path=…` when a schema was given. */
  connectionString: string;
  /** The schema from `?schema=`, or undefined for the user's default search_path. */
  schema: string | undefined;
  host: string;
  port: number;
  /** As the URL gives them; pg falls back to PGUSER/PGDATABASE, then the login name, when it gives none. */
  database: string | undefined;
  user: string | undefined;
  /** The password, only so that error messages can be scrubbed of it ('' when none). */
  password: string;
  /** The URL without its password. */
  location: string;
}

/**
 * Reads a store URL; a malformed one, or a schema name that is not a plain identifier, is a UserError.
 * `settings` (`name=value`) are set for every connection, as the schema's search_path is.
 */
export function parseDbUrl(url: string, settings: string[] = []): PgTarget {
  const location = redactDbUrl(url);
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new UserError(
      'database_url_invalid',
      `the PostgreSQL store URL ${location} is not a valid URL`,
      `${WHERE_SET}: it reads postgres://user:password@host:5432/database (characters such as @ : / # in the password are written %40 %3A %2F %23).`,
    );
  }
  const schema = u.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new UserError(
      'database_schema_invalid',
      `the schema "${schema}" in the PostgreSQL store URL ${location} is not a plain name`,
      `${WHERE_SET}: ?schema= takes lower-case letters, digits and _ (at most 63, not starting with a digit), such as ?schema=watchdesk.`,
    );
  }
  u.searchParams.delete('schema');
  const set = schema === undefined ? settings : [`search_path=${schema}`, ...settings];
  if (set.length > 0) {
    // Set at connection start-up by the server itself, so every pooled connection has them before its first query.
    const options = [u.searchParams.get('options'), ...set.map((s) => `-c ${s}`)].filter(Boolean).join(' ');
    u.searchParams.set('options', options);
  }
  return {
    connectionString: u.toString(),
    schema,
    host: u.hostname || 'localhost',
    port: Number(u.port || 5432),
    database: decoded(u.pathname.replace(/^\//, '')) || undefined,
    user: decoded(u.username) || undefined,
    password: decoded(u.password),
    location,
  };
}

export const WHERE_SET = 'Check WATCHDESK_DB (or store.url in the config file)';

/** A malformed %-escape is kept as written: pg reads the URL itself, and says what it makes of it. */
function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
