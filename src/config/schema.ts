import { z } from 'zod';
import { LOG_LEVELS } from '../log-level.js';
import { duration } from './duration-schema.js';
import { jobsSchema } from './jobs-schema.js';

const MINUTE = 60_000;

export const feedSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://example.org/feed.xml' })
    .describe('The feed URL (RSS, Atom or JSON Feed).'),
  name: z.string().min(1).optional().describe('Outlet name shown in digests; defaults to the feed title.'),
  interval: duration(MINUTE).optional().describe('Poll interval; minimum 1m. Defaults to polling.defaultInterval.'),
  fullText: z
    .enum(['auto', 'always', 'never'])
    .default('auto')
    .describe('Fetch the article page: auto when the feed gives only a teaser.'),
});

export const topicSchema = z.strictObject({
  name: z.string().min(1).describe('Human-readable topic name.'),
  query: z
    .string()
    .min(1)
    .describe('Query: terms, "phrases", AND/OR/NOT, parentheses, prefix* wildcards, title: scope.'),
  not: z
    .string()
    .min(1)
    .optional()
    .describe('Negative context, in the same query language: an item that matches it never gets this topic.'),
  minScore: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      'Lowest match score that counts (0-1, default 0): one mention in the text scores about 0.22, one in the title about 0.46.',
    ),
  description: z.string().optional().describe('A note for people reading the config; not used by the bot.'),
});

export const subscriptionSchema = z.strictObject({
  platform: z.enum(['console', 'discord', 'slack']).describe('Where the digests go.'),
  workspace: z.string().default('').describe('Discord guild id or Slack team id; empty for console.'),
  channel: z.string().min(1).describe('Channel id (or any label for console).'),
  thread: z.string().optional().describe('Optional thread id (Discord thread / Slack thread_ts).'),
  topics: z
    .union([z.literal('all'), z.array(z.string().min(1)).min(1)])
    .default('all')
    .describe('Topic ids to include, or all.'),
  schedule: z
    .string()
    .default('daily 09:00')
    .describe(
      'Preset (hourly, daily HH:MM, weekdays HH:MM, weekly mon HH:MM) or a 5-field cron (minute hour day month weekday); a seconds field only as cron-with-seconds <6 fields>.',
    ),
  timezone: z.string().default('UTC').describe('IANA time zone, e.g. Europe/London.'),
  mode: z
    .enum(['digest', 'instant'])
    .default('digest')
    .describe('digest: on the schedule; instant: each new story within one poll cycle.'),
  maxItems: z.number().int().min(1).max(200).default(10).describe('Most stories in one digest.'),
  minScore: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe('Lowest topic match score a story needs to be included (0-1, as topic scores run).'),
});

export const llmSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Allow the LLM summarizer (summarize.useLlm picks it).'),
  baseUrl: z.url().default('http://127.0.0.1:11434/v1').describe('OpenAI-compatible base URL (…/v1).'),
  model: z.string().min(1).default('llama3.1').describe('Model name as the server knows it.'),
  timeout: duration(1_000)
    .default(30_000)
    .describe('How long one summary request may take; then the extractive one is used.'),
  concurrency: z.number().int().min(1).max(64).default(2).describe('LLM requests at once.'),
  dailyBudget: z.number().int().min(0).default(500).describe('Maximum LLM requests per UTC day.'),
  maxOutputChars: z
    .number()
    .int()
    .min(40)
    .max(4_000)
    .default(400)
    .describe('Longest LLM summary accepted; a longer answer is rejected for the extractive one.'),
});

/** Where operator alerts go: a Discord or Slack channel, or the console (stdout). */
export const alertChannelSchema = z.strictObject({
  platform: z.enum(['console', 'discord', 'slack']).describe('Where the alerts go.'),
  workspace: z.string().default('').describe('Discord guild id or Slack team id; empty for console.'),
  channel: z.string().min(1).describe('Channel id (or any label for console).'),
  thread: z.string().optional().describe('Optional thread id (Discord thread / Slack thread_ts).'),
});

/** How the Slack app reaches the bot for /digest; the tokens themselves stay in the environment. */
export const slackSchema = z.strictObject({
  apiBaseUrl: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://slack.com/api/' })
    .default('https://slack.com/api/')
    .transform((u) => (u.endsWith('/') ? u : `${u}/`))
    .describe('Slack Web API root, for a proxy or a test fake (default https://slack.com/api/).'),
  mode: z
    .enum(['http', 'socket'])
    .optional()
    .describe(
      'How /digest reaches the bot: http (a public URL; SLACK_SIGNING_SECRET) or socket (Socket Mode, behind a firewall; SLACK_APP_TOKEN). Default: http when SLACK_SIGNING_SECRET is set, else socket when SLACK_APP_TOKEN is.',
    ),
  port: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(3000)
    .describe('HTTP mode: the port of http://HOST:PORT/slack/events (0 picks a free one).'),
  host: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .describe('HTTP mode: the address to listen on (127.0.0.1 behind a reverse proxy on the same machine).'),
  adminUsers: z
    .array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id such as U0123ABCD'))
    .default([])
    .describe('User ids that may subscribe and unsubscribe channels, beside workspace admins and owners.'),
});

