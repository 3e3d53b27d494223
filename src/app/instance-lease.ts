import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { isGone, type ProcessOwner, sameProcess, thisProcess } from '../process-owner.js';
import { type LeaseHolder, releaseLease, renewLease, takeLease, UNNAMED_HOLDER } from '../store/lease.js';
import type { Sql } from '../store/sql.js';

/** How often the running bot renews its lease. */
export const LEASE_HEARTBEAT_MS = 10_000;
/** A holder silent this long is taken over even when its process cannot be checked (another host). */
export const LEASE_STALE_MS = 60_000;

export interface InstanceLease {
  /** Called once if another bot takes the lease over (this one was silent too long): stop, or digests go out twice. */
  onLost(handler: () => void): void;
  release(): Promise<void>;
}

/**
 * Makes this process the one bot running on the database, or refuses with who holds it. Two bots
 * on one store would both compose and post every digest. On SQLite the lease is a row with a
 * heartbeat, so it survives a crash: a holder whose pid is gone from this host is taken over at once
 * (a restart right after a kill works), one on another host once its heartbeat is LEASE_STALE_MS old.
 * On PostgreSQL it is an advisory lock on a connection of its own, which the server frees when that
 * connection ends; the heartbeat then only keeps the "who" row fresh, and notices a lost connection.
 * Only `watchdesk start` takes it; other commands write beside the bot.
 */
export async function holdInstanceLease(
  db: Sql,
  p: { location: string; log: Logger; now?: () => number; owner?: ProcessOwner; heartbeatMs?: number },
): Promise<InstanceLease> {
  const now = p.now ?? Date.now;
  const owner = p.owner ?? thisProcess;
  const canTake = (held: LeaseHolder) =>
    sameProcess(held.owner, owner) || isGone(held.owner, owner) || held.heartbeatAt < now() - LEASE_STALE_MS;
  const holder = await takeLease(db, { owner, now: now(), canTake });
  if (holder) throw inUseError(db.dialect, p.location, holder, now());

  const handlers: Array<() => void> = [];
  let lost = false;
  // A heartbeat may wait behind a write transaction: one that answers after release() is no news.
  let released = false;
  const heartbeat = async () => {
    try {
      const renewed = await renewLease(db, owner, now());
      if (renewed || released || lost) return;
      lost = true;
      clearInterval(timer);
      p.log.error(LOST[db.dialect], { db: p.location, hint: LOST_HINT[db.dialect] });
      for (const handler of handlers) handler();
    } catch (err) {
      // A busy database delays one heartbeat; the lease goes stale only after several.
      if (!released) p.log.warn('could not renew the instance lease; trying again at the next heartbeat', { err });
    }
  };
  const timer = setInterval(() => void heartbeat(), p.heartbeatMs ?? LEASE_HEARTBEAT_MS);
  timer.unref();

  return {
    onLost: (handler) => {
      handlers.push(handler);
      if (lost) handler();
    },
    release: async () => {
      clearInterval(timer);
      released = true;
      // Also once lost: it deletes nothing another bot holds, and on PostgreSQL it ends the lease's connection.
      await releaseLease(db, owner);
    },
  };
}

const LOST = {
  sqlite: 'another watchdesk bot took over the database; stopping so that digests are not posted twice',
  postgres:
    'the connection that held the instance lease is gone, and the lease with it; stopping so that digests are not posted twice',
} as const;
const LOST_HINT = {
  sqlite: 'this bot missed its heartbeats (was it suspended?); run one bot per database',
  postgres: 'the PostgreSQL server restarted or dropped the connection; start the bot again',
} as const;

function inUseError(dialect: Sql['dialect'], location: string, holder: LeaseHolder, now: number): UserError {
  const { host, pid, startedAt } = holder.owner;
  const seen = Math.max(0, Math.round((now - holder.heartbeatAt) / 1000));
  const who =
    holder === UNNAMED_HOLDER
      ? 'another watchdesk bot (which has not written its pid and host yet)'
      : `another watchdesk bot: pid ${pid} on host ${host}, started at ${new Date(startedAt).toISOString()} (last heartbeat ${seen} s ago)`;
  const besides = 'Every other command, poll --once included, works beside the running bot.';
  return new UserError(
    'database_in_use',
    `the database ${location} is in use by ${who}`,
    dialect === 'postgres'
      ? `Stop that bot first, or give this one a store of its own (another database, or another ?schema= in WATCHDESK_DB). ${besides}`
      : `Stop that bot first, or give this one its own database with WATCHDESK_DB. ${besides} See "One bot per database" in the README.`,
  );
}
