import type { Sql } from '../../src/store/sql.js';
import type { PlaceOptions } from '../../src/stories/story-index.js';
import { assignStory } from './place-story.js';

export interface StoryRow {
  item_count: number;
  announce_seq: number | null;
  representative_item_id: number;
  first_seen_at: number;
  updated_at: number;
  title: string;
  lead: string;
}

/**
 * Feeds, items and placed stories for the story index tests, written as rows directly (the items store is
 * another module's concern), on the store `db()` gives at the time of the call.
 */
export function storyFixtures(db: () => Sql, defaults: PlaceOptions) {
  async function feed(url: string, name: string | null = null, title: string | null = null): Promise<number> {
    return Number(
      await db().value(
        'INSERT INTO feeds (url, name, title, interval_ms, created_at) VALUES (?, ?, ?, 600000, 0) RETURNING id',
        [url, name, title],
      ),
    );
  }

  async function feedsNamed(n: number, url: (i: number) => string): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(await feed(url(i)));
    return ids;
  }

  async function addItem(
    feedId: number,
    p: { title: string; url?: string | null; publishedAt: number; announced?: boolean },
  ): Promise<number> {
    const announced = p.announced === false ? 0 : 1;
    return Number(
      await db().value(
        `INSERT INTO items (feed_id, guid, url, title, published_at, announced, first_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [feedId, `g${Math.random()}`, p.url ?? null, p.title, p.publishedAt, announced, p.publishedAt],
      ),
    );
  }

  /** A new item of `feedId` placed in a story by the production decision. */
  async function assign(
    feedId: number,
    text: { title: string; lead: string },
    publishedAt: number,
    announced = true,
    opts = defaults,
  ) {
    const url = `https://x.example/${Math.random()}`;
    const itemId = await addItem(feedId, { title: text.title, publishedAt, announced, url });
    return { itemId, ...(await assignStory(db(), { itemId, ...text, publishedAt, announced }, opts)) };
  }

  async function story(id: number): Promise<StoryRow> {
    return (await db().get<StoryRow>('SELECT * FROM stories WHERE id = ?', [id])) as StoryRow;
  }

  return { feed, feedsNamed, addItem, assign, story };
}
