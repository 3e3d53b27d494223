/**
 * Adding a feed at run time, the same way from the CLI, an OPML import and chat: fetch it once to see that it is a
 * feed (and what it holds), then save it. Nothing is saved when the fetch or the parse fails. The fetch's items
 * are not stored: the feed's first poll stores them, unannounced, as for any new feed.
 */

import type { FeedPreview } from '../feeds/feed-preview.js';
import type { Fetcher } from '../feeds/fetch.js';
import { FetchError } from '../feeds/fetch-errors.js';
import type { FullTextMode } from '../feeds/full-text.js';
import { parseFeed } from '../feeds/parse.js';
import type { NormalizedItem } from '../feeds/types.js';
import { type AddOutcome, addRuntimeFeed } from '../store/feed-sources.js';
import { getFeedByUrl, type RuntimeSource } from '../store/feeds.js';
import type { Sql } from '../store/sql.js';
import { type CompiledTopic, classify } from '../topics/classify.js';

export interface AddFeedDeps {
  db: Sql;
  fetcher: Fetcher;
  topics: readonly CompiledTopic[];
  /** polling.defaultInterval */
  defaultIntervalMs: number;
  now: () => number;
}

export interface AddFeedRequest {
  url: string;
  name?: string | null;
  intervalMs?: number;
  fullText?: FullTextMode;
  addedBy: RuntimeSource;
  note?: string | null;
  category?: string[];
  /** The URL came from chat: the fetch goes through the SSRF guard. */
  untrusted?: boolean;
}

/** What an add did, and what the fetch showed (null when the feed was already added and nothing was fetched). */
export interface AddedFeed {
  outcome: AddOutcome;
  preview: FeedPreview | null;
}

/** Items classified for the topics line: the newest ones, as a digest would show. */
const SAMPLE = 20;

/** Fetches and parses a feed once; throws a FetchError (with what to do) when it is not a readable feed. */
export async function previewFeed(
  deps: Pick<AddFeedDeps, 'fetcher' | 'topics' | 'now'>,
  url: string,
  opts: { untrusted?: boolean } = {},
): Promise<FeedPreview> {
  const res = await deps.fetcher.fetch({ url, ...(opts.untrusted ? { untrusted: true } : {}) });
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(res.body, { url: res.url, now: deps.now() });
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw new FetchError('malformed_xml', `the feed could not be parsed: ${(err as Error).message}`);
  }
  const recent = [...parsed.items].sort((a, b) => b.published.localeCompare(a.published)).slice(0, SAMPLE);
  const newest = recent[0];
  return {
    finalUrl: res.url,
    title: parsed.title,
    itemCount: parsed.items.length,
    newest: newest ? { title: newest.title, published: newest.published, url: newest.url } : null,
    topics: topicCounts(recent, deps.topics),
    sampled: recent.length,
  };
}

/**
 * Previews the feed, then saves it; the outcome says whether it was new, known, or already added (then nothing is
 * fetched, and the preview is null).
 */
export async function addFeed(deps: AddFeedDeps, req: AddFeedRequest): Promise<AddedFeed> {
  const known = await getFeedByUrl(deps.db, req.url);
  if (known?.addedBy) return { outcome: { status: 'duplicate', feed: known }, preview: null };
  const preview = await previewFeed(deps, req.url, { untrusted: req.untrusted ?? false });
  return { outcome: await saveFeed(deps, req, preview), preview };
}

/** Saves a feed a preview showed to be readable (an import previews many at once, then saves them in order). */
export function saveFeed(
  deps: Pick<AddFeedDeps, 'db' | 'defaultIntervalMs' | 'now'>,
  req: AddFeedRequest,
  preview: FeedPreview,
): Promise<AddOutcome> {
  return addRuntimeFeed(
    deps.db,
    {
      url: req.url,
      name: req.name ?? null,
      title: preview.title,
      intervalMs: req.intervalMs ?? deps.defaultIntervalMs,
      fullText: req.fullText ?? 'auto',
      addedBy: req.addedBy,
      note: req.note ?? null,
      category: req.category ?? [],
    },
    deps.now(),
  );
}

function topicCounts(items: NormalizedItem[], topics: readonly CompiledTopic[]): FeedPreview['topics'] {
  const counts = new Map<string, number>();
  for (const item of items) {
    for (const m of classify({ title: item.title, content: item.content }, topics)) {
      counts.set(m.topic, (counts.get(m.topic) ?? 0) + 1);
    }
  }
  return topics
    .filter((t) => counts.has(t.id))
    .map((t) => ({ id: t.id, name: t.name, items: counts.get(t.id) ?? 0 }))
    .sort((a, b) => b.items - a.items);
}
