import type { ScheduledTask } from 'node-cron';
import { type ChatSenders, TOKEN_VARIABLE } from '../chat/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/load.js';
import { type DeliverDeps, deliverPending } from '../delivery/outbox.js';
import type { PollDeps } from '../feeds/poller.js';
import type { Logger } from '../log.js';
import { type DigestDeps, type RunResult, runSubscription } from '../pipeline/digests.js';
import { type IngestDeps, retryUnfinished } from '../pipeline/ingest.js';
import { pollAndIngest } from '../pipeline/poll-cycle.js';
import { nextRunAfter, parseSchedule, type Schedule } from '../schedule/schedule.js';
import type { Db } from '../store/db.js';
import { dueFeeds, nextPollAt } from '../store/feeds.js';
import { pruneStoryBuckets } from '../store/stories.js';
import {
  getSubscription,
  instantSubscriptionsBehind,
  listSubscriptions,
  type SubscriptionRow,
} from '../store/subscriptions.js';
import { scheduleDigestCron } from './cron.js';

/** What the scheduler runs, and when it is: the pipeline's deps, built by app/. */
export interface SchedulerDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  senders: ChatSenders;
  config: Pick<Config, 'stories'>;
  pollDeps: PollDeps;
  ingestDeps: IngestDeps;
  digestDeps: DigestDeps;
  deliverDeps: DeliverDeps;
}

export interface Scheduler {
  /** Re-reads subscriptions (command-created ones appear at run time) and (re)creates cron jobs. */
  refresh(): void;
  /** Runs the delivery loop now instead of at its next tick. */
  kickDelivery(): void;
  /**
   * Stops every job and aborts in-flight polls, then waits for the poll cycle and the delivery in
   * flight, at most `graceMs` (default: as long as they take). False when that time ran out; the
   * outbox resumes whatever was cut short at the next start.
   */
  stop(opts?: { graceMs?: number }): Promise<boolean>;
}

export interface SchedulerOptions {
  /** Longest sleep between checks for due feeds. */
  maxPollSleepMs?: number;
  deliveryTickMs?: number;
  /** How often instant subscriptions are checked for stories announced by any process. */
  instantTickMs?: number;
  refreshTickMs?: number;
}

const DAY = 86_400_000;

/**
 * Wires the long-running jobs: per-feed polling at each feed's own interval, one node-cron job
 * per digest subscription in its own time zone (no overlap), instant subscriptions after each
 * poll cycle and at every tick (stories another process announced), the delivery loop, and
 * housekeeping. A missed digest is caught up once at start.
 */
