import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { type Metrics, secondsSince } from '../metrics.js';
import {
  type FeedRow,
  getFeed,
  isFirstPoll,
  isUntrusted,
  recordPollFailure,
  recordPollSuccess,
} from '../store/feeds.js';
import type { Sql } from '../store/sql.js';
import { lowerBoundMs, nextPollAfterFailure, nextPollAfterSuccess, stateAfterFailure } from './backoff.js';
import type { Fetcher } from './fetch.js';
import { FetchError } from './fetch-errors.js';
import { redactUrl } from './redact-url.js';
import type { ParsedFeed } from './types.js';

export interface PollDeps {
  db: Sql;
  fetcher: Fetcher;
  parse: (text: string, opts: { url: string; now?: number }) => ParsedFeed;
  now: () => number;
  maxFailures: number;
  maxBackoffMs: number;
  log?: Logger;
  metrics?: Metrics;
  /** Aborts in-flight polls at shutdown: an aborted poll records nothing on the feed and rejects. */
  signal?: AbortSignal;
  /**
   * A full answer (200) is recorded on the feed only when the outcome's record() is called, after its items are
   * stored (pipeline/poll-cycle.ts): a process that dies in between leaves the feed due with its old validators,
   * so the next poll, here or in another process, fetches the same items again instead of hearing "not modified".
   */
  deferSuccess?: boolean;
}

export type PollOutcome =
  | {
      feed: FeedRow;
      status: 'ok';
      firstPoll: boolean;
      parsed: ParsedFeed;
      elapsedMs: number;
      /**
       * With deferSuccess: records the poll on the feed (once its items are stored) and returns the row; a second
       * call records nothing more.
       */
      record?: () => Promise<FeedRow>;
    }
  | { feed: FeedRow; status: 'not_modified'; elapsedMs: number }
  | { feed: FeedRow; status: 'error'; error: FetchError; elapsedMs: number };

/**
 * The fetch side of one poll: conditional GET, parse, and the feed row's schedule and health.
 * It stores no items (ingest does). Feed problems become an 'error' outcome and a failure on
 * the row, never an exception; `feed` in the outcome is the row as updated.
 */
