import PgBoss from 'pg-boss';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { jobsTargetOf } from '../store/jobs-target.js';

/**
 * The job queue several watchdesk processes share on a PostgreSQL store: pg-boss 10 (11 and later need
 * Node 22), in a schema of its own beside the store's (store/jobs-target.ts), so there is no other service to
 * run. Each queue is pg-boss's `short` policy: at most one job waiting per singleton key (a feed, a
 * subscription, a channel), so the processes that all notice the same due work queue it once.
 *
 * Why `short` and not `singleton` or `stately`, whose unique index also allows one active job per key: in
 * pg-boss 10 a fetch whose batch holds a job whose key is already active fails as a whole (the unique violation
 * is swallowed and nothing is returned), so one such job stalls its whole queue, and after a process is killed
 * its jobs stay active until their expiry. That one process at a time does a piece of work is decided where the
 * work's truth is instead, by a claim on its row (store/job-claims.ts), which also lapses by itself.
 *
 * Workers are this file's own fetch loops, not pg-boss's work(): pg-boss 10's worker waits its polling interval
 * after every batch and completes a batch only when all of it is done, so one slow feed would hold up the
 * others; here each job is completed on its own and a freed slot fetches again at once.
 */
export type QueueName = 'poll-feed' | 'run-subscription' | 'deliver';

export const QUEUES: readonly QueueName[] = ['poll-feed', 'run-subscription', 'deliver'];

export interface JobRunnerOptions {
  /** The store's URL (with its password: pg-boss connects on its own). */
  url: string;
  log: Logger;
  /**
   * How long one job may run; pg-boss then fails it (its maintenance checks every quarter of this), and the
   * work's claim, which lasts as long, lapses: another process takes the work up.
   */
  expireMs: number;
  /** How often an idle worker asks for jobs (default 1 s). */
  idlePollMs?: number;
  /** Connections in pg-boss's pool (default 4). */
  poolSize?: number;
}

export interface NewJob {
  /** The singleton key: one job waits per key. */
  key: string;
  data: Record<string, unknown>;
}

export interface JobRunner {
  /** pg-boss's schema, for the tests' clean-up and the start log. */
  readonly schema: string;
  /** Queues the jobs; one already waiting under the same key makes its duplicate a no-op. */
  send(queue: QueueName, jobs: NewJob[]): Promise<void>;
  /**
   * Runs `handler` for this queue's jobs, at most `concurrency` at once in this process. A job whose handler
   * throws is failed (pg-boss retries it once); one that returns is completed.
   */
  work<T>(queue: QueueName, concurrency: number, handler: (data: T, signal: AbortSignal) => Promise<void>): void;
  /**
   * Stops fetching, aborts the jobs in flight (their handlers give their claims back) and waits for them at
   * most `graceMs`, then closes pg-boss's pool. False when the time ran out.
   */
  stop(opts?: { graceMs?: number }): Promise<boolean>;
}