export function startScheduler(app: SchedulerDeps, opts: SchedulerOptions = {}): Scheduler {
  const log = app.log.child({ component: 'scheduler' });
  const tasks = new Map<number, { key: string; task: ScheduledTask }>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let delivering: Promise<void> | null = null;
  let polling: Promise<void> | null = null;
  const warnedNoToken = new Set<number>();

  const deliver = async () => {
    if (delivering || stopped) return;
    delivering = (async () => {
      try {
        // A delivery that confirms parts can free an instant subscription that was busy when its
        // stories were announced; compose for it now instead of waiting for the next announcement.
        for (let round = 0; round < 5 && !stopped; round++) {
          const r = await deliverPending(app.deliverDeps);
          if (r.sent + r.failed + r.dead > 0) log.info('delivery pass', r);
          if (r.sent === 0 || !runInstant('after delivery')) break;
        }
      } catch (err) {
        log.error('delivery pass failed', { err });
      } finally {
        delivering = null;
      }
    })();
    await delivering;
  };

  const runSub = (sub: SubscriptionRow, why: string): RunResult['status'] | 'no_token' | 'paused' | 'failed' => {
    // Its channel is gone or the bot lost access: nothing is composed until a person resumes it (the pause
    // was logged once when it happened), so the cursor stays and no story is lost.
    if (sub.pausedReason) return 'paused';
    if (!app.senders[sub.platform]) {
      // Nothing is composed, so the cursor stays and the stories wait for the token. Said once per
      // subscription, not at every poll or schedule.
      if (!warnedNoToken.has(sub.id)) {
        warnedNoToken.add(sub.id);
        log.warn('subscription waits: no chat token for its platform', {
          subscription: sub.id,
          platform: sub.platform,
          hint: `set ${TOKEN_VARIABLE[sub.platform] ?? 'its token'} and restart`,
        });
      }
      return 'no_token';
    }
    try {
      const r = runSubscription(app.digestDeps, sub);
      log.debug('subscription run', { subscription: sub.id, why, status: r.status });
      if (r.status === 'enqueued') void deliver();
      return r.status;
    } catch (err) {
      log.error('subscription run failed', { subscription: sub.id, err });
      return 'failed';
    }
  };

  /**
   * Runs every instant subscription with stories announced past what it was offered, whichever
   * process announced them (see instantSubscriptionsBehind); true when one was enqueued.
   */
  const runInstant = (why: 'instant' | 'catch-up' | 'after delivery' | 'tick'): boolean => {
    let enqueued = false;
    for (const sub of instantSubscriptionsBehind(app.db)) {
      if (runSub(sub, why) === 'enqueued') enqueued = true;
    }
    return enqueued;
  };

  const polls = new AbortController();
  const pollCycle = { pollDeps: { ...app.pollDeps, signal: polls.signal }, ingestDeps: app.ingestDeps, log: app.log };
  const pollLoop = async () => {
    while (!stopped) {
      // Feed problems never throw (they are report rows); this catches the store itself failing
      // (disk full, a lock held too long), so that one bad cycle does not end polling for good.
      try {
        const due = dueFeeds(app.db, app.clock.now());
        if (due.length > 0) {
          const reports = await pollAndIngest(pollCycle, due);
          if (stopped) break;
          // Items an earlier pass (here or in another process) left unfinished get another go.
          const retried = await retryUnfinished(app.ingestDeps);
          const announced = reports.reduce((n, r) => n + r.announced, 0);
          if (announced > 0 || retried.finished > 0) runInstant('instant');
        }
      } catch (err) {
        if (stopped) break; // an aborted poll at shutdown
        log.error('poll cycle failed; trying again at the next interval', { err });
      }
      if (stopped) break;
      await sleep(untilNextPoll(app, opts.maxPollSleepMs ?? 60_000));
    }
  };

  // The poll loop's sleep ends early on stop(), so shutdown never waits out a long interval.
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        wake = null;
        resolve();
      }, ms);
      timers.add(t);
      wake = () => {
        clearTimeout(t);
        timers.delete(t);
        resolve();
      };
    });

  const every = (ms: number, fn: () => void) => {
    const t = setInterval(fn, ms);
    timers.add(t);
  };

  /** Null (said once) for a stored schedule this runtime cannot read, e.g. a zone its ICU lacks. */
  const badSchedules = new Set<string>();
  const scheduleOf = (sub: SubscriptionRow): Schedule | null => {
    try {
      return parseSchedule(sub.schedule, sub.timezone);
    } catch (err) {
      const key = `${sub.id}|${sub.schedule}|${sub.timezone}`;
      if (!badSchedules.has(key)) {
        badSchedules.add(key);
        log.error('subscription has an unusable schedule; it will not run', { subscription: sub.id, err });
      }
      return null;
    }
  };

  const refresh = () => {
    const subs = listSubscriptions(app.db, { activeOnly: true }).filter((s) => s.mode === 'digest');
    const live = new Set(subs.map((s) => s.id));
    for (const [id, entry] of tasks) {
      if (!live.has(id)) {
        void entry.task.destroy();
        tasks.delete(id);
      }
    }
    for (const sub of subs) {
      const key = `${sub.schedule}|${sub.timezone}`;
      const existing = tasks.get(sub.id);
      if (existing?.key === key) continue;
      if (existing) void existing.task.destroy();
      const sched = scheduleOf(sub);
      if (!sched) continue;
      const task = scheduleDigestCron({
        cron: sched.cron,
        timezone: sched.timezone,
        name: `digest-${sub.id}`,
        fire: () => {
          const fresh = getSubscription(app.db, sub.id);
          if (fresh?.active) runSub(fresh, 'schedule');
        },
      });
      tasks.set(sub.id, { key, task });
    }
  };

  // Catch-up: a digest that fell due while the bot was down is sent once now, not once per missed slot.
  for (const sub of listSubscriptions(app.db, { activeOnly: true })) {
    const sched = sub.mode === 'digest' ? scheduleOf(sub) : null;
    if (!sched) continue;
    const last = sub.lastRunAt ?? sub.createdAt;
    const due = nextRunAfter(sched, last);
    if (due !== null && due <= app.clock.now()) {
      log.info('catching up a missed digest', { subscription: sub.id, dueAt: new Date(due).toISOString() });
      runSub(sub, 'catch-up');
    }
  }
  // Stories announced while the bot was down (by `watchdesk poll`) reach instant channels now.
  runInstant('catch-up');

  refresh();
  polling = pollLoop().catch((err) => log.error('poll loop stopped', { err }));
  void deliver();
  every(opts.deliveryTickMs ?? 5_000, () => void deliver());
  // Stories another process announced (`watchdesk poll`) reach instant channels within a tick.
  every(opts.instantTickMs ?? 5_000, () => {
    try {
      runInstant('tick');
    } catch (err) {
      log.error('instant check failed; trying again at the next tick', { err });
    }
  });
  every(opts.refreshTickMs ?? 60_000, refresh);
  every(DAY / 4, () => {
    // Lookups reach back a window from an item's own date, which may itself lie a window back.
    const removed = pruneStoryBuckets(app.db, app.clock.now() - 2 * app.config.stories.window);
    log.debug('housekeeping', { prunedBuckets: removed });
  });

  return {
    refresh,
    kickDelivery: () => void deliver(),
    async stop({ graceMs }: { graceMs?: number } = {}) {
      stopped = true;
      polls.abort();
      wake?.();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const { task } of tasks.values()) await task.destroy();
      tasks.clear();
      const inFlight = Promise.all([polling, delivering]).then(() => true);
      if (graceMs === undefined) return inFlight;
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      return Promise.race([inFlight, timeUp]).finally(() => clearTimeout(timer));
    },
  };
}

/** Sleep until the earliest feed falls due, within [1 s, max]. */
function untilNextPoll(app: Pick<SchedulerDeps, 'db' | 'clock'>, maxMs: number): number {
  const next = nextPollAt(app.db) ?? Number.POSITIVE_INFINITY;
  return Math.min(maxMs, Math.max(1_000, next - app.clock.now()));
}
