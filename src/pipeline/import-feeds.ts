/**
 * An OPML import: every feed in the file is checked and added like `feeds add` (addedBy 'opml', its title as the
 * outlet name, its folders as its category). A duplicate (twice in the file, or already watched) or a feed that
 * cannot be fetched or parsed is reported and skipped; the rest go on.
 */
import { errorMessage } from '../errors.js';
import { FetchError } from '../feeds/fetch-errors.js';
import type { OpmlFeed } from '../feeds/opml.js';
import { redactUrl } from '../feeds/redact-url.js';
import { feedSource, getFeedByUrl } from '../store/feeds.js';
import { type AddFeedDeps, previewFeed, saveFeed } from './add-feed.js';

export interface ImportEntry {
  /** The feed's title, else its URL (credentials masked). */
  entry: string;
  url: string;
}

export interface ImportReport {
  added: (ImportEntry & { feedId: number; items: number })[];
  duplicates: (ImportEntry & { reason: string })[];
  failed: (ImportEntry & { reason: string })[];
}

export type ImportProgress = (p: { done: number; total: number; entry: string; outcome: string }) => void;

export async function importFeeds(
  deps: AddFeedDeps,
  feeds: OpmlFeed[],
  onProgress: ImportProgress = () => {},
): Promise<ImportReport> {
  const report: ImportReport = { added: [], duplicates: [], failed: [] };
  const seen = new Set<string>();
  const todo: OpmlFeed[] = [];
  for (const f of feeds) {
    const e = { entry: f.title ?? redactUrl(f.url), url: f.url };
    const known = await getFeedByUrl(deps.db, f.url);
    if (seen.has(f.url)) report.duplicates.push({ ...e, reason: 'listed more than once in the file' });
    else if (known?.watched)
      report.duplicates.push({ ...e, reason: `already watched (feed ${known.id}, source: ${feedSource(known)})` });
    else todo.push(f);
    seen.add(f.url);
  }
  // Checked all at once (the fetcher's per-host and global limits pace the requests), saved in the file's order.
  let done = 0;
  const previews = await Promise.all(
    todo.map(async (f) => {
      const entry = f.title ?? redactUrl(f.url);
      const checked = await previewFeed(deps, f.url).then(
        (preview) => ({ preview }),
        (err: unknown) => ({ reason: err instanceof FetchError ? err.message : errorMessage(err) }),
      );
      done++;
      onProgress({
        done,
        total: todo.length,
        entry,
        outcome: 'preview' in checked ? `${checked.preview.itemCount} items` : 'failed',
      });
      return checked;
    }),
  );
  for (const [i, f] of todo.entries()) {
    const e = { entry: f.title ?? redactUrl(f.url), url: f.url };
    const checked = previews[i] as (typeof previews)[number];
    if (!('preview' in checked)) {
      report.failed.push({ ...e, reason: checked.reason });
      continue;
    }
    const o = await saveFeed(
      deps,
      { url: f.url, name: f.title, category: f.category, addedBy: 'opml' },
      checked.preview,
    );
    // another process may have added it meanwhile
    if (o.status === 'duplicate') report.duplicates.push({ ...e, reason: `already watched (feed ${o.feed.id})` });
    else report.added.push({ ...e, feedId: o.feed.id, items: checked.preview.itemCount });
  }
  return report;
}
