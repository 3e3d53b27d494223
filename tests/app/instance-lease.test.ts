import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { holdInstanceLease, type InstanceLease, LEASE_STALE_MS } from '../../src/app/instance-lease.js';
import { UserError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { ProcessOwner } from '../../src/process-owner.js';
import { type Db, openDb } from '../../src/store/db.js';
import { currentLease } from '../../src/store/lease.js';
import { sqlOf } from '../../src/store/sql.js';
import { tempDb } from '../helpers/db.js';
import { until } from '../helpers/wait.js';

const T0 = Date.parse('2026-03-02T12:00:00Z');
/** A bot that runs on this host: the test runner's parent process stands in for it. */
const running: ProcessOwner = { host: hostname(), pid: process.ppid, startedAt: T0 - 60_000 };

/** Issue 7 item 2: one bot per database, held by a lease row that survives a crash. */
describe('the instance lease', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  let other: Db | undefined;
  const held: InstanceLease[] = [];
  afterEach(async () => {
    for (const lease of held.splice(0)) await lease.release();
    other?.close();
    t?.close();
  });

  const hold = async (db: Db, owner: ProcessOwner, now = T0) => {
    const lease = await holdInstanceLease(sqlOf(db), {
      location: 'data/watchdesk.db',
      log: silentLogger,
      owner,
      now: () => now,
    });
    held.push(lease);
    return lease;
  };

  it('refuses a second bot with who holds the database and what to do', async () => {
    t = tempDb();
    other = openDb(t.file);
    await hold(t.db, running);
    const second: ProcessOwner = { host: hostname(), pid: process.pid, startedAt: T0 };
    let err: unknown;
    try {
      await hold(other, second, T0 + 5_000);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('database_in_use');
    expect((err as UserError).message).toBe(
      `the database data/watchdesk.db is in use by another watchdesk bot: pid ${process.ppid} on host ${hostname()}, ` +
        `started at ${new Date(T0 - 60_000).toISOString()} (last heartbeat 5 s ago)`,
    );
    expect((err as UserError).hint).toMatch(/^Stop that bot first, .*WATCHDESK_DB.*"One bot per database"/);
    expect((await currentLease(t.sql))?.owner).toEqual(running);
  });

  it('takes over at once from a bot whose process is gone from this host', async () => {
    t = tempDb();
    const crashed: ProcessOwner = { host: hostname(), pid: spawnSync(process.execPath, ['-e', '']).pid, startedAt: 1 };
    await hold(t.db, crashed);
    await hold(t.db, running, T0 + 1);
    expect((await currentLease(t.sql))?.owner).toEqual(running);
  });

  it('waits for a bot on another host to be silent for LEASE_STALE_MS', async () => {
    t = tempDb();
    await hold(t.db, { host: 'another-host', pid: 4242, startedAt: 1 });
    await expect(hold(t!.db, running, T0 + LEASE_STALE_MS)).rejects.toThrow(/pid 4242 on host another-host/);
    await hold(t.db, running, T0 + LEASE_STALE_MS + 1);
    expect((await currentLease(t.sql))?.owner).toEqual(running);
  });

  it('is free again once released; a bot whose lease was taken over hears of it', async () => {
    t = tempDb();
    await (await hold(t.db, running)).release();
    expect(await currentLease(t.sql)).toBeUndefined();

    const first = await holdInstanceLease(t.sql, {
      location: 'x.db',
      log: silentLogger,
      owner: running,
      heartbeatMs: 20,
    });
    held.push(first);
    let lost = false;
    first.onLost(() => {
      lost = true;
    });
    // As if this bot had been suspended past LEASE_STALE_MS and another took the database over.
    await hold(t.db, { host: 'another-host', pid: 7, startedAt: 7 }, Date.now() + LEASE_STALE_MS + 1);
    expect(await until(() => lost, 5_000)).toBe(true);
    await first.release();
    expect((await currentLease(t.sql))?.owner.host).toBe('another-host');
  });
});
