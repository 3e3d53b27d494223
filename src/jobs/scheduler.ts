import { deliverSubscription } from '../delivery/outbox.js';
import type { Logger } from '../log.js';
import { retryUnfinished } from '../pipeline/ingest.js';
import { dueSlot, parseSchedule } from '../schedule/schedule.js';
import type { Scheduler, SchedulerDeps } from '../scheduler/scheduler.js';
import { subscriptionRunner } from '../scheduler/scheduler.js';
import { claimScheduleSlot, dueDeliveries } from '../store/job-claims.js';
import { pruneStoryBuckets } from '../store/stories.js';
import { getSubscription, instantSubscriptionsBehind, listSubscriptions } from '../store/subscriptions.js';
import { pollFeedHandler, startPollPlanner } from './poll-feed.js';
import { type JobRunner, startJobRunner, within } from './runner.js';

/**
 * The scheduler of a watchdesk on a PostgreSQL store, which any number of `watchdesk start` processes share:
 * the work is pg-boss jobs (runner.ts) that every process plans and any process runs, each piece claimed in
 * the store first (store/job-claims.ts), so a feed is polled once per interval and a digest composed and posted
 * once, whichever processes are up.
 *
 * - poll-feed: each feed when it falls due (poll-feed.ts).
 * - run-subscription: a scheduled digest when its cron slot comes, in its own time zone; the process that claims
 *   the slot composes it, and after downtime the missed slots are one catch-up. An instant subscription when the
 *   announce sequence has passed its cursor (after a poll that announced, after a delivery, at every tick).
 * - deliver: one channel's pending digest, parts in order; each part claimed for one attempt, retries and
 *   parking as the outbox has them (delivery/outbox.ts).
 * Every process's tick (every `tickMs`) queues what is due from the store, which stays the truth: a job lost
 * with its process, or never queued, is queued again from there.
 */
export interface JobSchedulerDeps extends SchedulerDeps {
  /** The store's URL, with its password: pg-boss opens its own pool. */
  url: string;
  /** How long a job may run before another process takes it over; claims last as long. */
  expireMs: number;
  /** Feeds one process polls at once. */
  concurrency: number;
}

export interface JobSchedulerOptions {
  /** How often due digests and deliveries are queued (default 5 s). */
  tickMs?: number;
  /**
   * Longest sleep of the poll planner (default 5 s): a feed another process added, enabled or made due at run
   * time is queued within this, as digests and deliveries are within a tick.
   */
  maxPollSleepMs?: number;
}

interface RunData {
  subscriptionId: number;
  /** A scheduled digest's slot (ms), claimed before the run; absent for an instant run. */
  slot?: number;
}

const DAY = 86_400_000;

export async function startJobScheduler(app: JobSchedulerDeps, opts: JobSchedulerOptions = {}): Promise<Scheduler> {
  const log = app.log.child({ component: 'jobs' });
  const runner = await startJobRunner({ url: app.url, log, expireMs: app.expireMs });
  const queue = queuers(app, runner, log);
  const claimMs = app.expireMs;

  runner.work('poll-feed', app.concurrency, pollFeedHandler({ ...app, log, claimMs }, queue.instantSoon));
  runner.work<RunData>('run-subscription', 2, runHandler(app, log, queue));
  runner.work<{ subscriptionId: number }>('deliver', 4, async ({ subscriptionId }) => {
    // A process without this platform's token leaves the channel to one that has it (the next tick queues it
    // again), rather than parking its parts as undeliverable.
    const sub = await getSubscription(app.db, subscriptionId);
    if (sub && !app.senders[sub.platform]) return;
    const r = await deliverSubscription({ ...app.deliverDeps, claimMs }, subscriptionId);
    if (r.sent + r.failed + r.dead > 0) log.info('delivery', { subscription: subscriptionId, ...r });
    // A confirmed digest frees its subscription: an instant one may have stories waiting.
    if (r.sent > 0) queue.instantSoon();
  });
  const planner = startPollPlanner({ ...app, log, claimMs, runner }, { maxSleepMs: opts.maxPollSleepMs ?? 5_000 });

  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const every = (ms: number, failed: string, fn: () => Promise<unknown>) => {
    let busy = false;
    const tick = () => {
      // A tick still running is not overlapped: the next one comes after it.
      if (busy) return;
      busy = true;
      const run = fn()
        .catch((err: unknown) => log.error(failed, { err }))
        .finally(() => {
          busy = false;
          inFlight.delete(run);
        });
      inFlight.add(run);
    };
    timers.push(setInterval(tick, ms));
    tick();
  };
  every(opts.tickMs ?? 5_000, 'queuing due digests and deliveries failed; trying again at the next tick', async () => {
    await queue.digests();
    await queue.instant();
    await queue.deliveries();
    // Items a poll left unfinished (here or in a process that died) get another go; claims keep it to one.
    const retried = await retryUnfinished(app.ingestDeps);
    if (retried.finished > 0) await queue.instant();
  });
  every(DAY / 4, 'housekeeping failed; trying again in six hours', async () => {
    await pruneStoryBuckets(app.db, app.clock.now() - 2 * app.config.stories.window);
  });
  log.info('running polls, digests and deliveries as jobs shared on the store', { schema: runner.schema });

  return {
    // The tick reads the subscriptions every time: nothing to refresh.
    refresh: async () => {},
    kickDelivery: () => queue.deliveries(),
    async stop({ graceMs }: { graceMs?: number } = {}) {
      planner.stop();
      for (const t of timers) clearInterval(t);
      const started = Date.now();
      // A tick or planning pass in flight finishes its queries (within the grace): jobs it queues are not lost.
      const quiet = await within(Promise.all([planner.done, ...inFlight]), graceMs);
      const left = graceMs === undefined ? undefined : Math.max(0, graceMs - (Date.now() - started));
      return (await runner.stop({ graceMs: left })) && quiet;
    },
  };
}

