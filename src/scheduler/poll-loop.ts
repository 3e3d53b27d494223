import type { Clock } from '../clock.js';
import type { PollDeps } from '../feeds/poller.js';
import type { Logger } from '../log.js';
import { type IngestDeps, retryUnfinished } from '../pipeline/ingest.js';
import { pollAndIngest } from '../pipeline/poll-cycle.js';
import { dueFeeds, nextPollAt } from '../store/feeds.js';
import type { Sql } from '../store/sql.js';

export interface PollLoopDeps {
  db: Sql;
  clock: Clock;
  log: Logger;
  pollDeps: PollDeps;
  ingestDeps: IngestDeps;
}

export interface PollLoop {
  /** Ends when the loop does (after stop(), once the cycle in flight is done or aborted). */
  done: Promise<void>;
  /** Aborts in-flight polls and ends the sleep between cycles, so shutdown never waits out an interval. */
  stop(): void;
}

/**
 * Polls the feeds that are due, each at its own interval, then sleeps until the next one falls due
 * (at most `maxSleepMs`). After a cycle that announced stories or finished items left unfinished,
 * `onNews` runs (the instant subscriptions).
 */
export function startPollLoop(deps: PollLoopDeps, opts: { maxSleepMs: number; onNews: () => void }): PollLoop {
  let stopped = false;
  const polls = new AbortController();
  const cycleDeps = {
    pollDeps: { ...deps.pollDeps, signal: polls.signal },
    ingestDeps: deps.ingestDeps,
    log: deps.log,
  };
  const sleeper = interruptibleSleep();

  const loop = async () => {
    while (!stopped) {
      // Feed problems never throw (they are report rows); this catches the store itself failing
      // (disk full, a lock held too long), so that one bad cycle does not end polling for good.
      try {
        const due = await dueFeeds(deps.db, deps.clock.now());
        if (due.length > 0) {
          const reports = await pollAndIngest(cycleDeps, due);
          if (stopped) break;
          // Items an earlier pass (here or in another process) left unfinished get another go.
          const retried = await retryUnfinished(deps.ingestDeps);
          const announced = reports.reduce((n, r) => n + r.announced, 0);
          if (announced > 0 || retried.finished > 0) opts.onNews();
        }
      } catch (err) {
        if (stopped) break; // an aborted poll at shutdown
        deps.log.error('poll cycle failed; trying again at the next interval', { err });
      }
      if (stopped) break;
      await sleeper.sleep(await untilNextPoll(deps, opts.maxSleepMs));
    }
  };

  return {
    done: loop().catch((err) => deps.log.error('poll loop stopped', { err })),
    stop() {
      stopped = true;
      polls.abort();
      sleeper.wake();
    },
  };
}

/** A sleep that wake() ends early. */
function interruptibleSleep() {
  let wake: (() => void) | null = null;
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          wake = null;
          resolve();
        }, ms);
        wake = () => {
          clearTimeout(t);
          wake = null;
          resolve();
        };
      }),
    wake: () => wake?.(),
  };
}

/** Sleep until the earliest feed falls due, within [1 s, max]. */
async function untilNextPoll(deps: Pick<PollLoopDeps, 'db' | 'clock'>, maxMs: number): Promise<number> {
  const next = (await nextPollAt(deps.db)) ?? Number.POSITIVE_INFINITY;
  return Math.min(maxMs, Math.max(1_000, next - deps.clock.now()));
}
