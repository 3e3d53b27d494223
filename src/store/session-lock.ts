/**
 * A PostgreSQL session-level advisory lock held on a connection of its own: what makes one process the
 * holder of something among all that share a store (the instance lease, pg-lease.ts; the Discord gateway
 * leader, app/gateway-leader.ts). The server gives the lock to one session only and frees it when that
 * session ends, so a holder killed with SIGKILL loses it as soon as the server sees its connection close.
 * A host that vanishes without closing its connection is found out by the server's TCP keepalives, which
 * each lock session sets short (KEEPALIVE), instead of the operating system's two hours.
 */
import type pg from 'pg';
import type { ProcessOwner } from '../process-owner.js';
import { openSession } from './postgres-driver.js';
import type { Sql } from './sql.js';

export interface SessionLock {
  /** The lock's own connection, for statements that must run in its session (the lease's row). */
  readonly client: pg.Client;
  /** True once the connection has ended, or stopped answering check(): the lock is gone (or going) with it. */
  readonly lost: boolean;
  /**
   * Asks the connection whether it is still there (SELECT 1); false, and `lost` from then on, when it ended
   * or did not answer within `timeoutMs` (then it is ended, so that the server frees the lock).
   */
  check(timeoutMs: number): Promise<boolean>;
  /** Ends the connection, which frees the lock. */
  release(): Promise<void>;
}

/**
 * Server-side TCP keepalives on a lock's session (seconds): a silent peer is probed after 10 s and dropped
 * after 3 unanswered probes 5 s apart, so a lock whose host is gone frees in about 25 s.
 */
const KEEPALIVE = { idle: 10, interval: 5, count: 3 };

/**
 * Takes the lock (lockClass, hashtext(current_schema())) of the store `sql` on a new session: the lock,
 * or null when another session holds it (the session is then ended). The session's application_name says
 * who holds it (holderName), so that sessionLockHolder can tell the others.
 */
export async function holdSessionLock(sql: Sql, lockClass: number, owner: ProcessOwner): Promise<SessionLock | null> {
  const key = `${checkedClass(lockClass)}, hashtext(current_schema())`;
  const client = await openSession(sql);
  try {
    await client.query(
      `SET application_name = ${literal(holderName(owner))}; SET tcp_keepalives_idle = ${KEEPALIVE.idle};
       SET tcp_keepalives_interval = ${KEEPALIVE.interval}; SET tcp_keepalives_count = ${KEEPALIVE.count}`,
    );
    const got = await client.query<{ got: number }>(`SELECT pg_try_advisory_lock(${key}) AS got`);
    if (got.rows[0]?.got !== 1) {
      await client.end();
      return null;
    }
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return heldLock(client);
}

/**
 * Who holds the lock of `lockClass` on this store, as its session names itself ("watchdesk pid … on …"), or
 * null when nobody does. A session of another role may show no name to a role without pg_read_all_stats:
 * then "another session".
 */
export async function sessionLockHolder(sql: Sql, lockClass: number): Promise<string | null> {
  const row = await sql.get<{ name: string | null }>(
    `SELECT a.application_name AS name FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = ${checkedClass(lockClass)}::oid AND l.objid = hashtext(current_schema())::oid`,
  );
  if (!row) return null;
  return row.name || 'another session';
}

/** How a lock's session names its holder (application_name, which the server cuts at 63 bytes). */
export function holderName(owner: ProcessOwner): string {
  return `watchdesk pid ${owner.pid} on ${owner.host}`;
}

function heldLock(client: pg.Client): SessionLock {
  let lost = false;
  client.on('end', () => {
    lost = true;
  });
  // A connection to a host that is gone may never finish closing: the lock is freed by the server anyway.
  const end = () => Promise.race([client.end().catch(() => {}), new Promise((r) => setTimeout(r, 2_000).unref())]);
  return {
    client,
    get lost() {
      return lost;
    },
    async check(timeoutMs) {
      if (lost) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const answered = client.query('SELECT 1').then(
        () => true,
        () => false,
      );
      const ok = await Promise.race([answered, timeUp]).finally(() => clearTimeout(timer));
      if (ok && !lost) return true;
      lost = true;
      void end();
      return false;
    },
    async release() {
      lost = true;
      await end();
    },
  };
}

/** The lock's first key, written into the SQL: a whole number pg_locks shows as is (a positive int4). */
function checkedClass(lockClass: number): number {
  if (!Number.isInteger(lockClass) || lockClass < 0 || lockClass > 0x7fffffff) {
    throw new Error(`session lock class ${lockClass} is not a positive int4`);
  }
  return lockClass;
}

/** A string as an SQL literal: SET takes no parameters, and a host name is not ours to trust. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
