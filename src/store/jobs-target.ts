import { createHash } from 'node:crypto';
import { parseDbUrl } from './pg-url.js';

/**
 * Where the job queue (pg-boss, src/jobs/) keeps its tables: in the store's own database, in a schema of its
 * own derived from the store's, so that two stores in one database (two ?schema=, as every test has) never
 * share a queue, and dropping a store's schema and its jobs schema removes both.
 */
export interface JobsTarget {
  /**
   * For pg: the store's server, database and user. A URL without a user gets the login name as the store's
   * pool does (postgres-driver.ts sets pg.defaults.user, which pg-boss's pool shares: one pg package).
   */
  connectionString: string;
  schema: string;
}

export function jobsTargetOf(url: string): JobsTarget {
  const target = parseDbUrl(url);
  return {
    connectionString: target.connectionString,
    schema: jobsSchemaOf(target.schema),
  };
}

/**
 * `<store schema>_jobs`, or `pgboss` (pg-boss's own default) for a store in the user's default schema. pg-boss
 * takes names of at most 50 characters: a longer store schema keeps its first 36 and a hash of the whole, so two
 * long names that share a beginning still get two queues.
 */
export function jobsSchemaOf(storeSchema: string | undefined): string {
  if (storeSchema === undefined || storeSchema === 'public') return 'pgboss';
  const name = `${storeSchema}_jobs`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('sha256').update(storeSchema).digest('hex').slice(0, 8);
  return `${storeSchema.slice(0, 36)}_${hash}_jobs`;
}

const MAX_NAME = 50;
