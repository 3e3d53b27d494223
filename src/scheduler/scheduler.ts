import { type ChatSenders, TOKEN_VARIABLE } from '../chat/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/load.js';
import type { DeliverDeps } from '../delivery/outbox.js';
import type { PollDeps } from '../feeds/poller.js';
import type { Logger } from '../log.js';
import { type DigestDeps, type RunResult, runSubscription } from '../pipeline/digests.js';
import type { IngestDeps } from '../pipeline/ingest.js';
import type { Sql } from '../store/sql.js';
import { pruneStoryBuckets } from '../store/stories.js';
import { instantSubscriptionsBehind, type SubscriptionRow } from '../store/subscriptions.js';
import { createCronRegistry } from './cron-registry.js';
import { startDeliveryLoop } from './delivery-loop.js';
import { startPollLoop } from './poll-loop.js';

export interface SchedulerDeps {
  db: Sql;
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
  refresh(): Promise<void>;
  /** Runs the delivery loop now instead of at its next tick; resolves when that pass (or the one in flight) ends. */
  kickDelivery(): Promise<void>;
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

export type RunStatus = RunResult['status'] | 'no_token' | 'paused' | 'failed';

/**
 * Starts the long-running jobs: the poll loop (each feed at its own interval), the cron registry
 * (one job per digest subscription in its own time zone, a missed digest caught up once at start),
 * instant subscriptions after each poll cycle and at every tick (stories another process
 * announced), the delivery loop, and housekeeping.
 */
export async function startScheduler(app: SchedulerDeps, opts: SchedulerOptions = {}): Promise<Scheduler> {
  const log = app.log.child({ component: 'scheduler' });
  const timers = new Set<NodeJS.Timeout>();
  // A throw in a timer callback would end the process: a tick that fails (the store locked, the disk full) is logged
  // and the next tick tries again.
  const every = (ms: number, failed: string, fn: () => unknown) =>
    timers.add(
      setInterval(async () => {
        try {
          await fn();
        } catch (err) {
          log.error(failed, { err });
        }
      }, ms),
    );
  const runSub = subscriptionRunner(app, log, () => void delivery.kick());
  /** Every instant subscription with stories past what it was offered, whichever process announced them. */
  const runInstant = async (why: 'instant' | 'catch-up' | 'after delivery' | 'tick'): Promise<boolean> => {
    let enqueued = false;
    for (const sub of await instantSubscriptionsBehind(app.db)) {
      if ((await runSub(sub, why)) === 'enqueued') enqueued = true;
    }
    return enqueued;
  };
  /** runInstant that nothing waits for (at start, after a poll cycle): a failure is logged, as a failed tick's is. */
  const instantNow = (why: 'instant' | 'catch-up') => {
    runInstant(why).catch((err: unknown) => log.error('instant check failed; trying again at the next tick', { err }));
  };
  // A delivery that confirms parts can free an instant subscription that was busy when its
  // stories were announced; compose for it now instead of waiting for the next announcement.
  const delivery = startDeliveryLoop(app.deliverDeps, {
    log,
    tickMs: opts.deliveryTickMs ?? 5_000,
    afterSent: () => runInstant('after delivery'),
  });
  const cron = createCronRegistry({ db: app.db, clock: app.clock, log }, runSub);

  await cron.catchUp();
  // Stories announced while the bot was down (by `watchdesk poll`) reach instant channels now.
  instantNow('catch-up');
  await cron.refresh();
  const polling = startPollLoop(
    { db: app.db, clock: app.clock, log, pollDeps: app.pollDeps, ingestDeps: app.ingestDeps },
    { maxSleepMs: opts.maxPollSleepMs ?? 60_000, onNews: () => instantNow('instant') },
  );
  void delivery.kick();
  // Stories another process announced (`watchdesk poll`) reach instant channels within a tick.
  every(opts.instantTickMs ?? 5_000, 'instant check failed; trying again at the next tick', () => runInstant('tick'));
  every(
    opts.refreshTickMs ?? 60_000,
    'reading the subscriptions failed; trying again at the next refresh',
    cron.refresh,
  );
  every(DAY / 4, 'housekeeping failed; trying again in six hours', async () => {
    // Lookups reach back a window from an item's own date, which may itself lie a window back.
    const removed = await pruneStoryBuckets(app.db, app.clock.now() - 2 * app.config.stories.window);
    log.debug('housekeeping', { prunedBuckets: removed });
  });

  return {
    refresh: cron.refresh,
    kickDelivery: () => delivery.kick(),
    async stop({ graceMs }: { graceMs?: number } = {}) {
      polling.stop();
      delivery.stop();
      for (const t of timers) clearInterval(t);
      timers.clear();
      await cron.stop();
      const inFlight = Promise.all([polling.done, delivery.inFlight()]).then(() => true);
      if (graceMs === undefined) return inFlight;
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      return Promise.race([inFlight, timeUp]).finally(() => clearTimeout(timer));
    },
  };
}

/**
 * Runs one subscription now (a schedule, a catch-up, news for an instant channel) and starts a
 * delivery when a digest was enqueued. A paused subscription, or one whose platform has no token,
 * composes nothing: its cursor stays and no story is lost. Also the run-subscription jobs' (src/jobs/).
 */
export function subscriptionRunner(
  app: Pick<SchedulerDeps, 'senders' | 'digestDeps'>,
  log: Logger,
  enqueued: () => void,
): (sub: SubscriptionRow, why: string) => Promise<RunStatus> {
  const warnedNoToken = new Set<number>();
  return async (sub, why) => {
    // Its channel is gone or the bot lost access: the pause was logged once when it happened.
    if (sub.pausedReason) return 'paused';
    if (!app.senders[sub.platform]) {
      // Said once per subscription, not at every poll or schedule.
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
      const r = await runSubscription(app.digestDeps, sub);
      log.debug('subscription run', { subscription: sub.id, why, status: r.status });
      if (r.status === 'enqueued') enqueued();
      return r.status;
    } catch (err) {
      log.error('subscription run failed', { subscription: sub.id, err });
      return 'failed';
    }
  };
}
