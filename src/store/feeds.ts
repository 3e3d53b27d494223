import type { FeedConfig } from '../config/schema.js';
import type { FullTextMode } from '../feeds/full-text.js';
import type { Sql } from './sql.js';

export type FeedState = 'ok' | 'failing' | 'disabled';

/** How a feed was added at run time: `watchdesk feeds add`, `feeds import`, or `/digest feed add`. */
export type RuntimeSource = 'cli' | 'opml' | 'chat';

/** A feed is watched (polled, listed) while the config file lists it or someone added it at run time. */
export const WATCHED = '(in_config = 1 OR added_by IS NOT NULL)';

export interface FeedRow {
  id: number;
  /** The address in the config: the feed's identity. */
  url: string;
  /** Where polls actually go after a permanent redirect; null to use `url`. */
  fetchUrl: string | null;
  name: string | null;
  title: string | null;
  intervalMs: number;
  fullText: FullTextMode;
  etag: string | null;
  lastModified: string | null;
  /** Publisher's lower bound on the interval (Cache-Control max-age / RSS <ttl>), from the last 200. */
  minIntervalMs: number | null;
  nextPollAt: number;
  lastPolledAt: number | null;
  lastSuccessAt: number | null;
  /** Successful polls (200 or 304); failures do not count, so a feed's first good poll is still its first. */
  polls: number;
  consecutiveFailures: number;
  lastErrorKind: string | null;
  lastErrorMessage: string | null;
  state: FeedState;
  /** The config file lists it. */
  inConfig: boolean;
  /** Added at run time, and how; null when only the config file has it (or nobody does any more). */
  addedBy: RuntimeSource | null;
  addedAt: number | null;
  /** Who added it from chat (platform, workspace, channel, user), for `feeds list`. */
  addedNote: string | null;
  /** The OPML folders it was imported from, outermost first (["News", "Policy"]); empty when none. */
  category: string[];
  /** inConfig or addedBy: polled and listed. */
  watched: boolean;
  createdAt: number;
}

/**
 * Makes the table match the config: new feeds are inserted (due at once), existing ones take
 * the config's name, interval and full-text mode, and feeds no longer listed are kept (their
 * items stay searchable) but marked inConfig=false, so they are not polled unless they were also
 * added at run time (addedBy is left alone). Health is left alone: a disabled feed stays
 * disabled until enableFeed, even if the config lists it again.
 */
export async function syncFeedsFromConfig(
  sql: Sql,
  feeds: FeedConfig[],
  defaults: { intervalMs: number },
  now: number,
): Promise<void> {
  const byUrl = new Map(feeds.map((f) => [f.url, f]));
  await sql.write(async () => {
    await sql.run('UPDATE feeds SET in_config = 0');
    for (const f of byUrl.values()) {
      const row = {
        url: f.url,
        name: f.name ?? null,
        intervalMs: f.interval ?? defaults.intervalMs,
        fullText: f.fullText ?? 'auto',
        now,
      };
      // An update first, an insert only for a new feed: an upsert would take a PostgreSQL identity
      // value at every start for every listed feed, and `feeds list` would show ids with wide gaps.
      const updated = await sql.run(
        'UPDATE feeds SET name = @name, interval_ms = @intervalMs, full_text = @fullText, in_config = 1 WHERE url = @url',
        row,
      );
      if (updated.changes > 0) continue;
      await sql.run(
        `INSERT INTO feeds (url, name, interval_ms, full_text, next_poll_at, in_config, created_at)
         VALUES (@url, @name, @intervalMs, @fullText, @now, 1, @now)`,
        row,
      );
    }
  });
}

export async function listFeeds(sql: Sql): Promise<FeedRow[]> {
  return (await sql.all<RawFeed>(`${SELECT} ORDER BY id`)).map(toRow);
}

