/**
 * Feeds added and removed at run time (the CLI, OPML, chat). The config file's own feeds are synced in feeds.ts;
 * the two sources are independent columns of one row, so each can come and go without touching the other.
 */
import type { FullTextMode } from '../feeds/full-text.js';
import { type FeedRow, getFeed, getFeedByUrl, type RuntimeSource } from './feeds.js';
import type { Sql } from './sql.js';

export interface RuntimeFeedInput {
  url: string;
  name: string | null;
  /** The feed's own title, from the fetch that checked it. */
  title: string | null;
  intervalMs: number;
  fullText: FullTextMode;
  addedBy: RuntimeSource;
  /** Who added it from chat, for `feeds list`. */
  note?: string | null;
  /** OPML folders, outermost first. */
  category?: string[];
}

/**
 * - `added`: a new feed, due at once (its first poll stores items without announcing them);
 * - `also_in_config`: the config file has it already; now it stays when the file drops it;
 * - `readded`: watched once and since removed: the same row (its stored items), starting over like a new feed
 *   so that what it published meanwhile does not flood a channel;
 * - `duplicate`: already added at run time: nothing changed.
 */
export type AddOutcome = { status: 'added' | 'also_in_config' | 'readded' | 'duplicate'; feed: FeedRow };

export async function addRuntimeFeed(sql: Sql, input: RuntimeFeedInput, now: number): Promise<AddOutcome> {
  return sql.write(async () => {
    const existing = await getFeedByUrl(sql, input.url);
    if (existing?.addedBy) return { status: 'duplicate', feed: existing };
    const values = {
      url: input.url,
      name: input.name,
      title: input.title,
      intervalMs: input.intervalMs,
      fullText: input.fullText,
      addedBy: input.addedBy,
      note: input.note ?? null,
      category: input.category && input.category.length > 0 ? JSON.stringify(input.category) : null,
      now,
    };
    if (!existing) {
      await sql.run(
        `INSERT INTO feeds (url, name, title, interval_ms, full_text, next_poll_at, in_config, added_by, added_at,
           added_note, category, created_at)
         VALUES (@url, @name, @title, @intervalMs, @fullText, @now, 0, @addedBy, @now, @note, @category, @now)`,
        values,
      );
      return { status: 'added', feed: (await getFeedByUrl(sql, input.url)) as FeedRow };
    }
    if (existing.inConfig) {
      // The config file's name, interval and mode stay in charge while it lists the feed.
      await sql.run(
        `UPDATE feeds SET added_by = @addedBy, added_at = @now, added_note = @note,
           category = coalesce(@category, category) WHERE url = @url`,
        values,
      );
      return { status: 'also_in_config', feed: (await getFeedByUrl(sql, input.url)) as FeedRow };
    }
    await sql.run(
      `UPDATE feeds SET added_by = @addedBy, added_at = @now, added_note = @note, category = @category,
         name = @name, title = coalesce(@title, title), interval_ms = @intervalMs, full_text = @fullText,
         next_poll_at = @now, polls = 0, last_success_at = NULL, etag = NULL, last_modified = NULL,
         consecutive_failures = 0, state = 'ok'
       WHERE url = @url`,
      values,
    );
    return { status: 'readded', feed: (await getFeedByUrl(sql, input.url)) as FeedRow };
  });
}

/**
 * Drops the run-time source of a feed. A feed the config file also lists stays watched; one it does not is no
 * longer polled, and its stored items stay searchable (as when the config file drops a feed). Returns the row
 * as it is now, or undefined when there is no such feed.
 */
export async function removeRuntimeFeed(sql: Sql, id: number): Promise<FeedRow | undefined> {
  await sql.run('UPDATE feeds SET added_by = NULL, added_at = NULL, added_note = NULL WHERE id = ?', [id]);
  return getFeed(sql, id);
}

/** A feed by id ("12") or by URL, as typed in `feeds remove` or `/digest feed remove`. */
export async function findFeed(sql: Sql, idOrUrl: string): Promise<FeedRow | undefined> {
  const text = idOrUrl.trim();
  if (/^\d+$/.test(text)) return getFeed(sql, Number(text));
  const exact = await getFeedByUrl(sql, text);
  if (exact) return exact;
  let href: string;
  try {
    href = new URL(text).href;
  } catch {
    return undefined;
  }
  return getFeedByUrl(sql, href);
}
