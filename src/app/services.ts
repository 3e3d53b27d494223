/**
 * The services built from the config alone, without the store: createApp builds the running app's
 * from here, and the commands that need no store (parse, classify, summarize, stories cluster) ask
 * for theirs here instead of wiring stages themselves, so that they never open a database.
 */
import { secretValues } from '../config/env.js';
import type { Config } from '../config/load.js';
import type { FileConfig } from '../config/schema.js';
import type { Fetcher } from '../feeds/fetch.js';
import { createLogger, type Logger, type LogLevel } from '../log.js';
import { type Clusterer, type ClustererOptions, createClusterer } from '../stories/cluster.js';
import { createExtractiveSummarizer } from '../summarize/extractive.js';
import { createSummarizer, type SummarizerDeps } from '../summarize/index.js';
import type { Summarizer } from '../summarize/types.js';
import { type CompiledTopic, compileTopics } from '../topics/classify.js';
import { VERSION } from './version.js';

/** The logger, with every secret in the config redacted from what it writes. */
export function loggerFor(config: Pick<Config, 'secrets'>, level: LogLevel): Logger {
  return createLogger({ level, secrets: secretValues(config.secrets) });
}

/**
 * The feed fetcher with the config's limits and user agent (the defaults when `settings` is the schema's).
 * undici (over a hundred modules) loads on the first fetch, so that the commands which fetch nothing
 * (feeds list, subscriptions, outbox, digest) start without it.
 */
export function feedFetcher(settings: Pick<FileConfig, 'bot' | 'fetch'>): Fetcher {
  let fetcher: Promise<Fetcher> | undefined;
  const load = () =>
    (fetcher ??= import('../feeds/fetch.js').then(({ createFetcher, fetcherOptionsFor }) =>
      createFetcher(fetcherOptionsFor(settings, VERSION)),
    ));
  return {
    fetch: async (req) => (await load()).fetch(req),
    close: async () => {
      if (fetcher) await (await fetcher).close();
    },
  };
}

export function topicsOf(config: Pick<Config, 'topics'>): CompiledTopic[] {
  return compileTopics(config.topics);
}

/**
 * The configured summarizer: extractive, or the LLM with extractive as its fallback (summarize.useLlm,
 * or deps.useLlm, and llm.enabled). Without a config, the offline extractive one.
 */
export function summarizerFor(config: Config | null, deps: SummarizerDeps = {}): Summarizer {
  return config ? createSummarizer(config, deps) : createExtractiveSummarizer();
}

/** The in-memory story clusterer `stories cluster` runs (the same decision ingest makes, see stories/). */
export function storyClusterer(opts: ClustererOptions): Clusterer {
  return createClusterer(opts);
}