export const configSchema = z.strictObject({
  bot: z
    .strictObject({
      name: z.string().min(1).default('watchdesk').describe("The bot's name, in its User-Agent and exports."),
      url: z
        .url()
        .default('https://github.com/watchdesk/watchdesk')
        .describe('Where publishers can read about the bot; sent in the User-Agent.'),
    })
    .prefault({}),
  store: z
    .strictObject({
      path: z
        .string()
        .min(1)
        .default('data/watchdesk.db')
        .describe(
          "SQLite file; a relative path is read from this config file's folder. WATCHDESK_DB (relative to the working directory) overrides.",
        ),
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/i, 'a postgres://user:password@host:5432/database URL')
        .optional()
        .describe(
          'A PostgreSQL store instead of the SQLite file, for several instances sharing one database: postgres://user@host:5432/db (add ?schema=NAME for a schema other than public). Prefer WATCHDESK_DB for a URL that holds a password; WATCHDESK_DB overrides.',
        ),
      retention: duration(24 * 60 * MINUTE)
        .default(180 * 24 * 60 * MINUTE)
        .describe(
          'Items first seen longer ago than this are deleted (and stories left with none), checked every 6 h; never a story an undelivered digest holds. At least 1d.',
        ),
    })
    .prefault({}),
  fetch: z
    .strictObject({
      timeout: duration(1_000).default(20_000).describe('How long one whole fetch may take (feed or article page).'),
      connectTimeout: duration(500).default(10_000).describe('How long opening a connection may take.'),
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .default(5 * 1024 * 1024)
        .describe('Largest response read, after decompression; a larger one fails as too_large.'),
      maxRedirects: z.number().int().min(0).max(10).default(5).describe('Redirects followed per fetch.'),
      perHostConcurrency: z.number().int().min(1).max(32).default(2).describe('Requests at once to one host.'),
      globalConcurrency: z.number().int().min(1).max(1024).default(32).describe('Requests at once in all.'),
      allowPrivateNetworks: z
        .boolean()
        .default(false)
        .describe(
          'Let feeds added from chat reach loopback, private, link-local and metadata addresses (off: such URLs are refused). Feeds in this file are never checked.',
        ),
    })
    .prefault({}),
  polling: z
    .strictObject({
      defaultInterval: duration(MINUTE)
        .default(15 * MINUTE)
        .describe('Poll interval of a feed that sets none.'),
      maxFailures: z.number().int().min(1).default(10).describe('Consecutive failures before a feed is disabled.'),
      maxBackoff: duration(MINUTE)
        .default(24 * 60 * MINUTE)
        .describe('Longest wait between polls of a failing feed (the back-off doubles up to it).'),
    })
    .prefault({}),
  feeds: z.array(feedSchema).default([]),
  topics: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase id such as child-safety'), topicSchema)
    .default({}),
  summarize: z
    .strictObject({
      sentences: z.number().int().min(1).max(10).default(2).describe('Sentences per summary, at most.'),
      maxChars: z.number().int().min(80).max(2_000).default(320).describe('Characters per summary, at most.'),
      useLlm: z.boolean().default(false).describe('Use the LLM summarizer (llm.enabled must be true).'),
    })
    .prefault({}),
  llm: llmSchema.prefault({}),
  stories: z
    .strictObject({
      window: duration(MINUTE)
        .default(72 * 60 * MINUTE)
        .describe('How far back a new item looks for a story to join.'),
      threshold: z.number().min(0).max(1).optional().describe('Similarity needed to join a story; default tuned.'),
    })
    .prefault({}),
  digest: z
    .strictObject({
      skipEmpty: z.boolean().default(true).describe('Post nothing when a digest would have no story.'),
    })
    .prefault({}),
  subscriptions: z.array(subscriptionSchema).default([]),
  slack: slackSchema.prefault({}),
  log: z
    .strictObject({
      level: z
        .enum(LOG_LEVELS)
        .optional()
        .describe('debug, info, warn, error or silent; WATCHDESK_LOG_LEVEL and --log-level override.'),
    })
    .prefault({}),
  http: z
    .strictObject({
      port: z
        .number()
        .int()
        .min(0)
        .max(65_535)
        .default(8080)
        .describe('Port of /healthz, /readyz, /metrics and the status page; 0 picks a free one.'),
      host: z.string().min(1).default('127.0.0.1').describe('Address to listen on; 0.0.0.0 exposes it.'),
    })
    .prefault({}),
  jobs: jobsSchema.prefault({}),
  shutdown: z
    .strictObject({
      grace: duration().default(5_000).describe('How long in-flight deliveries may take to finish on shutdown.'),
    })
    .prefault({}),
  alerts: z
    .strictObject({
      channel: alertChannelSchema
        .optional()
        .describe('Where operator alerts go (feed disabled, dead part, paused subscription, bad token).'),
    })
    .prefault({}),
  discord: z
    .strictObject({
      apiBaseUrl: z
        .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://discord.com/api' })
        .default('https://discord.com/api')
        .describe('Discord REST root without the version (discord.js adds /v10); the gateway URL comes from it.'),
      adminRoles: z
        .array(z.string().min(1))
        .default([])
        .describe('Role names or ids whose members may subscribe and unsubscribe channels, beside Manage Channels.'),
    })
    .prefault({}),
});

export type FeedConfig = z.output<typeof feedSchema>;
export type TopicConfig = z.output<typeof topicSchema>;
export type SubscriptionConfig = z.output<typeof subscriptionSchema>;
export type LlmConfig = z.output<typeof llmSchema>;
export type AlertChannelConfig = z.output<typeof alertChannelSchema>;
export type FileConfig = z.output<typeof configSchema>;