export async function startJobRunner(opts: JobRunnerOptions): Promise<JobRunner> {
  const target = jobsTargetOf(opts.url);
  const expireSeconds = Math.max(1, Math.round(opts.expireMs / 1000));
  const boss = new PgBoss({
    connectionString: target.connectionString,
    schema: target.schema,
    max: opts.poolSize ?? 4,
    application_name: 'watchdesk jobs',
    // Expired jobs are failed (and so retried elsewhere) within a quarter of their expiry.
    maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(expireSeconds / 4))),
    // watchdesk's schedules are its own (the slots of store/job-claims.ts); pg-boss's cron is not used.
    schedule: false,
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 1,
  });
  // Without a listener an 'error' event would end the process; pg-boss reports there what its timers meet.
  boss.on('error', (err) => opts.log.warn('job queue error', { reason: errorMessage(err) }));
  await boss.start();
  try {
    for (const queue of QUEUES) await createQueue(boss, queue);
  } catch (err) {
    // Its pool would keep the process alive after the error that ends it.
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    throw err;
  }

  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  const sendOptions = { expireInSeconds: expireSeconds, retryLimit: 1, retryDelay: 1 };
  return {
    schema: target.schema,
    async send(queue, jobs) {
      if (jobs.length === 0) return;
      // insert() is one statement for them all, ON CONFLICT DO NOTHING: a key already waiting is skipped.
      await boss.insert(jobs.map((j) => ({ name: queue, data: j.data, singletonKey: j.key, ...sendOptions })));
    },
    work(queue, concurrency, handler) {
      const loop = fetchLoop(
        boss,
        { queue, concurrency, idlePollMs: opts.idlePollMs ?? 1_000, log: opts.log },
        handler,
      );
      loops.push(loop(stopping.signal));
    },
    async stop({ graceMs } = {}) {
      stopping.abort();
      const finished = await within(Promise.all(loops), graceMs);
      // Bounded too: a connection that hangs must not keep the process from exiting; jobs left active expire.
      const closing = boss.stop({ graceful: false, close: true, wait: true }).catch((err: unknown) => {
        opts.log.warn('closing the job queue failed', { reason: errorMessage(err) });
      });
      if (!(await within(closing, CLOSE_MS))) opts.log.warn('the job queue did not close in time; exiting without it');
      return finished;
    },
  };
}

/**
 * Creates the queue unless it exists. Processes starting together on a new store race to create it, and pg-boss
 * 10's create_queue (a partition attached to its job table) can then meet another's in a deadlock, which the
 * server ends by failing one of them: that one tries again.
 */
async function createQueue(boss: PgBoss, queue: QueueName): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(queue)) return;
      await boss.createQueue(queue, { name: queue, policy: 'short' });
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== DEADLOCK || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

const DEADLOCK = '40P01';

interface LoopOptions {
  queue: QueueName;
  concurrency: number;
  idlePollMs: number;
  log: Logger;
}

/** One queue's worker: keeps up to `concurrency` jobs running, fetching as many as there are free slots. */
function fetchLoop<T>(
  boss: PgBoss,
  o: LoopOptions,
  handler: (data: T, signal: AbortSignal) => Promise<void>,
): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    const running = new Set<Promise<void>>();
    const slotFreed = wakeable();
    while (!signal.aborted) {
      const free = o.concurrency - running.size;
      if (free <= 0) {
        await slotFreed.wait(o.idlePollMs, signal);
        continue;
      }
      let jobs: PgBoss.Job<T>[] = [];
      try {
        jobs = await boss.fetch<T>(o.queue, { batchSize: free });
      } catch (err) {
        o.log.warn('fetching jobs failed; trying again', { queue: o.queue, reason: errorMessage(err) });
      }
      for (const job of jobs) {
        const run = runJob(boss, o, job, handler, signal).finally(() => {
          running.delete(run);
          slotFreed.wake();
        });
        running.add(run);
      }
      if (jobs.length === 0) await slotFreed.wait(o.idlePollMs, signal);
    }
    await Promise.all(running);
  };
}

async function runJob<T>(
  boss: PgBoss,
  o: LoopOptions,
  job: PgBoss.Job<T>,
  handler: (data: T, signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  try {
    await handler(job.data, signal);
    await boss.complete(o.queue, job.id);
  } catch (err) {
    if (!signal.aborted) o.log.error('job failed; it is tried once more', { queue: o.queue, err });
    // At shutdown the pool may already be going: the job then expires and is retried, which claims allow.
    await boss.fail(o.queue, job.id, { message: errorMessage(err) }).catch(() => {});
  }
}

/** A sleep that wake() or an abort ends early. */
function wakeable() {
  let wake: (() => void) | null = null;
  return {
    wait(ms: number, signal: AbortSignal) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = null;
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done);
        wake = done;
      });
    },
    wake: () => wake?.(),
  };
}

const CLOSE_MS = 5_000;

/** True when `work` ends within `ms` (or no limit was given), false when the time runs out first. */
export async function within(work: Promise<unknown>, ms: number | undefined): Promise<boolean> {
  if (ms === undefined) return work.then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([work.then(() => true), timeUp]).finally(() => clearTimeout(timer));
}
