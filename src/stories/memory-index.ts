import type { IndexedItem, ItemOrigin, NewStory, PlaceInput, Representative, StoryIndex } from './story-index.js';

/** A story as the in-memory index keeps it. */
export interface MemoryStory<Key> {
  id: number;
  representative: Key;
  members: Key[];
  /** The story's start (its first item's time, clamped to now): the window is measured from it. */
  startedAt: number;
}

export interface MemoryStoryIndex<Key> extends StoryIndex<Key> {
  /** Makes an item known to the index (as storing it does in a database), before it is placed. */
  addItem(key: Key, origin: ItemOrigin & { title: string; lead: string }): void;
  /** Every story so far, in order of creation. */
  stories(): MemoryStory<Key>[];
  /**
   * Drops the LSH buckets of stories that started before `olderThan`, as the store's housekeeping
   * does (pruneStoryBuckets); the stories themselves stay.
   */
  prune(olderThan: number): void;
}

/**
 * The StoryIndex in memory, for `stories cluster`, the bench and the evaluations. It answers
 * exactly as the SQLite index does (src/store/story-index.ts): the same buckets, the same window
 * test, the same newest-first limit per bucket.
 */
export function createMemoryStoryIndex<Key>(): MemoryStoryIndex<Key> {
  const items = new Map<Key, ItemOrigin & { title: string; lead: string; storyId: number | null }>();
  const all: MemoryStory<Key>[] = [];
  // Story ids per band bucket, oldest first (ids grow with creation).
  const buckets = new Map<string, number[]>();
  const bucketKeys = new Map<number, string[]>();

  return {
    atomically: (fn) => fn(),
    async item(key): Promise<IndexedItem | null> {
      const it = items.get(key);
      return it ? { feed: it.feed, source: it.source, url: it.url, storyId: it.storyId } : null;
    },
    async candidates({ bands, from, to, limit }) {
      const out: number[] = [];
      bands.forEach((hash, band) => {
        const ids = buckets.get(`${band}:${hash}`) ?? [];
        let taken = 0;
        for (let i = ids.length - 1; i >= 0 && taken < limit; i--) {
          const startedAt = all[ids[i]! - 1]!.startedAt;
          if (startedAt < from || startedAt > to) continue;
          taken++;
          out.push(ids[i]!);
        }
      });
      return out;
    },
    async representative(storyId): Promise<Representative | null> {
      const story = all[storyId - 1];
      const rep = story && items.get(story.representative);
      return rep ? { feed: rep.feed, source: rep.source, url: rep.url, title: rep.title, lead: rep.lead } : null;
    },
    async attach(storyId, item: PlaceInput<Key>) {
      all[storyId - 1]!.members.push(item.key);
      items.get(item.key)!.storyId = storyId;
    },
    async create(item: PlaceInput<Key>, story: NewStory) {
      const id = all.length + 1;
      all.push({ id, representative: item.key, members: [item.key], startedAt: story.at });
      items.get(item.key)!.storyId = id;
      const keys = story.bands.map((hash, band) => `${band}:${hash}`);
      bucketKeys.set(id, keys);
      for (const key of keys) {
        const ids = buckets.get(key);
        if (!ids) buckets.set(key, [id]);
        else if (ids.at(-1) !== id) ids.push(id);
      }
      return id;
    },
    addItem(key, origin) {
      if (!items.has(key)) items.set(key, { ...origin, storyId: null });
    },
    stories: () => [...all],
    prune(olderThan) {
      // In order of creation, stopping at the first story still young enough: one created out of
      // order stays a little longer, which only keeps a candidate the window test still judges.
      for (const [id, keys] of bucketKeys) {
        if (all[id - 1]!.startedAt >= olderThan) break;
        for (const key of keys) {
          const ids = buckets.get(key);
          if (!ids) continue;
          const at = ids[0] === id ? 0 : ids.indexOf(id);
          if (at >= 0) ids.splice(at, 1);
          if (ids.length === 0) buckets.delete(key);
        }
        bucketKeys.delete(id);
      }
    },
  };
}
