import type { Writable } from 'node:stream';
import { createConsoleSender } from '../chat/console/sender.js';
import { type AdapterHealthBoard, createHealthBoard } from '../chat/health.js';
import { slackTokenRefused } from '../chat/slack/token.js';
import { type ChatSender, type ChatSenders, type Platform, TOKEN_VARIABLE } from '../chat/types.js';
import { type Clock, systemClock } from '../clock.js';
import { type Config, storeLocation } from '../config/load.js';
import { type DeliverDeps, targetFromStore } from '../delivery/outbox.js';
import type { Fetcher } from '../feeds/fetch.js';
import { parseFeed } from '../feeds/parse.js';
import type { PollDeps } from '../feeds/poller.js';
import type { createMetrics, MetricsRegistry } from '../http/metrics.js';
import type { Logger, LogLevel } from '../log.js';
import { noMetrics } from '../metrics.js';
import type { DigestDeps } from '../pipeline/digests.js';
import type { IngestDeps } from '../pipeline/ingest.js';
import { nextRunOf } from '../schedule/schedule.js';
import { BUSY_TIMEOUT_MS } from '../store/db.js';
import { syncFeedsFromConfig } from '../store/feeds.js';
import { kvBudgetStore } from '../store/kv.js';
import { openStore } from '../store/open.js';
import { describeLockedAtStart } from '../store/open-errors.js';
import { outboxStatus } from '../store/outbox.js';
import type { Sql } from '../store/sql.js';
import { oldestPendingPartAt } from '../store/status.js';
import { type SubscriptionRow, syncConfigSubscriptions } from '../store/subscriptions.js';
import { DEFAULT_THRESHOLD } from '../stories/cluster.js';
import { summaryBudget } from '../summarize/index.js';
import type { Summarizer } from '../summarize/types.js';
import type { CompiledTopic } from '../topics/classify.js';
import { holdInstanceLease, type InstanceLease } from './instance-lease.js';
import { feedFetcher, loggerFor, summarizerFor, topicsOf } from './services.js';

/** Everything a running watchdesk needs, built once from the config: the composition root. */
export interface App {
  config: Config;
  /** The store: the SQLite file, or the PostgreSQL database that config.dbUrl names. */
  db: Sql;
  log: Logger;
  clock: Clock;
  fetcher: Fetcher;
  summarizer: Summarizer;
  topics: CompiledTopic[];
  senders: ChatSenders;
  /** Whether each configured chat adapter can post (/readyz, alerts). */
  health: AdapterHealthBoard;
  /** The Prometheus registry, for the running bot only (AppOptions.metrics). */
  metrics?: MetricsRegistry;
  /** Why a subscription cannot run now (no token for its platform, an unreadable schedule), else null. */
  pausedReason(sub: SubscriptionRow): string | null;
  pollDeps: PollDeps;
  ingestDeps: IngestDeps;
  digestDeps: DigestDeps;
  deliverDeps: DeliverDeps;
  /** Held by the running bot only (AppOptions.exclusive). */
  lease?: InstanceLease;
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  logLevel?: LogLevel;
  /** Where the console adapter prints digests (stdout by default). */
  consoleOut?: Writable;
  /** Overrides for chat API base URLs (tests point these at local fakes). */
  discordApiUrl?: string;
  slackApiUrl?: string;
  /**
   * Count what the pipeline does for /metrics: the running bot passes createMetrics, which it loads
   * itself, so that one-shot commands (which count nothing) never load prom-client.
   */
  metrics?: typeof createMetrics;
  /**
   * Take the instance lease (only `watchdesk start`): refused while another bot runs on this SQLite database. A
   * PostgreSQL store takes none: its bots share the work as jobs.
   */
  exclusive?: boolean;
  /**
   * For the commands that only show things: the store is opened read-only (a missing one is an error that says
   * so, and nothing is created), and the config's feeds and subscriptions are not synced into it.
   */
  readOnly?: boolean;
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? loggerFor(config, opts.logLevel ?? 'info');
  const db = await openStore(config.dbUrl ?? config.dbPath, {
    createFolder: config.createDbFolder,
    readOnly: opts.readOnly,
  });
  const now = () => clock.now();
  // Before the config is synced: a refused second bot must not touch the running one's feeds. On PostgreSQL there
  // is no lease: any number of bots share the store's work as jobs (src/jobs/).
  const lease =
    opts.exclusive && db.dialect === 'sqlite' ? await leaseOrClose(db, storeLocation(config), log) : undefined;
  if (!opts.readOnly) await syncAtStart(db, config, now(), lease);

  const fetcher = feedFetcher(config);
  const summarizer = summarizerFor(config, { log, budgetStore: kvBudgetStore(db), now });
  const topics = topicsOf(config);
  const built = buildSenders(config, opts, log);
  const health = createHealthBoard(Object.keys(built) as Platform[]);
  const senders = health.watchAll(built);
  const registry = opts.metrics ? opts.metrics({ outbox: () => outboxGauges(db, now()) }) : undefined;
  const metrics = registry ?? noMetrics;

