/**
 * Which store a benchmark runs on: SQLite (the default, a file under bench/.cache/) or PostgreSQL, chosen
 * with `--db postgres://…` or `--store postgres` (the local test server). A PostgreSQL run keeps its tables
 * in a schema of its own (`?schema=`), so it never touches another store in the same database, and the
 * benchmark drops that schema afterwards unless it is a cache meant to be reused (pg-copy.ts).
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { isDbUrl, redactDbUrl } from '../../src/db-url.js';
import { parseDbUrl } from '../../src/store/pg-url.js';
import { argValue } from '../data.js';

/** The server the tests use (trust auth, database `test`): what `--store postgres` means. */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type Backend = { kind: 'sqlite' } | { kind: 'postgres'; url: string };

/** `--db URL` (a postgres:// URL) or `--store sqlite|postgres`; SQLite when neither is given. */
export function backendOf(args: string[]): Backend {
  const db = argValue(args, '--db');
  const store = argValue(args, '--store');
  if (db !== undefined) {
    if (!isDbUrl(db)) throw new Error(`--db takes a postgres://user@host:port/database URL, not ${redactDbUrl(db)}`);
    if (new URL(db).searchParams.has('schema')) {
      throw new Error('--db: leave ?schema= out of the URL; the benchmark makes a schema of its own and drops it');
    }
    return { kind: 'postgres', url: db };
  }
  if (store === undefined || store === 'sqlite') return { kind: 'sqlite' };
  if (store === 'postgres') return { kind: 'postgres', url: DEFAULT_PG_URL };
  throw new Error(`--store takes sqlite or postgres, not "${store}"`);
}

/** `url` with `?schema=NAME` and an application name (which serverCpu finds its connections by). */
export function schemaUrl(url: string, schema: string, app = schema): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  u.searchParams.set('application_name', app);
  return u.toString();
}

/** Runs `fn` with one connection to the store at `url` (its ?schema= as the search_path), closed after. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: parseDbUrl(url).connectionString });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops the schema and everything in it (the name is the benchmark's own, a plain identifier). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${plain(schema)}" CASCADE`));
}

export function plain(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain PostgreSQL name: ${name}`);
  return name;
}

/** "PostgreSQL 15.20 at postgres://postgres@127.0.0.1:5432/test (shared_buffers 128MB, fsync on, …)" */
export async function serverLine(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const v = await c.query<{ server_version: string }>('SHOW server_version');
    const settings = await c.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('shared_buffers', 'work_mem', 'fsync', 'synchronous_commit', 'jit') ORDER BY name`,
    );
    const shown = settings.rows.map((s) => `${s.name} ${s.setting}${s.unit ? ` × ${s.unit}` : ''}`).join(', ');
    return `PostgreSQL ${v.rows[0]?.server_version} at ${redactDbUrl(url)} (${shown})`;
  });
}

/**
 * CPU time of the server processes that serve connections named `app` (PostgreSQL runs on this machine;
 * each connection is a process of its own), so that the CPU a PostgreSQL run moves out of the benchmark's
 * process is counted too. The pool closes idle connections, so their processes are sampled every
 * `everyMs` and a process keeps the last time read; what one spent after its last sample is missed. Start it
 * once the store is open; `stop` gives the milliseconds spent since.
 */
export async function serverCpu(url: string, app: string, everyMs = 200): Promise<{ stop(): Promise<number> }> {
  const seen = new Map<number, number>();
  // What the connections open at the start had spent before it (opening the store, migrating) is not counted.
  const before = new Map<number, number>();
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  let stopped = false;
  const sample = async (): Promise<void> => {
    const pids = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
      app,
    ]);
    for (const { pid } of pids.rows) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) seen.set(pid, ms);
    }
  };
  await client.connect();
  await sample();
  for (const [pid, ms] of seen) before.set(pid, ms);
  const loop = (async () => {
    while (!stopped) {
      await sample();
      await new Promise((r) => setTimeout(r, everyMs));
    }
    await sample();
    await client.end();
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return [...seen].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);
    },
  };
}

const TICKS_PER_SEC = 100;

/** utime + stime of a process in ms, from /proc (undefined once it has ended). */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SEC;
  } catch {
    return undefined;
  }
}
