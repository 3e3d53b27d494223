import { isDbUrl } from '../db-url.js';
import { UserError } from '../errors.js';
import { type OpenOptions, openDb, openDbReadOnly } from './db.js';
import { latestVersion, migrateSql, schemaVersionOf } from './migrations/migrate.js';
import { storeNeedsUpgrade } from './open-errors.js';
import { scrub } from './pg-open-errors.js';
import { parseDbUrl } from './pg-url.js';
import { postgresSql } from './postgres-driver.js';
import { type Sql, sqlOf } from './sql.js';

export interface StoreOptions extends OpenOptions {
  /**
   * For the commands that only show things: nothing is created or migrated, and the database refuses
   * writes. A store this version would first have to migrate is a UserError saying what to run.
   */
  readOnly?: boolean;
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
}

/**
 * Opens the store at `location`: a `postgres://` or `postgresql://` URL is a PostgreSQL store (connect,
 * then apply pending migrations); anything else is a SQLite file path (openDb, which migrates too). A
 * store that cannot be opened is a UserError saying which store, what is wrong and what to do, and
 * never printing a password.
 */
export async function openStore(location: string, opts: StoreOptions = {}): Promise<Sql> {
  if (!isDbUrl(location)) {
    return sqlOf(opts.readOnly ? openDbReadOnly(location, opts) : openDb(location, opts));
  }
  const sql = await postgresSql(location, { max: opts.poolSize, readOnly: opts.readOnly });
  try {
    if (opts.readOnly) await checkVersion(sql);
    else await migrateSql(sql);
  } catch (err) {
    await sql.close();
    throw setUpError(location, sql.location, err);
  }
  return sql;
}

/** A read-only open of a PostgreSQL store: refused when it is empty or older than this version. */
async function checkVersion(sql: Sql): Promise<void> {
  const made = await sql.value<string | null>("SELECT to_regclass('schema_migrations')::text");
  const version = made ? await schemaVersionOf(sql) : 0;
  if (version < latestVersion('postgres')) throw storeNeedsUpgrade(sql.location, version === 0);
}

/** What went wrong while migrating: a missing permission is the person's to fix; anything else is ours. */
function setUpError(url: string, location: string, err: unknown): unknown {
  if (err instanceof UserError) return err;
  if ((err as { code?: unknown }).code !== '42501') return err;
  const said = scrub(parseDbUrl(url), (err as Error).message);
  return new UserError(
    'database_not_writable',
    `cannot set up the PostgreSQL store ${location}: its user may not create watchdesk's tables (${said})`,
    "Grant the URL's user CREATE on the schema (or on the database, for ?schema=), or run watchdesk as the schema's owner; it creates and upgrades its tables itself.",
  );
}