/** The feeds being watched: in the config file or added at run time. */
export async function listWatchedFeeds(sql: Sql): Promise<FeedRow[]> {
  return (await sql.all<RawFeed>(`${SELECT} WHERE ${WATCHED} ORDER BY id`)).map(toRow);
}

/** 'config', 'cli', 'opml', 'chat', or both as 'config+cli': where a feed comes from, for `feeds list`. */
export function feedSource(row: Pick<FeedRow, 'inConfig' | 'addedBy'>): string {
  return [row.inConfig ? 'config' : null, row.addedBy].filter(Boolean).join('+') || 'removed';
}

/**
 * A feed someone added from chat, and the config file does not vouch for: its polls and article pages go
 * through the SSRF guard (fetch.allowPrivateNetworks aside).
 */
export function isUntrusted(row: Pick<FeedRow, 'inConfig' | 'addedBy'>): boolean {
  return row.addedBy === 'chat' && !row.inConfig;
}

export async function getFeed(sql: Sql, id: number): Promise<FeedRow | undefined> {
  const raw = await sql.get<RawFeed>(`${SELECT} WHERE id = ?`, [id]);
  return raw ? toRow(raw) : undefined;
}

export async function getFeedByUrl(sql: Sql, url: string): Promise<FeedRow | undefined> {
  const raw = await sql.get<RawFeed>(`${SELECT} WHERE url = ?`, [url]);
  return raw ? toRow(raw) : undefined;
}

/** Feeds to poll now: watched, not disabled, due; the most overdue first. */
export async function dueFeeds(sql: Sql, now: number): Promise<FeedRow[]> {
  const raws = await sql.all<RawFeed>(
    `${SELECT} WHERE ${WATCHED} AND state != 'disabled' AND next_poll_at <= ? ORDER BY next_poll_at, id`,
    [now],
  );
  return raws.map(toRow);
}

/** When the next feed falls due (the same feeds dueFeeds considers), or null when none will. */
export async function nextPollAt(sql: Sql): Promise<number | null> {
  const at = await sql.value<number | null>(
    `SELECT min(next_poll_at) FROM feeds WHERE ${WATCHED} AND state != 'disabled'`,
  );
  return at ?? null;
}

/**
 * A poll that got 200 or 304: health resets. `fetchUrl`, `title` and `minIntervalMs` are left
 * unchanged when undefined; a null title is also ignored (a 304 or a title-less feed should
 * not erase the one we know).
 */
export async function recordPollSuccess(
  sql: Sql,
  id: number,
  p: {
    now: number;
    nextPollAt: number;
    etag: string | null;
    lastModified: string | null;
    fetchUrl?: string | null;
    title?: string | null;
    minIntervalMs?: number | null;
  },
): Promise<void> {
  // The flags are 0/1 integers compared with 1, as booleans are stored on both dialects: a bare `CASE WHEN @flag`
  // would leave PostgreSQL to read the parameter as a boolean.
  await sql.run(
    `UPDATE feeds SET
       etag = @etag, last_modified = @lastModified, next_poll_at = @nextPollAt,
       last_polled_at = @now, last_success_at = @now, polls = polls + 1,
       consecutive_failures = 0, state = 'ok',
       fetch_url = CASE WHEN @setFetchUrl = 1 THEN @fetchUrl ELSE fetch_url END,
       title = coalesce(@title, title),
       min_interval_ms = CASE WHEN @setMinInterval = 1 THEN @minIntervalMs ELSE min_interval_ms END
     WHERE id = @id`,
    {
      id,
      now: p.now,
      nextPollAt: p.nextPollAt,
      etag: p.etag,
      lastModified: p.lastModified,
      setFetchUrl: p.fetchUrl === undefined ? 0 : 1,
      fetchUrl: p.fetchUrl ?? null,
      title: p.title ?? null,
      setMinInterval: p.minIntervalMs === undefined ? 0 : 1,
      minIntervalMs: p.minIntervalMs ?? null,
    },
  );
}

