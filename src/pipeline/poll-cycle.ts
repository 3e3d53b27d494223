import { errorMessage } from '../errors.js';
import { type PollDeps, pollFeeds } from '../feeds/poller.js';
import { redactUrl } from '../feeds/redact-url.js';
import type { Logger } from '../log.js';
import type { FeedRow } from '../store/feeds.js';
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
 * that could not be stored make the feed's row an error of kind `ingest`.
 */
export async function pollAndIngest(
  deps: PollCycleDeps,
  feeds: FeedRow[],
  /** Each feed's report as soon as it is done (poll --once's progress). */
  onFeed: (report: FeedPollReport) => void = () => {},
): Promise<FeedPollReport[]> {
  const outcomes = await pollFeeds(deps.pollDeps, feeds);
  const reports: FeedPollReport[] = [];
  for (const outcome of outcomes) {
    const label = outcome.feed.name ?? outcome.feed.title ?? outcome.feed.url;
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
    const ingestMs = performance.now() - ingestStarted;
    const report: FeedPollReport = {
      feedId: outcome.feed.id,
      feed: label,
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
    reports.push(report);
    onFeed(report);
  }
  return reports;
}
