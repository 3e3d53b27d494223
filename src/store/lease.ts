/**
 * The instance lease: one row naming the bot that runs on this database (see app/instance-lease.ts
 * for the rules on taking it over).
 */
import type { ProcessOwner } from '../process-owner.js';
import { type Db, writeTransaction } from './db.js';

export interface LeaseHolder {
  owner: ProcessOwner;
  acquiredAt: number;
  heartbeatAt: number;
}

/**
 * Takes the lease for `owner` when nobody holds it or `canTake` says the holder may be replaced.
 * Returns null when taken, else the holder that keeps it.
 */
export function takeLease(
  db: Db,
  p: { owner: ProcessOwner; now: number; canTake: (holder: LeaseHolder) => boolean },
): LeaseHolder | null {
  return writeTransaction(db, () => {
    const holder = currentLease(db);
    if (holder && !p.canTake(holder)) return holder;
    db.prepare(
      `INSERT INTO instance_lease (id, host, pid, started_at, acquired_at, heartbeat_at)
       VALUES (1, @host, @pid, @startedAt, @now, @now)
       ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
         acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
    ).run({ ...p.owner, now: p.now });
    return null;
  });
}

/** The heartbeat; false when `owner` no longer holds the lease (another bot took it over). */
export function renewLease(db: Db, owner: ProcessOwner, now: number): boolean {
  return (
    db
      .prepare(
        'UPDATE instance_lease SET heartbeat_at = @now WHERE id = 1 AND host = @host AND pid = @pid AND started_at = @startedAt',
      )
      .run({ ...owner, now }).changes > 0
  );
}

/** Gives the lease up, if `owner` still holds it. */
export function releaseLease(db: Db, owner: ProcessOwner): void {
  db.prepare('DELETE FROM instance_lease WHERE id = 1 AND host = @host AND pid = @pid AND started_at = @startedAt').run(
    owner,
  );
}

export function currentLease(db: Db): LeaseHolder | undefined {
  const row = db
    .prepare(
      `SELECT host, pid, started_at AS startedAt, acquired_at AS acquiredAt, heartbeat_at AS heartbeatAt
       FROM instance_lease WHERE id = 1`,
    )
    .get() as { host: string; pid: number; startedAt: number; acquiredAt: number; heartbeatAt: number } | undefined;
  if (!row) return undefined;
  return {
    owner: { host: row.host, pid: row.pid, startedAt: row.startedAt },
    acquiredAt: row.acquiredAt,
    heartbeatAt: row.heartbeatAt,
  };
}
