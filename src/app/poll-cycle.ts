import { pollFeeds } from '../feeds/poller.js';
import { redactUrl } from '../feeds/redact-url.js';
import type { FeedRow } from '../store/feeds.js';
import type { App } from './app.js';
import { type IngestResult, ingestPoll } from './ingest.js';

export interface FeedPollReport {
  feedId: number;
  feed: string;
  status: 'ok' | 'not_modified' | 'error';
  firstPoll: boolean;
  newItems: number;
  announced: number;
  matched: number;
  elapsedMs: number;
  error?: { kind: string; message: string };
}

/**
 * Polls the given feeds and ingests what they bring. Feed problems become report rows (the
 * poller logs each one), never exceptions: one broken feed does not stop the others.
 */
export async function pollAndIngest(
  app: Pick<App, 'pollDeps' | 'ingestDeps' | 'log'>,
  feeds: FeedRow[],
): Promise<FeedPollReport[]> {
  const outcomes = await pollFeeds(app.pollDeps, feeds);
  const reports: FeedPollReport[] = [];
  for (const outcome of outcomes) {
    const label = outcome.feed.name ?? outcome.feed.title ?? outcome.feed.url;
    let ingest: IngestResult = { newItems: 0, announced: 0, matched: 0, newStories: 0 };
    if (outcome.status === 'ok') {
      try {
        ingest = await ingestPoll(app.ingestDeps, outcome);
      } catch (err) {
        app.log.error('ingest failed', { feed: redactUrl(outcome.feed.url), err });
      }
    }
    reports.push({
      feedId: outcome.feed.id,
      feed: label,
      status: outcome.status,
      firstPoll: outcome.status === 'ok' && outcome.firstPoll,
      newItems: ingest.newItems,
      announced: ingest.announced,
      matched: ingest.matched,
      elapsedMs: outcome.elapsedMs,
      ...(outcome.status === 'error' ? { error: { kind: outcome.error.kind, message: outcome.error.message } } : {}),
    });
  }
  return reports;
}
