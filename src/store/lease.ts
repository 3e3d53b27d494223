/**
 * The instance lease: one row naming the bot that runs on this database (see app/instance-lease.ts
 * for the rules on taking it over). On SQLite the row with its heartbeat is the lease. On PostgreSQL
 * the same functions hold a session-level advisory lock (pg-lease.ts), and the row only says who.
 */
import type { ProcessOwner } from '../process-owner.js';
import { releasePgLease, renewPgLease, takePgLease } from './pg-lease.js';
import type { Sql } from './sql.js';

export interface LeaseHolder {
  owner: ProcessOwner;
  acquiredAt: number;
  heartbeatAt: number;
}

/**
 * Takes the lease for `owner` when nobody holds it or `canTake` says the holder may be replaced.
 * Returns null when taken, else the holder that keeps it. On PostgreSQL only the lock decides: a
 * holder whose session is gone has lost it already, so `canTake` is not asked.
 */
export async function takeLease(
  sql: Sql,
  p: { owner: ProcessOwner; now: number; canTake: (holder: LeaseHolder) => boolean },
): Promise<LeaseHolder | null> {
  if (sql.dialect === 'postgres') {
    if (await takePgLease(sql, p.owner, p.now)) return null;
    return lockHolder(sql);
  }
  return sql.write(async () => {
    const holder = await currentLease(sql);
    if (holder && !p.canTake(holder)) return holder;
    await sql.run(
      `INSERT INTO instance_lease (id, host, pid, started_at, acquired_at, heartbeat_at)
       VALUES (1, @host, @pid, @startedAt, @now, @now)
       ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
         acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
      { ...p.owner, now: p.now },
    );
    return null;
  });
}

/** The heartbeat; false when `owner` no longer holds the lease (another bot took it over). */
export async function renewLease(sql: Sql, owner: ProcessOwner, now: number): Promise<boolean> {
  if (sql.dialect === 'postgres') return renewPgLease(sql, owner, now);
  const { changes } = await sql.run(
    'UPDATE instance_lease SET heartbeat_at = @now WHERE id = 1 AND host = @host AND pid = @pid AND started_at = @startedAt',
    { ...owner, now },
  );
  return changes > 0;
}

/** Gives the lease up, if `owner` still holds it. */
export async function releaseLease(sql: Sql, owner: ProcessOwner): Promise<void> {
  if (sql.dialect === 'postgres') return releasePgLease(sql, owner);
  await sql.run('DELETE FROM instance_lease WHERE id = 1 AND host = @host AND pid = @pid AND started_at = @startedAt', {
    ...owner,
  });
}

export async function currentLease(sql: Sql): Promise<LeaseHolder | undefined> {
  const row = await sql.get<{ host: string; pid: number; startedAt: number; acquiredAt: number; heartbeatAt: number }>(
    `SELECT host, pid, started_at AS "startedAt", acquired_at AS "acquiredAt", heartbeat_at AS "heartbeatAt"
     FROM instance_lease WHERE id = 1`,
  );
  if (!row) return undefined;
  return {
    owner: { host: row.host, pid: row.pid, startedAt: row.startedAt },
    acquiredAt: row.acquiredAt,
    heartbeatAt: row.heartbeatAt,
  };
}

/**
 * The holder of a PostgreSQL lease lock, from its row. A bot writes its row just after it takes the
 * lock, so a missing row is waited for a little; should it stay missing, the holder is UNNAMED_HOLDER.
 */
async function lockHolder(sql: Sql): Promise<LeaseHolder> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const holder = await currentLease(sql);
    if (holder) return holder;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return UNNAMED_HOLDER;
}

/** A PostgreSQL lease lock held by a session that has not written who it is. */
export const UNNAMED_HOLDER: LeaseHolder = Object.freeze({
  owner: Object.freeze({ host: 'unknown', pid: 0, startedAt: 0 }),
  acquiredAt: 0,
  heartbeatAt: 0,
});
