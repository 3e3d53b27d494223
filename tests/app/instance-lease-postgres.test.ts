/**
 * The instance lease on PostgreSQL (issue 16): a session-level advisory lock on a connection of its own, one per
 * store (database and schema), with the lease row saying who holds it. Always on PostgreSQL (127.0.0.1:5432,
 * database test; see .ci/run); the SQLite lease row and its takeover rules are in instance-lease.test.ts.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { holdInstanceLease, type InstanceLease } from '../../src/app/instance-lease.js';
import { UserError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { ProcessOwner } from '../../src/process-owner.js';
import { currentLease } from '../../src/store/lease.js';
import { openStore } from '../../src/store/open.js';
import { LEASE_LOCK_CLASS } from '../../src/store/pg-lease.js';
import type { Sql } from '../../src/store/sql.js';
import { dropPgSchema, PG_TEST_URL, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';
import { until } from '../helpers/wait.js';

const T0 = Date.parse('2026-03-02T12:00:00Z');
const BOT_A: ProcessOwner = { host: hostname(), pid: 4101, startedAt: T0 - 60_000 };
const BOT_B: ProcessOwner = { host: 'another-host', pid: 4202, startedAt: T0 };

describe('the instance lease on PostgreSQL', () => {
  const schemas = [pgTestSchema(), pgTestSchema()];
  const open: Sql[] = [];
  const held: InstanceLease[] = [];
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
  });
  afterEach(async () => {
    for (const lease of held.splice(0)) await lease.release();
    for (const sql of open.splice(0)) await sql.close();
  });
  afterAll(async () => {
    await admin?.end();
    for (const schema of schemas) await dropPgSchema(schema);
  });

  /** A process's own pool on the store in `schema`, as each bot holds one. */
  const store = async (schema = schemas[0]!) => {
    const sql = await openStore(pgSchemaUrl(schema));
    open.push(sql);
    return sql;
  };
  const hold = async (sql: Sql, owner: ProcessOwner, heartbeatMs?: number) => {
    const lease = await holdInstanceLease(sql, {
      location: sql.location,
      log: silentLogger,
      owner,
      now: () => T0,
      ...(heartbeatMs ? { heartbeatMs } : {}),
    });
    held.push(lease);
    return lease;
  };
  /** The backends holding the lease lock of `schema`. */
  const lockHolders = async (schema = schemas[0]!) =>
    (
      await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::bigint::oid AND objid = hashtext($2)::oid",
        [LEASE_LOCK_CLASS, schema],
      )
    ).rows.map((r) => r.pid);

  it('refuses a second bot with who holds the store, and what to do on PostgreSQL', async () => {
    const a = await store();
    await hold(a, BOT_A);
    expect(await lockHolders()).toHaveLength(1);
    const b = await store();
    const err = await hold(b, BOT_B).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('database_in_use');
    expect((err as UserError).message).toBe(
      `the database ${a.location} is in use by another watchdesk bot: pid 4101 on host ${hostname()}, ` +
        `started at ${new Date(T0 - 60_000).toISOString()} (last heartbeat 0 s ago)`,
    );
    expect((err as UserError).hint).toMatch(/^Stop that bot first, or give this one a store of its own .*\?schema=/);
    expect((await currentLease(b))?.owner).toEqual(BOT_A);
    // The refused bot keeps no connection of its own to the lock.
    expect(await lockHolders()).toHaveLength(1);
  });

  it('is free again once released: the lock gone and the row deleted', async () => {
    const a = await store();
    await (await hold(a, BOT_A)).release();
    expect(await lockHolders()).toEqual([]);
    expect(await currentLease(a)).toBeUndefined();
    const b = await store();
    await hold(b, BOT_B);
    expect((await currentLease(a))?.owner).toEqual(BOT_B);
  });

  it('is one lock per store: bots on two schemas of one database both run', async () => {
    await hold(await store(schemas[0]), BOT_A);
    await hold(await store(schemas[1]), BOT_B);
    expect(await lockHolders(schemas[0])).toHaveLength(1);
    expect(await lockHolders(schemas[1])).toHaveLength(1);
  });

  it('a bot whose lease connection the server ends hears of it, and another bot takes the store', async () => {
    const a = await store();
    const first = await hold(a, BOT_A, 20);
    let lost = false;
    first.onLost(() => {
      lost = true;
    });
    const [pid] = await lockHolders();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(await until(() => lost, 5_000)).toBe(true);
    expect(await lockHolders()).toEqual([]);
    await hold(await store(), BOT_B);
    expect((await currentLease(a))?.owner).toEqual(BOT_B);
  });
});