  const pollDeps: PollDeps = {
    db,
    fetcher,
    parse: parseFeed,
    now,
    maxFailures: config.polling.maxFailures,
    maxBackoffMs: config.polling.maxBackoff,
    log,
    metrics,
  };
  const ingestDeps: IngestDeps = {
    db,
    fetcher,
    summarizer,
    topics,
    budget: summaryBudget(config),
    stories: { windowMs: config.stories.window, threshold: config.stories.threshold ?? DEFAULT_THRESHOLD },
    now,
    log,
    metrics,
  };
  const digestDeps: DigestDeps = { db, config, now, log };
  const deliverDeps: DeliverDeps = { db, senders, now, log, targetFor: targetFromStore(db), metrics };

  return {
    config,
    db,
    log,
    clock,
    fetcher,
    summarizer,
    topics,
    senders,
    health,
    ...(registry ? { metrics: registry } : {}),
    pausedReason: (sub) => pausedReason(sub, senders, now()),
    pollDeps,
    ingestDeps,
    digestDeps,
    deliverDeps,
    ...(lease ? { lease } : {}),
    async close() {
      await fetcher.close();
      await lease?.release();
      await db.close();
    },
  };
}

function pausedReason(sub: SubscriptionRow, senders: App['senders'], now: number): string | null {
  if (sub.pausedReason) return sub.pausedReason;
  if (!senders[sub.platform]) {
    return `no ${TOKEN_VARIABLE[sub.platform] ?? 'chat token'} set: its digests wait until it is set and the bot restarts`;
  }
  if (sub.mode === 'digest' && nextRunOf(sub, now) === null) return 'its schedule cannot be read; fix it and restart';
  return null;
}

async function outboxGauges(db: Sql, now: number) {
  const oldest = await oldestPendingPartAt(db);
  return {
    pendingParts: (await outboxStatus(db)).pendingParts,
    oldestPendingSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
  };
}

/** The config's feeds and subscriptions into the store: the first writes, so a locked database says so here. */
async function syncAtStart(db: Sql, config: Config, now: number, lease: InstanceLease | undefined): Promise<void> {
  try {
    await syncFeedsFromConfig(db, config.feeds, { intervalMs: config.polling.defaultInterval }, now);
    await syncConfigSubscriptions(db, config.subscriptions, now);
  } catch (err) {
    const locked = db.dialect === 'sqlite' ? describeLockedAtStart(config.dbPath, err, BUSY_TIMEOUT_MS) : undefined;
    await lease?.release();
    await db.close();
    throw locked ?? err;
  }
}

async function leaseOrClose(db: Sql, location: string, log: Logger): Promise<InstanceLease> {
  try {
    return await holdInstanceLease(db, { location, log });
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * The console always works; Discord and Slack join when their tokens are set in the environment.
 * Their client libraries (discord.js, @slack/web-api: over a thousand modules) load on the first
 * post, so a command that never posts (`feeds list`, `outbox`) starts without them.
 */
function buildSenders(config: Config, opts: AppOptions, log: Logger): App['senders'] {
  const senders: App['senders'] = { console: createConsoleSender({ out: opts.consoleOut ?? process.stdout }) };
  const discordToken = config.secrets.discordToken;
  if (discordToken) {
    senders.discord = loadedOnFirstSend('discord', async () => {
      const { createDiscordSender } = await import('../chat/discord/sender.js');
      return createDiscordSender({
        token: discordToken,
        apiUrl: opts.discordApiUrl ?? config.discord.apiBaseUrl,
        now: () => (opts.clock ?? systemClock).now(),
      });
    });
  }
  const slackToken = config.secrets.slackBotToken;
  if (slackToken) {
    senders.slack = loadedOnFirstSend('slack', async () => {
      const { createSlackSender } = await import('../chat/slack/sender.js');
      return createSlackSender({
        token: slackToken,
        apiUrl: opts.slackApiUrl ?? config.slack.apiBaseUrl,
        botName: config.bot.name,
        onTokenRefused: slackTokenRefused(log),
        onLookupFailed: (reason) => log.warn('Slack part lookup failed', { reason }),
      });
    });
  }
  return senders;
}

/** A sender built once, on its first send; a failed load is tried again on the next send. */
function loadedOnFirstSend<P extends Platform>(platform: P, load: () => Promise<ChatSender<P>>): ChatSender<P> {
  let sender: Promise<ChatSender<P>> | undefined;
  return {
    platform,
    async send(target, payload, sendOpts) {
      sender ??= load().catch((err: unknown) => {
        sender = undefined;
        throw err;
      });
      return (await sender).send(target, payload, sendOpts);
    },
  };
}