/** run-subscription: claims a scheduled slot, runs the subscription, queues its delivery when it enqueued a digest. */
function runHandler(app: JobSchedulerDeps, log: Logger, queue: ReturnType<typeof queuers>) {
  const run = subscriptionRunner(app, log, () => {});
  return async ({ subscriptionId, slot }: RunData) => {
    const sub = await getSubscription(app.db, subscriptionId);
    if (!sub?.active) return;
    // A process without the platform's token claims no slot: run() says the subscription waits, composing nothing.
    const canSend = Boolean(app.senders[sub.platform]);
    if (slot !== undefined && canSend && !(await claimScheduleSlot(app.db, sub.id, { slot, now: app.clock.now() }))) {
      return;
    }
    const status = await run(sub, slot === undefined ? 'instant' : 'schedule');
    if (status === 'enqueued') await queue.delivery(sub.id);
  };
}

/** What each process queues, from the store; the singleton keys make every process's copies one job. */
function queuers(app: JobSchedulerDeps, runner: JobRunner, log: Logger) {
  /** `id|schedule|zone` of the schedules said to be unusable: said once, and tried again when changed. */
  const unusable = new Set<string>();
  const instant = async () => {
    const behind = await instantSubscriptionsBehind(app.db);
    await runner.send(
      'run-subscription',
      behind.map((s) => ({ key: `sub:${s.id}`, data: { subscriptionId: s.id } satisfies RunData })),
    );
  };
  return {
    instant,
    /** instant(), not awaited (after a poll or a delivery): a failure is logged, and the next tick tries again. */
    instantSoon: () => {
      instant().catch((err: unknown) =>
        log.error('queuing instant digests failed; the next tick tries again', { err }),
      );
    },
    async digests() {
      const now = app.clock.now();
      const due: RunData[] = [];
      for (const sub of await listSubscriptions(app.db, { activeOnly: true })) {
        const key = `${sub.id}|${sub.schedule}|${sub.timezone}`;
        if (sub.mode !== 'digest' || unusable.has(key)) continue;
        let slot: number | null;
        try {
          slot = dueSlot(parseSchedule(sub.schedule, sub.timezone), sub.lastRunAt ?? sub.createdAt, now);
        } catch (err) {
          unusable.add(key);
          log.error('subscription has an unusable schedule; it will not run', { subscription: sub.id, err });
          continue;
        }
        if (slot !== null) due.push({ subscriptionId: sub.id, slot });
      }
      await runner.send(
        'run-subscription',
        due.map((d) => ({ key: `sub:${d.subscriptionId}:${d.slot}`, data: { ...d } })),
      );
    },
    async deliveries() {
      const subs = await dueDeliveries(app.db, app.clock.now());
      await runner.send(
        'deliver',
        subs.map((id) => ({ key: `channel:${id}`, data: { subscriptionId: id } })),
      );
    },
    delivery: (id: number) => runner.send('deliver', [{ key: `channel:${id}`, data: { subscriptionId: id } }]),
  };
}
