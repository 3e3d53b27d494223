import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessOwner } from '../../src/process-owner.js';
import { openStore } from '../../src/store/open.js';
import { holdSessionLock, type SessionLock, sessionLockHolder } from '../../src/store/session-lock.js';
import type { Sql } from '../../src/store/sql.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';

/**
 * The session advisory lock that the instance lease and the Discord gateway leader stand on: one holder per
 * store and lock class, named to the others, freed when its connection ends however it ends. Each "process"
 * is a pool of its own on one schema. Always on PostgreSQL (SQLite has no such lock), whatever WATCHDESK_TEST_DB says.
 */
const CLASS = 0x77640f01;
const OTHER_CLASS = 0x77640f02;
const A: ProcessOwner = { host: 'host-a', pid: 101, startedAt: 1 };
const B: ProcessOwner = { host: "host-b's", pid: 202, startedAt: 2 };

const schema = pgTestSchema();
const otherSchema = pgTestSchema();
let a: Sql;
let b: Sql;
let elsewhere: Sql;
const held: SessionLock[] = [];

async function hold(sql: Sql, owner: ProcessOwner, lockClass = CLASS): Promise<SessionLock | null> {
  const lock = await holdSessionLock(sql, lockClass, owner);
  if (lock) held.push(lock);
  return lock;
}

beforeAll(async () => {
  a = await openStore(pgSchemaUrl(schema), { poolSize: 2 });
  b = await openStore(pgSchemaUrl(schema), { poolSize: 2 });
  elsewhere = await openStore(pgSchemaUrl(otherSchema), { poolSize: 2 });
});

afterAll(async () => {
  // A failed test may leave a lock held: its session is ended before the schema goes.
  for (const lock of held) await lock.release();
  for (const s of [a, b, elsewhere]) await s?.close();
  await dropPgSchema(schema);
  await dropPgSchema(otherSchema);
});

describe('holdSessionLock on PostgreSQL', () => {
  it('one holder per store and class, named to the others; released, the next one takes it', async () => {
    expect(await sessionLockHolder(b, CLASS)).toBeNull();
    const first = await hold(a, A);
    expect(first).not.toBeNull();
    expect(await hold(b, B)).toBeNull();
    expect(await sessionLockHolder(b, CLASS)).toBe('watchdesk pid 101 on host-a');
    // Another class, or the same class in another schema, is another lock.
    expect(await hold(b, B, OTHER_CLASS)).not.toBeNull();
    expect(await hold(elsewhere, B)).not.toBeNull();

    await first?.release();
    expect(first?.lost).toBe(true);
    const second = await hold(b, B);
    expect(second).not.toBeNull();
    // A quote in the host name is taken as text, not SQL.
    expect(await sessionLockHolder(a, CLASS)).toBe("watchdesk pid 202 on host-b's");
    await second?.release();
  });

  it('a holder whose connection the server ends loses the lock, says so, and another takes it', async () => {
    const lock = await hold(a, A);
    expect(lock).not.toBeNull();
    expect(await lock?.check(5_000)).toBe(true);
    const backend = await lock?.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // As a dead process's connection, or an administrator's kill: the session ends on the server.
    await b.run('SELECT pg_terminate_backend(?)', [backend?.rows[0]?.pid]);
    expect(await lock?.check(5_000)).toBe(false);
    expect(lock?.lost).toBe(true);
    const next = await hold(b, B);
    expect(next).not.toBeNull();
    expect(await sessionLockHolder(a, CLASS)).toBe("watchdesk pid 202 on host-b's");
    await next?.release();
    expect(await sessionLockHolder(a, CLASS)).toBeNull();
  });

  it('sets short server-side keepalives on the session, so a vanished host frees its lock in about 25 s', async () => {
    const lock = await hold(a, A);
    const settings = await lock?.client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name LIKE 'tcp_keepalives_%' ORDER BY name`,
    );
    expect(settings?.rows).toEqual([
      { name: 'tcp_keepalives_count', setting: '3' },
      { name: 'tcp_keepalives_idle', setting: '10' },
      { name: 'tcp_keepalives_interval', setting: '5' },
    ]);
    await lock?.release();
  });
});
