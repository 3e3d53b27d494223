/** Queries on stories. Placing an item in a story is the clustering decision: src/stories/story-index.ts. */
import { outletName } from './digest-stories.js';
import type { Sql } from './sql.js';

export interface StoryRow {
  id: number;
  title: string;
  representativeItemId: number | null;
  firstSeenAt: number;
  updatedAt: number;
  itemCount: number;
  announceSeq: number | null;
}

export interface StoryMember {
  itemId: number;
  title: string;
  url: string | null;
  /** The credited outlet, else feed name, else feed title, else the link's host (see outletName). */
  outlet: string;
  publishedAt: number;
}

/** Stories touched (created or joined) at or after `since`, most recently updated first. */
export async function listStories(sql: Sql, p: { since: number; limit?: number }): Promise<StoryRow[]> {
  return sql.all<StoryRow>(
    `SELECT id, title, representative_item_id AS "representativeItemId", first_seen_at AS "firstSeenAt",
            updated_at AS "updatedAt", item_count AS "itemCount", announce_seq AS "announceSeq"
     FROM stories WHERE updated_at >= ? ORDER BY updated_at DESC, id DESC LIMIT ?`,
    [p.since, p.limit ?? 100],
  );
}

/** Every item of a story with its outlet and link, earliest first. */
export async function storyMembers(sql: Sql, storyId: number): Promise<StoryMember[]> {
  const rows = await sql.all<{
    itemId: number;
    title: string;
    url: string | null;
    publishedAt: number;
    source: string | null;
    feed_name: string | null;
    feed_title: string | null;
    feed_url: string;
  }>(
    `SELECT i.id AS "itemId", i.title, i.url, i.published_at AS "publishedAt", i.source,
            f.name AS feed_name, f.title AS feed_title, f.url AS feed_url
     FROM items i JOIN feeds f ON f.id = i.feed_id
     WHERE i.story_id = ? ORDER BY i.published_at, i.id`,
    [storyId],
  );
  return rows.map((r) => ({
    itemId: r.itemId,
    title: r.title,
    url: r.url,
    outlet: outletName(r),
    publishedAt: r.publishedAt,
  }));
}

/**
 * Housekeeping: drops the LSH buckets of stories that started before `olderThan` (outside any
 * window a new item could use). The stories themselves stay. Returns the rows removed.
 */
export async function pruneStoryBuckets(sql: Sql, olderThan: number): Promise<number> {
  return (await sql.run('DELETE FROM story_buckets WHERE first_seen_at < ?', [olderThan])).changes;
}
