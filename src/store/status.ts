/**
 * Read-only queries behind the status page and the metrics: feed health with the last new item,
 * stories per topic per day, the latest stories with their outlets, and the outbox's oldest
 * pending part. Nothing here writes.
 */
import { outletName } from './digest-stories.js';
import type { FeedState } from './feeds.js';
import type { Sql } from './sql.js';

const DAY_MS = 86_400_000;

export interface FeedHealthRow {
  id: number;
  url: string;
  name: string | null;
  title: string | null;
  state: FeedState;
  consecutiveFailures: number;
  lastErrorKind: string | null;
  lastErrorMessage: string | null;
  lastSuccessAt: number | null;
  /** When this feed last brought an item not seen before; null when it never has. */
  lastNewItemAt: number | null;
  nextPollAt: number;
}

/** The feeds the config lists, with when each last brought something new. */
export async function feedHealth(sql: Sql): Promise<FeedHealthRow[]> {
  return sql.all<FeedHealthRow>(
    `SELECT f.id, f.url, f.name, f.title, f.state, f.consecutive_failures AS "consecutiveFailures",
            f.last_error_kind AS "lastErrorKind", f.last_error_message AS "lastErrorMessage",
            f.last_success_at AS "lastSuccessAt", f.next_poll_at AS "nextPollAt",
            (SELECT max(i.first_seen_at) FROM items i WHERE i.feed_id = f.id) AS "lastNewItemAt"
     FROM feeds f WHERE (f.in_config = 1 OR f.added_by IS NOT NULL) ORDER BY f.id`,
  );
}

export interface TopicDayCount {
  topic: string;
  /** UTC day as days since the epoch. */
  day: number;
  /** Stories first seen that day with at least one item matching the topic. */
  stories: number;
}

/** Matched stories per topic per UTC day, for the days from `sinceDay` (days since the epoch) on. */
export async function topicDailyCounts(sql: Sql, sinceDay: number): Promise<TopicDayCount[]> {
  // Integer division on both dialects: first_seen_at and the day length are integers.
  return sql.all<TopicDayCount>(
    `SELECT it.topic, s.first_seen_at / ${DAY_MS} AS day, count(DISTINCT s.id) AS stories
     FROM item_topics it
     JOIN items i ON i.id = it.item_id
     JOIN stories s ON s.id = i.story_id
     WHERE s.first_seen_at >= ?
     GROUP BY it.topic, day
     ORDER BY it.topic, day`,
    [sinceDay * DAY_MS],
  );
}

export interface RecentStory {
  id: number;
  title: string;
  url: string | null;
  firstSeenAt: number;
  itemCount: number;
  /** Distinct outlets, earliest item first. */
  outlets: string[];
}

/** The newest stories by first sighting, each with the outlets that told it. */
export async function recentStories(sql: Sql, limit = 20): Promise<RecentStory[]> {
  const stories = await sql.all<Omit<RecentStory, 'outlets'>>(
    `SELECT s.id, s.title, s.first_seen_at AS "firstSeenAt", s.item_count AS "itemCount", r.url
     FROM stories s LEFT JOIN items r ON r.id = s.representative_item_id
     ORDER BY s.first_seen_at DESC, s.id DESC LIMIT ?`,
    [limit],
  );
  if (stories.length === 0) return [];
  const members = await sql.all<Parameters<typeof outletName>[0] & { storyId: number }>(
    `SELECT i.story_id AS "storyId", i.source, i.url, f.name AS feed_name, f.title AS feed_title, f.url AS feed_url
     FROM items i JOIN feeds f ON f.id = i.feed_id
     WHERE i.story_id IN (${stories.map(() => '?').join(',')})
     ORDER BY i.published_at, i.id`,
    stories.map((s) => s.id),
  );
  const outlets = new Map<number, Set<string>>();
  for (const m of members) {
    const set = outlets.get(m.storyId) ?? new Set<string>();
    set.add(outletName(m));
    outlets.set(m.storyId, set);
  }
  return stories.map((s) => ({ ...s, outlets: [...(outlets.get(s.id) ?? [])] }));
}

/** When the digest of the oldest part still waiting to be sent was composed; null when none waits. */
export async function oldestPendingPartAt(sql: Sql): Promise<number | null> {
  const at = await sql.value<number | null>(
    `SELECT min(d.created_at) FROM digest_parts p JOIN digests d ON d.id = p.digest_id
     WHERE p.status = 'pending' AND d.status = 'pending'`,
  );
  return at ?? null;
}

/** A cheap read that fails when the database is closed, gone or unreadable. */
export async function pingStore(sql: Sql): Promise<void> {
  await sql.value('SELECT count(*) FROM schema_migrations');
}
