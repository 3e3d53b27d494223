/**
 * Adding and removing feeds at run time: what the work needs from the app (for the CLI and the chat adapters),
 * and the CLI's words for what happened.
 */
import { UserError } from '../errors.js';
import { feedLabel } from '../feeds/feed-preview.js';
import { FetchError } from '../feeds/fetch-errors.js';
import { redactUrl } from '../feeds/redact-url.js';
import { type AddFeedDeps, type AddFeedRequest, addFeed } from '../pipeline/add-feed.js';
import type { AddOutcome } from '../store/feed-sources.js';
import { type FeedRow, feedSource } from '../store/feeds.js';
import type { App } from './app.js';

export function addFeedDeps(app: Pick<App, 'db' | 'fetcher' | 'topics' | 'config' | 'clock'>): AddFeedDeps {
  return {
    db: app.db,
    fetcher: app.fetcher,
    topics: app.topics,
    defaultIntervalMs: app.config.polling.defaultInterval,
    now: () => app.clock.now(),
  };
}

/** Adding a feed from chat, wired for the commands (they never import the pipeline themselves). */
export function feedAdmin(app: Pick<App, 'db' | 'fetcher' | 'topics' | 'config' | 'clock'>) {
  const deps = addFeedDeps(app);
  return { add: (req: AddFeedRequest) => addFeed(deps, req) };
}

/** An http(s) URL, or a UserError saying what was wrong with it. */
export function feedUrlArgument(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UserError(
      'bad_argument',
      `"${redactUrl(text)}" is not a URL`,
      'Give the whole address of the feed, such as https://example.org/feed.xml',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError('bad_argument', `${url.protocol} URLs cannot be fetched`, 'Give an http:// or https:// URL.');
  }
  url.hash = '';
  return url.href;
}

/** A fetch that showed the URL is not a usable feed, as a UserError: nothing was saved. */
export function notAddedError(url: string, err: unknown): unknown {
  if (!(err instanceof FetchError)) return err;
  const hint =
    err.kind === 'blocked'
      ? 'Nothing was saved.'
      : 'Nothing was saved. Open the URL in a browser to check it, or find the feed link on the site.';
  return new UserError(`feed_${err.kind}`, `could not add ${redactUrl(url)}: ${err.message}`, hint);
}

/** What the outcome of an add means, in one line. */
export function outcomeLine(o: AddOutcome): string {
  const label = feedLabel(o.feed);
  switch (o.status) {
    case 'added':
      return `Added feed ${o.feed.id}: ${label}. Its first poll stores its items without announcing them.`;
    case 'readded':
      return `Added feed ${o.feed.id} again: ${label}. Its items from before are kept; its first poll announces nothing.`;
    case 'also_in_config':
      return `Feed ${o.feed.id} (${label}) is already in the config file; it is now also a run-time feed, so it stays if the file drops it.`;
    case 'duplicate':
      return `Feed ${o.feed.id} (${label}) was already added (source: ${feedSource(o.feed)}); nothing changed.`;
  }
}

/** What removing a run-time feed did, in one line; a UserError when there is nothing to remove. */
export function removeFeedLine(before: FeedRow, after: FeedRow): string {
  const label = feedLabel(before);
  if (after.inConfig) {
    return `Feed ${before.id} (${label}) is no longer a run-time feed, but the config file lists it, so it is still watched. Remove it from the config file to stop it.`;
  }
  return `Removed feed ${before.id} (${label}): it is no longer polled; its stored items stay searchable.`;
}

export function notRuntimeError(feed: FeedRow): UserError {
  if (feed.inConfig) {
    return new UserError(
      'feed_in_config',
      `feed ${feed.id} (${feedLabel(feed)}) comes from the config file, not from a run-time add`,
      'Remove it from the config file (a change there takes effect at the next start).',
    );
  }
  return new UserError(
    'not_found',
    `feed ${feed.id} (${feedLabel(feed)}) is not being watched`,
    'See: watchdesk feeds list',
  );
}

/**
 * The watched feeds as the config file has them now, for the commands that only read (feeds list, feeds export):
 * the store's rows with the file's say on which feeds it lists and their names, worked out in memory where a
 * command that writes (or the bot's start) would sync the file into the store first. A feed the file lists but
 * no command has stored yet has no id, so it appears after the next sync.
 */
export function watchedFeedsAsConfigured(rows: FeedRow[], config: Pick<App['config'], 'feeds' | 'polling'>): FeedRow[] {
  const listed = new Map(config.feeds.map((f) => [f.url, f]));
  return rows
    .map((row) => {
      const f = listed.get(row.url);
      if (!f) return { ...row, inConfig: false };
      return { ...row, inConfig: true, name: f.name ?? null, intervalMs: f.interval ?? config.polling.defaultInterval };
    })
    .filter((row) => row.inConfig || row.addedBy !== null)
    .map((row) => ({ ...row, watched: true }));
}
