import { checkAlerts } from '../delivery/alerts.js';
import { errorMessage } from '../errors.js';
import { checkReadiness } from '../http/readiness.js';
import { type HttpServer, startHttpServer } from '../http/server.js';
import { collectStatus } from '../http/status.js';
import type { JobSchedulerOptions } from '../jobs/scheduler.js';
import type { Scheduler, SchedulerOptions } from '../scheduler/scheduler.js';
import { pruneBefore } from '../store/retention.js';
import type { App } from './app.js';

export interface RunningBot {
  /** Null when the HTTP port could not be had (logged); the bot runs on without it. */
  http: HttpServer | null;
  /** The ordered shutdown; resolves when the HTTP server is closed and the store may close. */
  stop(signal: string): Promise<void>;
}

export interface RunOptions {
  scheduler?: SchedulerOptions;
  /** The job scheduler's, on a PostgreSQL store. */
  jobs?: JobSchedulerOptions;
  /** How often the operator alerts are checked (default every 30 s). */
  alertEveryMs?: number;
  /** How often old items are pruned (store.retention; default every 6 h, and once at start). */
  pruneEveryMs?: number;
}

/**
 * Starts the long-running parts of an app built with `metrics: createMetrics`: the scheduler (polls,
 * digests, deliveries), the HTTP server, the operator alerts and the chat adapters that answer
 * /digest. stop() takes them down in order: the adapters first (no new command comes in), then
 * schedulers and in-flight polls, then the deliveries in flight get `shutdown.grace` to finish,
 * then the HTTP server closes; the caller then closes the store.
 */
export async function runBot(app: App, opts: RunOptions = {}): Promise<RunningBot> {
  const metrics = app.metrics;
  if (!metrics) throw new Error('runBot needs an app built with { metrics: createMetrics }');
  const log = app.log;
  const scheduler = await startSchedulerFor(app, opts);
  const http = await startHttpServer({
    port: app.config.http.port,
    host: app.config.http.host,
    password: app.config.secrets.httpPassword,
    log,
    metrics,
    readiness: () => checkReadiness({ db: app.db, adapters: app.health.all }),
    status: () =>
      collectStatus({
        db: app.db,
        botName: app.config.bot.name,
        topics: Object.entries(app.config.topics).map(([id, t]) => ({ id, name: t.name })),
        pausedReason: app.pausedReason,
        now: () => app.clock.now(),
      }),
  });
  const stopAlerts = startAlerts(app, opts.alertEveryMs ?? 30_000);
  const stopPruning = startRetention(app, opts.pruneEveryMs ?? 6 * 3_600_000);
  const { startChatAdapters } = await import('./chat-adapters.js');
  // A refresh that fails is said here; the next timed refresh tries again.
  const subscriptionsChanged = () => {
    scheduler
      .refresh()
      .catch((err) => log.error('reading the subscriptions failed; trying again at the next refresh', { err }));
  };
  const adapters = await startChatAdapters(app, { subscriptionsChanged });

  return {
    http,
    async stop(signal) {
      const started = performance.now();
      const grace = app.config.shutdown.grace;
      log.info('shutting down', { signal, graceMs: grace });
      await adapters.stop();
      await stopPruning();
      // An alert being posted gets the same grace as the deliveries, side by side.
      const [, finished] = await Promise.all([within(stopAlerts(), grace), scheduler.stop({ graceMs: grace })]);
      if (!finished) {
        log.warn('shutdown grace ran out with work in flight; the outbox resumes unsent parts at the next start', {
          graceMs: grace,
        });
      }
      await http?.close();
      log.info('stopped', { signal, ms: Math.round(performance.now() - started) });
    },
  };
}

/**
 * On SQLite, one bot (the instance lease) runs the local loops; on PostgreSQL, any number of bots share the work
 * as jobs on the store (src/jobs/).
 */
async function startSchedulerFor(app: App, opts: RunOptions): Promise<Scheduler> {
  const url = app.config.dbUrl;
  if (url === undefined || app.db.dialect !== 'postgres') {
    const { startScheduler } = await import('../scheduler/scheduler.js');
    return startScheduler(app, opts.scheduler);
  }
  const { startJobScheduler } = await import('../jobs/scheduler.js');
  const { expire, concurrency } = app.config.jobs;
  return startJobScheduler({ ...app, url, expireMs: expire, concurrency }, opts.jobs);
}

/** Resolves when `work` does or when `ms` have passed, whichever comes first. */
function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work.then(() => {}), timeUp]).finally(() => clearTimeout(timer));
}

/** Checks now and then every `everyMs`; the returned function stops and waits for a check in flight. */
function startAlerts(app: App, everyMs: number): () => Promise<void> {
  const c = app.config.alerts.channel;
  const deps = {
    db: app.db,
    channel: c && { platform: c.platform, workspace: c.workspace, channel: c.channel, thread: c.thread ?? '' },
    senders: app.senders,
    pausedReason: app.pausedReason,
    adapters: app.health.all,
    now: () => app.clock.now(),
    log: app.log,
  };
  let running: Promise<unknown> = Promise.resolve();
  const check = () => {
    running = running.then(() =>
      checkAlerts(deps).catch((err: unknown) =>
        app.log.error('operator alert check failed; trying again at the next check', { reason: errorMessage(err) }),
      ),
    );
  };
  check();
  const timer = setInterval(check, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * Prunes past store.retention at start and every `everyMs` (store/retention.ts says what is kept). A prune
 * waits for the one before it; the returned function stops and waits for a prune in flight.
 */
function startRetention(app: App, everyMs: number): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const pruneOnce = async () => {
    const now = app.clock.now();
    const retention = app.config.store.retention;
    try {
      const pruned = await pruneBefore(app.db, { before: now - retention, now });
      if (pruned.items + pruned.stories > 0) {
        app.log.info('pruned items and stories past store.retention', {
          ...pruned,
          retentionDays: retention / 86_400_000,
        });
      }
    } catch (err) {
      app.log.error('pruning old items failed; trying again at the next check', { reason: errorMessage(err) });
    }
  };
  const prune = () => {
    running = running.then(pruneOnce);
  };
  // after start-up's own work, not in its way
  const first = setTimeout(prune, 1_000);
  const timer = setInterval(prune, everyMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
