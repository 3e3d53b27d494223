/**
 * The instance lease on PostgreSQL: a session-level advisory lock (session-lock.ts) held on one connection
 * of its own for the bot's whole life. The lock is the truth: the server gives it to one session only, and releases it
 * when that connection ends, so a bot killed with SIGKILL (or its host gone) frees the store as soon as
 * the server sees its connection close, with no heartbeat to wait out. The lease row is still written,
 * only so that a refused second bot can say who holds the store.
 */
import type { ProcessOwner } from '../process-owner.js';
import { holdSessionLock, type SessionLock } from './session-lock.js';
import type { Sql } from './sql.js';

/**
 * The lease lock's advisory class; its other half is hashtext(current_schema()), so one lock per store
 * (database and schema). The write lock (postgres-driver.ts, WRITE_LOCK_CLASS) and the gateway leader's lock
 * (GATEWAY_LOCK_CLASS) use other classes.
 */
export const LEASE_LOCK_CLASS = 0x77640002;

interface Held {
  /** Its `lost` says the session ended (the server restarted or dropped it): the lock went with it. */
  lock: SessionLock;
  owner: ProcessOwner;
  acquiredAt: number;
}

/** Per store, the lease this process holds on it. */
const held = new WeakMap<Sql, Held>();

/** Takes the lock for `owner`: true when taken (the row written), false when another session holds it. */
export async function takePgLease(sql: Sql, owner: ProcessOwner, now: number): Promise<boolean> {
  if (held.has(sql)) throw new Error('takePgLease: this process already holds the lease on this store');
  const lock = await holdSessionLock(sql, LEASE_LOCK_CLASS, owner);
  if (!lock) return false;
  const h: Held = { lock, owner, acquiredAt: now };
  try {
    await writeRow(h, now);
  } catch (err) {
    await lock.release();
    throw err;
  }
  held.set(sql, h);
  return true;
}

/**
 * The heartbeat: rewrites the row's heartbeat on the lock's own connection. False when that connection
 * is gone, and with it the lock (another bot may hold it now); a failure the session survives throws.
 */
export async function renewPgLease(sql: Sql, owner: ProcessOwner, now: number): Promise<boolean> {
  const h = held.get(sql);
  if (!h || h.lock.lost || !sameOwner(h.owner, owner)) return false;
  try {
    await writeRow(h, now);
    return true;
  } catch (err) {
    if (h.lock.lost || connectionGone(err)) {
      await h.lock.release();
      return false;
    }
    throw err;
  }
}

/** Gives the lease up: the row deleted, then the connection ended, which releases the lock. */
export async function releasePgLease(sql: Sql, owner: ProcessOwner): Promise<void> {
  const h = held.get(sql);
  if (!h || !sameOwner(h.owner, owner)) return;
  held.delete(sql);
  try {
    if (!h.lock.lost) {
      await h.lock.client.query(
        'DELETE FROM instance_lease WHERE id = 1 AND host = $1 AND pid = $2 AND started_at = $3',
        [owner.host, owner.pid, owner.startedAt],
      );
    }
  } finally {
    await h.lock.release();
  }
}

/** The row says who: the last holder's own, with its heartbeat (rewritten while it holds the lock). */
async function writeRow(h: Held, now: number): Promise<void> {
  await h.lock.client.query(
    `INSERT INTO instance_lease (id, host, pid, started_at, acquired_at, heartbeat_at) VALUES (1, $1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
       acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
    [h.owner.host, h.owner.pid, h.owner.startedAt, h.acquiredAt, now],
  );
}

function sameOwner(a: ProcessOwner, b: ProcessOwner): boolean {
  return a.host === b.host && a.pid === b.pid && a.startedAt === b.startedAt;
}

/** A client-side error (no SQLSTATE), a connection exception (08…) or the server shutting it (57P…). */
function connectionGone(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || code.startsWith('08') || code.startsWith('57P');
}
