/**
 * One instance holds the Discord gateway at a time. Discord sends each interaction to every gateway session
 * of a bot, so two instances connected at once would both answer every /digest. On PostgreSQL, where several
 * instances may share the store, the leader is the instance holding a session advisory lock
 * (store/session-lock.ts) of its own class; the others try again every few seconds, so when the leader dies
 * (and its connection with it) another connects within seconds. Digests never wait for the gateway: every
 * instance posts them over REST. On SQLite there is one instance, and it always leads.
 */
import type { Logger } from '../log.js';
import { type ProcessOwner, thisProcess } from '../process-owner.js';
import { holderName, holdSessionLock, type SessionLock, sessionLockHolder } from '../store/session-lock.js';
import type { Sql } from '../store/sql.js';

/** The gateway leader's advisory lock class (the lease's is 0x77640002, the write lock's 0x77640001). */
export const GATEWAY_LOCK_CLASS = 0x77640003;
/** How often a follower tries to lead, and the leader checks that its lock's connection still answers. */
export const LEADER_RETRY_MS = 5_000;

/** What the leader runs: the gateway, stopped when leadership is lost or the bot stops. */
export interface Led {
  stop(): Promise<void>;
}

export interface Leadership {
  /** Stops the gateway (when this instance leads) and gives the lock up. */
  stop(): Promise<void>;
}

export interface LeaderOptions {
  log: Logger;
  /** Starts what only the leader runs. */
  lead: () => Promise<Led>;
  owner?: ProcessOwner;
  retryMs?: number;
}

/** Starts the election on `db`'s store; on SQLite this instance leads at once. */
export async function leadGateway(db: Sql, opts: LeaderOptions): Promise<Leadership> {
  if (db.dialect === 'sqlite') {
    const led = await opts.lead();
    return { stop: () => led.stop() };
  }
  const election = new Election(db, opts);
  await election.step();
  return { stop: () => election.stop() };
}

/**
 * The PostgreSQL election: one step at a time (take the lock, or check it), each scheduled after the one
 * before has finished, so a slow server never piles steps up.
 */
class Election {
  private lock: SessionLock | null = null;
  private led: Led | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  /** The last leader said to the log (so each change is said once), and the last failure to try. */
  private saidLeader: string | null = null;
  private saidFailure: string | null = null;
  private readonly owner: ProcessOwner;
  private readonly log: Logger;

  constructor(
    private readonly db: Sql,
    private readonly opts: LeaderOptions,
  ) {
    this.owner = opts.owner ?? thisProcess;
    this.log = opts.log.child({ component: 'discord-leader' });
  }

  step(): Promise<void> {
    this.running = this.running.then(() => this.once()).finally(() => this.schedule());
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.led?.stop();
    await this.lock?.release();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.step(), this.opts.retryMs ?? LEADER_RETRY_MS);
    this.timer.unref();
  }

  private async once(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.lock) await this.checkLead(this.lock);
      else await this.tryToLead();
      this.saidFailure = null;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (reason !== this.saidFailure) {
        this.log.warn('could not run the Discord gateway election; trying again', { reason });
      }
      this.saidFailure = reason;
    }
  }

  private async tryToLead(): Promise<void> {
    const lock = await holdSessionLock(this.db, GATEWAY_LOCK_CLASS, this.owner);
    if (!lock) return this.sayLeader((await sessionLockHolder(this.db, GATEWAY_LOCK_CLASS)) ?? 'nobody');
    this.lock = lock;
    this.sayLeader(holderName(this.owner), true);
    try {
      this.led = await this.opts.lead();
    } catch (err) {
      // Leading without a gateway would keep every other instance from connecting one.
      this.lock = null;
      await lock.release();
      throw err;
    }
  }

  private async checkLead(lock: SessionLock): Promise<void> {
    if (await lock.check(this.opts.retryMs ?? LEADER_RETRY_MS)) return;
    this.log.warn(
      'this instance no longer leads the Discord gateway: the PostgreSQL connection holding its lock is gone; disconnecting, and trying to lead again',
      { host: this.owner.host, pid: this.owner.pid },
    );
    this.saidLeader = null;
    this.lock = null;
    const led = this.led;
    this.led = null;
    await led?.stop();
  }

  private sayLeader(leader: string, self = false): void {
    if (leader === this.saidLeader) return;
    this.saidLeader = leader;
    if (self) {
      this.log.info('this instance leads the Discord gateway: connecting', {
        host: this.owner.host,
        pid: this.owner.pid,
      });
    } else if (leader === 'nobody') {
      this.log.info('no instance leads the Discord gateway yet; trying to lead again shortly');
    } else {
      this.log.info('another instance leads the Discord gateway; this one posts digests over REST and stands by', {
        leader,
      });
    }
  }
}
