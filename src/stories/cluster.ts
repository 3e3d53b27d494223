import { createMemoryStoryIndex } from './memory-index.js';
import { DEFAULT_THRESHOLD } from './similarity.js';
import { placeItem } from './story-index.js';

export { DEFAULT_THRESHOLD } from './similarity.js';

export interface ClusterItem {
  key: string;
  title: string;
  lead: string;
  /** The outlet (for a store: the feed) that published the item; see sameOutlet. */
  outlet: string;
  /** The outlet an aggregator feed credits, when the outlet above is such a feed. */
  source?: string | null;
  url: string | null;
  /** Epoch milliseconds. */
  publishedAt: number;
}

export interface StoryCluster {
  id: number;
  members: ClusterItem[];
  /** The item that started the story: the earliest placed. It never changes (see placeItem). */
  representative: ClusterItem;
  /** Earliest publishedAt among members. */
  firstSeenAt: number;
}

export interface ClusterResult {
  storyId: number;
  isNew: boolean;
  /** Stories whose representative was scored against this item (the verified candidate set). */
  candidates: number;
}

export interface ClustererOptions {
  /** Items join stories that started at most this long before (or after) them. Default 72 h. */
  windowMs?: number;
  threshold?: number;
  /** Item times after this are taken as this (as the store clamps them to its clock). Default: no clamp. */
  now?: number;
}

export interface Clusterer {
  add(item: ClusterItem): Promise<ClusterResult>;
  /** Every story so far (including ones past the window), largest first, then earliest. */
  stories(): StoryCluster[];
}

export const DEFAULT_WINDOW_MS = 72 * 3_600_000;

/**
 * Clusters items in memory with the production decision (placeItem over the in-memory
 * StoryIndex): what `stories cluster`, the bench and the evaluations run. Buckets of stories
 * that started two windows before the newest item are dropped, as the store's housekeeping does,
 * so lookup cost depends on the window's volume, not on history.
 */
export function createClusterer(opts: ClustererOptions = {}): Clusterer {
  const windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const now = opts.now ?? Number.POSITIVE_INFINITY;
  const index = createMemoryStoryIndex<string>();
  const byKey = new Map<string, ClusterItem>();
  const firstSeen = new Map<number, number>();
  let newest = Number.NEGATIVE_INFINITY;

  return {
    async add(item) {
      if (item.publishedAt > newest) newest = item.publishedAt;
      index.prune(newest - 2 * windowMs);
      // A key seen before is the same item (as a guid is in the store): it keeps its story.
      if (!byKey.has(item.key)) byKey.set(item.key, item);
      index.addItem(item.key, {
        feed: item.outlet,
        source: item.source ?? null,
        url: item.url,
        title: item.title,
        lead: item.lead,
      });
      const placed = await placeItem(index, { ...item, announced: true }, { now, windowMs, threshold });
      const seen = firstSeen.get(placed.storyId);
      if (seen === undefined || item.publishedAt < seen) firstSeen.set(placed.storyId, item.publishedAt);
      return placed;
    },
    stories() {
      return index
        .stories()
        .map((s) => ({
          id: s.id,
          members: s.members.map((k) => byKey.get(k)!),
          representative: byKey.get(s.representative)!,
          firstSeenAt: firstSeen.get(s.id)!,
        }))
        .sort((a, b) => b.members.length - a.members.length || a.firstSeenAt - b.firstSeenAt);
    },
  };
}