export async function pollFeed(deps: PollDeps, feed: FeedRow): Promise<PollOutcome> {
  const started = deps.now();
  const url = feed.fetchUrl ?? feed.url;
  const fetchStarted = performance.now();
  let fetchSeconds: number | undefined;
  try {
    const res = await deps.fetcher.fetch({
      url,
      etag: feed.etag,
      lastModified: feed.lastModified,
      signal: deps.signal,
      // a feed added from chat stays behind the SSRF guard on every poll, not only when it was added
      untrusted: isUntrusted(feed),
    });
    fetchSeconds = secondsSince(fetchStarted);
    const now = deps.now();
    const fetchUrl = res.permanentRedirect ?? undefined;
    if (res.status === 304) {
      // A 304 carries no <ttl>; the bound learned from the last full answer still applies.
      const maxAgeMs = Math.max(res.maxAgeMs ?? 0, feed.minIntervalMs ?? 0) || null;
      await recordPollSuccess(deps.db, feed.id, {
        now,
        nextPollAt: nextPollAfterSuccess({ now, intervalMs: feed.intervalMs, maxAgeMs, ttlMinutes: null }),
        // Servers often omit validators on a 304; keep the ones that earned it.
        etag: res.etag ?? feed.etag,
        lastModified: res.lastModified ?? feed.lastModified,
        fetchUrl,
      });
      deps.log?.debug('feed not modified', { feed: feed.id, url: redactUrl(url) });
      deps.metrics?.pollFinished('not_modified', fetchSeconds);
      return { feed: await reload(deps, feed), status: 'not_modified', elapsedMs: now - started };
    }
    const parsed = parseOrClassify(deps, res.body, res.url, now);
    let recorded: Promise<FeedRow> | undefined;
    const record = () => {
      recorded ??= recordSuccess();
      return recorded;
    };
    const recordSuccess = async () => {
      await recordPollSuccess(deps.db, feed.id, {
        now,
        nextPollAt: nextPollAfterSuccess({
          now,
          intervalMs: feed.intervalMs,
          maxAgeMs: res.maxAgeMs,
          ttlMinutes: parsed.ttlMinutes,
        }),
        etag: res.etag,
        lastModified: res.lastModified,
        fetchUrl,
        title: parsed.title,
        minIntervalMs: lowerBoundMs(res.maxAgeMs, parsed.ttlMinutes),
      });
      if (fetchUrl) {
        deps.log?.info('feed moved permanently', { feed: feed.id, from: redactUrl(url), to: redactUrl(fetchUrl) });
      }
      return reload(deps, feed);
    };
    deps.metrics?.pollFinished('ok', fetchSeconds);
    const ok = { status: 'ok', firstPoll: isFirstPoll(feed), parsed } as const;
    if (deps.deferSuccess) return { ...ok, feed, record, elapsedMs: deps.now() - started };
    return { ...ok, feed: await record(), elapsedMs: deps.now() - started };
  } catch (err) {
    // Shutdown is not the feed's fault: nothing is recorded, and the caller stops.
    if (deps.signal?.aborted) throw err;
    const error = asFetchError(err, url);
    deps.metrics?.pollFinished(error.kind, fetchSeconds ?? secondsSince(fetchStarted));
    const now = deps.now();
    const failures = feed.consecutiveFailures + 1;
    const state = stateAfterFailure(failures, deps.maxFailures);
    const backoff: Parameters<typeof nextPollAfterFailure>[0] = {
      now,
      intervalMs: Math.max(feed.intervalMs, feed.minIntervalMs ?? 0),
      consecutiveFailures: failures,
      maxBackoffMs: deps.maxBackoffMs,
    };
    if (error.retryAfterMs !== undefined) backoff.retryAfterMs = error.retryAfterMs;
    await recordPollFailure(deps.db, feed.id, {
      now,
      nextPollAt: nextPollAfterFailure(backoff),
      kind: error.kind,
      message: error.message,
      state,
    });
    const fields = { feed: feed.id, url: redactUrl(url), kind: error.kind, failures, detail: error.extra.detail };
    if (state === 'disabled') deps.log?.warn(`feed disabled after ${failures} failures: ${error.message}`, fields);
    else deps.log?.warn(`feed poll failed: ${error.message}`, fields);
    return { feed: await reload(deps, feed), status: 'error', error, elapsedMs: now - started };
  }
}

/**
 * Polls all the given feeds at once (the fetcher's per-host and global limits do the throttling) and
 * hands each feed's outcome over as soon as it is in (with the feed's index in `feeds`), keeping none:
 * a cycle over thousands of feeds need not hold every parsed document until the last one is fetched.
 */
export async function pollFeedsEach(
  deps: PollDeps,
  feeds: FeedRow[],
  each: (outcome: PollOutcome, index: number) => void,
): Promise<void> {
  await Promise.all(feeds.map(async (feed, index) => each(await pollFeed(deps, feed), index)));
}

function parseOrClassify(deps: PollDeps, text: string, url: string, now: number): ParsedFeed {
  try {
    return deps.parse(text, { url, now });
  } catch (err) {
    if (err instanceof FetchError) throw err;
    // A parser crash on some document is still that document's problem, not the process's.
    throw new FetchError('malformed_xml', `the feed could not be parsed: ${errorMessage(err)}`, {
      detail: (err as Error).stack?.slice(0, 500),
    });
  }
}

function asFetchError(err: unknown, url: string): FetchError {
  if (err instanceof FetchError) return err;
  return new FetchError('io', `polling ${redactUrl(url)} failed unexpectedly: ${errorMessage(err)}`, {
    detail: (err as Error)?.stack?.slice(0, 500),
  });
}

async function reload(deps: PollDeps, feed: FeedRow): Promise<FeedRow> {
  return (await getFeed(deps.db, feed.id)) ?? feed;
}
