import type { Writable } from 'node:stream';
import { createConsoleSender } from '../chat/console/sender.js';
import { createDiscordSender } from '../chat/discord/sender.js';
import { createSlackSender } from '../chat/slack/sender.js';
import type { ChatSender } from '../chat/types.js';
import { type Clock, systemClock } from '../clock.js';
import { secretValues } from '../config/env.js';
import type { Config } from '../config/load.js';
import { type DeliverDeps, targetFromStore } from '../delivery/outbox.js';
import { createFetcher, type Fetcher, fetcherOptionsFor } from '../feeds/fetch.js';
import { parseFeed } from '../feeds/parse.js';
import type { PollDeps } from '../feeds/poller.js';
import { createLogger, type Logger, type LogLevel } from '../log.js';
import { type Db, openDb } from '../store/db.js';
import { syncFeedsFromConfig } from '../store/feeds.js';
import { kvBudgetStore } from '../store/kv.js';
import { syncConfigSubscriptions } from '../store/subscriptions.js';
import { DEFAULT_THRESHOLD } from '../stories/cluster.js';
import { createSummarizer, summaryBudget } from '../summarize/index.js';
import type { Summarizer } from '../summarize/types.js';
import { type CompiledTopic, compileTopics } from '../topics/classify.js';
import type { DigestDeps } from './digests.js';
import type { IngestDeps } from './ingest.js';
import { VERSION } from './version.js';

/** Everything a running watchdesk needs, built once from the config: the composition root. */
export interface App {
  config: Config;
  db: Db;
  log: Logger;
  clock: Clock;
  fetcher: Fetcher;
  summarizer: Summarizer;
  topics: CompiledTopic[];
  senders: Partial<Record<ChatSender['platform'], ChatSender>>;
  pollDeps: PollDeps;
  ingestDeps: IngestDeps;
  digestDeps: DigestDeps;
  deliverDeps: DeliverDeps;
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
}

export function createApp(config: Config, opts: AppOptions = {}): App {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger({ level: opts.logLevel ?? 'info', secrets: secretValues(config.secrets) });
  const db = openDb(config.dbPath);
  const now = () => clock.now();
  syncFeedsFromConfig(db, config.feeds, { intervalMs: config.polling.defaultInterval }, now());
  syncConfigSubscriptions(db, config.subscriptions, now());

  const fetcher = createFetcher(fetcherOptionsFor(config, VERSION));
  const summarizer = createSummarizer(config, { log, budgetStore: kvBudgetStore(db), now });
  const topics = compileTopics(config.topics);
  const senders = buildSenders(config, opts);

  const pollDeps: PollDeps = {
    db,
    fetcher,
    parse: parseFeed,
    now,
    maxFailures: config.polling.maxFailures,
    maxBackoffMs: config.polling.maxBackoff,
    log,
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
  };
  const digestDeps: DigestDeps = { db, config, now, log };
  const deliverDeps: DeliverDeps = { db, senders, now, log, targetFor: targetFromStore(db) };

  return {
    config,
    db,
    log,
    clock,
    fetcher,
    summarizer,
    topics,
    senders,
    pollDeps,
    ingestDeps,
    digestDeps,
    deliverDeps,
    async close() {
      await fetcher.close();
      if (db.open) db.close();
    },
  };
}

/** The console always works; Discord and Slack join when their tokens are set in the environment. */
function buildSenders(config: Config, opts: AppOptions): App['senders'] {
  const senders: App['senders'] = { console: createConsoleSender({ out: opts.consoleOut ?? process.stdout }) };
  if (config.secrets.discordToken) {
    senders.discord = createDiscordSender({ token: config.secrets.discordToken, apiUrl: opts.discordApiUrl });
  }
  if (config.secrets.slackBotToken) {
    senders.slack = createSlackSender({ token: config.secrets.slackBotToken, apiUrl: opts.slackApiUrl });
  }
  return senders;
}
