import { errorMessage } from '../errors.js';
import { type PollDeps, type PollOutcome, pollFeedsEach } from '../feeds/poller.js';
import { redactUrl } from '../feeds/redact-url.js';
import type { Logger } from '../log.js';
import { type FeedRow, forgetValidators } from '../store/feeds.js';
import { type IngestDeps, type IngestResult, ingestPoll } from './ingest.js';

/** What one poll cycle needs: the poller's deps, the ingest's deps, and where to log. */
export interface PollCycleDeps {
  pollDeps: PollDeps;
  ingestDeps: IngestDeps;
  log: Logger;
}

export interface FeedPollReport {
  feedId: number;
  feed: string;
  status: 'ok' | 'not_modified' | 'error';
  firstPoll: boolean;
  newItems: number;
  announced: number;
  matched: number;
  /** New items whose enrichment failed; a later poll tries them again. */
  failedItems: number;
  /** The whole time the feed took: fetch and parse, then storing and enriching its new items. */
  elapsedMs: number;
  /** The part of elapsedMs spent storing and enriching (classify, summarize, cluster). */
  ingestMs: number;
  error?: { kind: string; message: string };
}

/**
 * Polls the given feeds and ingests what they bring. Feed problems become report rows (the
 * poller logs each one), never exceptions: one broken feed does not stop the others. New items
 * that could not be stored make the feed's row an error of kind `ingest`. Feeds are ingested one
 * at a time in the given order, each as soon as it and the feeds before it are polled, while the
 * rest are still being fetched: the same order (so the same stories) as polling them all first,
 * but a parsed document is let go once its items are stored, and ingest overlaps the network.
 */
export async function pollAndIngest(
  deps: PollCycleDeps,
  feeds: FeedRow[],
  /** Each feed's report as soon as it is done (poll --once's progress). */
  onFeed: (report: FeedPollReport) => void = () => {},
): Promise<FeedPollReport[]> {
  const reports: FeedPollReport[] = [];
  const waiting = new Map<number, PollOutcome>();
  let nextIndex = 0;
  let chain = Promise.resolve();
  // A full answer is recorded on its feed after its items are stored (ingestOutcome), so a crash in between
  // leaves it to be fetched again rather than lost behind "not modified".
  await pollFeedsEach({ ...deps.pollDeps, deferSuccess: true }, feeds, (outcome, index) => {
    waiting.set(index, outcome);
    for (let ready = waiting.get(nextIndex); ready; ready = waiting.get(nextIndex)) {
      waiting.delete(nextIndex++);
      const next = ready;
      chain = chain.then(async () => {
        const report = await ingestOutcome(deps, next);
        reports.push(report);
        // A progress printer that fails must not stop the later feeds' items from being stored.
        try {
          onFeed(report);
        } catch (err) {
          deps.log.warn('reporting a polled feed failed', { err });
        }
      });
      // Handled here so a failure is not an unhandled rejection before `await chain` below sees it.
      chain.catch(() => {});
    }
  });
  await chain;
  return reports;
}

/** One feed's poll outcome ingested, as its report row. */
async function ingestOutcome(deps: PollCycleDeps, outcome: PollOutcome): Promise<FeedPollReport> {
  let ingest: IngestResult = { newItems: 0, announced: 0, matched: 0, newStories: 0, failed: 0 };
  let error: FeedPollReport['error'] =
    outcome.status === 'error' ? { kind: outcome.error.kind, message: outcome.error.message } : undefined;
  const ingestStarted = performance.now();
  if (outcome.status === 'ok') {
    try {
      ingest = await ingestPoll(deps.ingestDeps, outcome);
    } catch (err) {
      deps.log.error('storing new items failed; the next poll fetches them again', {
        feed: redactUrl(outcome.feed.url),
        err,
      });
      error = { kind: 'ingest', message: `its new items could not be stored: ${errorMessage(err)}` };
    }
  }
  let feed = outcome.feed;
  if (outcome.status === 'ok' && outcome.record) {
    // Recorded by ingestPoll once the items were stored; here when they could not be.
    feed = await outcome.record();
    // Items that could not be stored are fetched again by the next poll: no "not modified" for them.
    if (error) await forgetValidators(deps.pollDeps.db, feed.id);
  }
  const ingestMs = performance.now() - ingestStarted;
  const report: FeedPollReport = {
    feedId: feed.id,
    feed: feed.name ?? feed.title ?? feed.url,
    status: error ? 'error' : outcome.status,
    firstPoll: outcome.status === 'ok' && outcome.firstPoll,
    newItems: ingest.newItems,
    announced: ingest.announced,
    matched: ingest.matched,
    failedItems: ingest.failed,
    elapsedMs: outcome.elapsedMs + ingestMs,
    ingestMs,
    ...(error ? { error } : {}),
  };
  return report;
}
