import type { Clock } from '../clock.js';
import type { PollDeps } from '../feeds/poller.js';
import type { Logger } from '../log.js';
import type { IngestDeps } from '../pipeline/ingest.js';
import { pollAndIngest } from '../pipeline/poll-cycle.js';
import { dueFeeds, nextPollAt } from '../store/feeds.js';
import { claimDueFeed, releaseFeedClaim } from '../store/job-claims.js';
import type { Sql } from '../store/sql.js';
import type { JobRunner } from './runner.js';

/**
 * poll-feed: one job per feed that is due, whichever process runs it. The feed row's next poll time stays the
 * truth: every process's planner queues a job (singleton key `feed:<id>`) for each feed whose time has come, a
 * worker claims the feed in the store before it polls (so a duplicate job, or one taken up again after its
 * process died, never polls a feed twice in one interval), and the poll records the next time from its result
 * with the same back-off as the local poll loop (feeds/backoff.ts), which the planners then turn into the next job.
 */
export interface PollJobDeps {
  db: Sql;
  clock: Clock;
  log: Logger;
  pollDeps: PollDeps;
  ingestDeps: IngestDeps;
  /** How long a claim holds a feed: the job's expiry, after which another process may poll it. */
  claimMs: number;
}

export interface PollFeedData {
  feedId: number;
}

/** The worker's handler. `onNews` runs after a poll that announced stories (the instant subscriptions). */
export function pollFeedHandler(
  deps: PollJobDeps,
  onNews: () => void,
): (data: PollFeedData, signal: AbortSignal) => Promise<void> {
  return async ({ feedId }, signal) => {
    const now = deps.clock.now();
    const until = now + deps.claimMs;
    const feed = await claimDueFeed(deps.db, feedId, { now, until });
    if (!feed) return; // polled elsewhere since it was queued, disabled, removed or gone
    const cycle = { pollDeps: { ...deps.pollDeps, signal }, ingestDeps: deps.ingestDeps, log: deps.log };
    try {
      const [report] = await pollAndIngest(cycle, [feed]);
      if (report && report.announced > 0) onNews();
    } catch (err) {
      if (!signal.aborted) throw err;
      // Shutdown is not the feed's fault: it is due again at once, for this process's successor or another.
      await releaseFeedClaim(deps.db, feedId, { until, dueAt: now });
    }
  };
}

export interface PollPlanner {
  done: Promise<void>;
  stop(): void;
}

/**
 * Queues a poll-feed job for each feed that is due, then sleeps until the next one falls due (at most
 * `maxSleepMs`). A feed it queued is not queued again while its next poll time stays the same, unless that
 * was longer ago than the claim lasts (its job was lost); other processes' planners queue the same feeds, and
 * the singleton key makes those one job.
 */
export function startPollPlanner(
  deps: Pick<PollJobDeps, 'db' | 'clock' | 'log' | 'claimMs'> & { runner: JobRunner },
  opts: { maxSleepMs: number },
): PollPlanner {
  let stopped = false;
  let wake: (() => void) | undefined;
  const queued = new Map<number, { nextPollAt: number; at: number }>();
  const plan = async () => {
    const now = deps.clock.now();
    const due = await dueFeeds(deps.db, now);
    const fresh = due.filter((f) => {
      const q = queued.get(f.id);
      return !q || q.nextPollAt !== f.nextPollAt || q.at < now - deps.claimMs;
    });
    await deps.runner.send(
      'poll-feed',
      fresh.map((f) => ({ key: `feed:${f.id}`, data: { feedId: f.id } satisfies PollFeedData })),
    );
    for (const f of fresh) queued.set(f.id, { nextPollAt: f.nextPollAt, at: now });
    // What is no longer due was polled (or claimed): forget it, so the map holds only the waiting.
    const stillDue = new Set(due.map((f) => f.id));
    for (const id of queued.keys()) if (!stillDue.has(id)) queued.delete(id);
  };
  const loop = async () => {
    while (!stopped) {
      try {
        await plan();
      } catch (err) {
        deps.log.error('queuing due feeds failed; trying again shortly', { err });
      }
      if (stopped) break;
      const next = (await nextPollAt(deps.db).catch(() => null)) ?? Number.POSITIVE_INFINITY;
      const ms = Math.min(opts.maxSleepMs, Math.max(1_000, next - deps.clock.now()));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  return {
    done: loop(),
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