/** A failed poll: one more consecutive failure, the error kept for `feeds list`. */
export async function recordPollFailure(
  sql: Sql,
  id: number,
  p: { now: number; nextPollAt: number; kind: string; message: string; state: 'failing' | 'disabled' },
): Promise<void> {
  await sql.run(
    `UPDATE feeds SET
       next_poll_at = @nextPollAt, last_polled_at = @now, consecutive_failures = consecutive_failures + 1,
       last_error_kind = @kind, last_error_message = @message, state = @state
     WHERE id = @id`,
    { id, ...p },
  );
}

/**
 * Drops the feed's ETag and Last-Modified, for when the items of a full answer could not be
 * stored: the next poll then fetches them again instead of hearing "not modified".
 */
export async function forgetValidators(sql: Sql, id: number): Promise<void> {
  await sql.run('UPDATE feeds SET etag = NULL, last_modified = NULL WHERE id = ?', [id]);
}

/** Re-enables a feed (after a person fixed it): failures forgotten, due at once. The last error stays as history. */
export async function enableFeed(sql: Sql, id: number, now: number): Promise<void> {
  await sql.run(`UPDATE feeds SET state = 'ok', consecutive_failures = 0, next_poll_at = ? WHERE id = ?`, [now, id]);
}

/** When each feed's newest item was first seen (ms), by feed id; feeds with no item are absent. */
export async function lastItemTimes(sql: Sql): Promise<Map<number, number>> {
  const rows = await sql.all<{ feedId: number; at: number }>(
    'SELECT feed_id AS "feedId", max(first_seen_at) AS at FROM items GROUP BY feed_id',
  );
  return new Map(rows.map((r) => [r.feedId, r.at]));
}

/** True until the feed has been polled successfully once: its items are stored but not announced. */
export function isFirstPoll(row: FeedRow): boolean {
  return row.polls === 0 && row.lastSuccessAt === null;
}

const SELECT = `SELECT id, url, fetch_url, name, title, interval_ms, full_text, etag, last_modified,
  min_interval_ms, next_poll_at, last_polled_at, last_success_at, polls, consecutive_failures,
  last_error_kind, last_error_message, state, in_config, added_by, added_at, added_note, category, created_at FROM feeds`;

interface RawFeed {
  id: number;
  url: string;
  fetch_url: string | null;
  name: string | null;
  title: string | null;
  interval_ms: number;
  full_text: FullTextMode;
  etag: string | null;
  last_modified: string | null;
  min_interval_ms: number | null;
  next_poll_at: number;
  last_polled_at: number | null;
  last_success_at: number | null;
  polls: number;
  consecutive_failures: number;
  last_error_kind: string | null;
  last_error_message: string | null;
  state: FeedState;
  in_config: number;
  added_by: RuntimeSource | null;
  added_at: number | null;
  added_note: string | null;
  category: string | null;
  created_at: number;
}

function toRow(r: RawFeed): FeedRow {
  return {
    id: r.id,
    url: r.url,
    fetchUrl: r.fetch_url,
    name: r.name,
    title: r.title,
    intervalMs: r.interval_ms,
    fullText: r.full_text,
    etag: r.etag,
    lastModified: r.last_modified,
    minIntervalMs: r.min_interval_ms,
    nextPollAt: r.next_poll_at,
    lastPolledAt: r.last_polled_at,
    lastSuccessAt: r.last_success_at,
    polls: r.polls,
    consecutiveFailures: r.consecutive_failures,
    lastErrorKind: r.last_error_kind,
    lastErrorMessage: r.last_error_message,
    state: r.state,
    inConfig: r.in_config === 1,
    addedBy: r.added_by,
    addedAt: r.added_at,
    addedNote: r.added_note,
    category: r.category ? (JSON.parse(r.category) as string[]) : [],
    watched: r.in_config === 1 || r.added_by !== null,
    createdAt: r.created_at,
  };
}
