import { bandHashes, MAX_CANDIDATES, minhashSignature } from './minhash.js';
import { DEFAULT_THRESHOLD, isRepublished, type PreparedText, preparedSimilarity, prepareText } from './similarity.js';

export { DEFAULT_THRESHOLD } from './similarity.js';

export interface ClusterItem {
  key: string;
  title: string;
  lead: string;
  outlet: string;
  url: string | null;
  /** Epoch milliseconds. */
  publishedAt: number;
}

export interface StoryCluster {
  id: number;
  members: ClusterItem[];
  /**
   * The item that started the story: the earliest seen. It never changes, so the story does
   * not drift as members join (each newcomer is verified against this one item, never against
   * the latest member, which would let a chain of small steps merge different events).
   */
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
}

export interface Clusterer {
  add(item: ClusterItem): ClusterResult;
  /** Every story so far (including ones past the window), largest first, then earliest. */
  stories(): StoryCluster[];
}

export const DEFAULT_WINDOW_MS = 72 * 3_600_000;

/**
 * An in-memory incremental clusterer. Each story's representative is indexed in LSH buckets;
 * a new item looks up its own band hashes, verifies the few stories found there, and joins the
 * best one at or above the threshold or starts a new story. Stories that fall out of the
 * window leave the buckets, so lookup cost depends on the window's volume, not on history.
 */
export function createClusterer(opts: ClustererOptions = {}): Clusterer {
  const windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const all: StoryCluster[] = [];
  const live = new Map<number, LiveStory>();
  // Story ids per band bucket, oldest first (ids grow with creation, and eviction is oldest first).
  const buckets = new Map<string, number[]>();
  // Stories in order of creation; eviction walks from the front.
  const evictQueue: number[] = [];
  let evictHead = 0;
  let newest = Number.NEGATIVE_INFINITY;

  function evict(): void {
    // Skip stories that are still in the window; a story created out of order stays a little longer.
    while (evictHead < evictQueue.length) {
      const id = evictQueue[evictHead]!;
      const s = live.get(id);
      if (s && s.startedAt >= newest - windowMs) break;
      evictHead++;
      if (!s) continue;
      for (const key of s.bucketKeys) {
        const ids = buckets.get(key);
        if (!ids) continue;
        const at = ids[0] === id ? 0 : ids.indexOf(id);
        if (at >= 0) ids.splice(at, 1);
        if (ids.length === 0) buckets.delete(key);
      }
      live.delete(id);
    }
    if (evictHead > 1024 && evictHead * 2 > evictQueue.length) {
      evictQueue.splice(0, evictHead);
      evictHead = 0;
    }
  }

  return {
    add(item) {
      if (item.publishedAt > newest) newest = item.publishedAt;
      evict();
      const prepared = prepareText(item);
      const keys = bandHashes(minhashSignature(prepared.allSet)).map((h, band) => `${band}:${h}`);
      // Stories in the window sharing a band, by how many bands they share; the top few are verified.
      const shared = new Map<number, number>();
      // As in the store: only the newest stories of each bucket, so boilerplate shared by thousands
      // of stories costs no more than any other bucket.
      for (const key of keys) {
        const ids = buckets.get(key) ?? [];
        let taken = 0;
        for (let i = ids.length - 1; i >= 0 && taken < MAX_CANDIDATES; i--) {
          const id = ids[i]!;
          if (Math.abs(item.publishedAt - live.get(id)!.startedAt) > windowMs) continue;
          taken++;
          shared.set(id, (shared.get(id) ?? 0) + 1);
        }
      }
      const seen = [...shared.entries()]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, MAX_CANDIDATES)
        .map(([id]) => id);
      let best: LiveStory | null = null;
      let bestScore = -1;
      for (const id of seen) {
        const s = live.get(id)!;
        const rep = s.cluster.representative;
        // Within one outlet only a re-published item joins (see isRepublished for why).
        if (rep.outlet === item.outlet && !isRepublished(s.text, prepared) && !(rep.url && rep.url === item.url)) {
          continue;
        }
        const score = preparedSimilarity(prepared, s.text);
        if (score > bestScore) {
          bestScore = score;
          best = s;
        }
      }
      if (best && bestScore >= threshold) {
        best.cluster.members.push(item);
        if (item.publishedAt < best.cluster.firstSeenAt) best.cluster.firstSeenAt = item.publishedAt;
        return { storyId: best.cluster.id, isNew: false, candidates: seen.length };
      }
      const cluster: StoryCluster = {
        id: all.length + 1,
        members: [item],
        representative: item,
        firstSeenAt: item.publishedAt,
      };
      all.push(cluster);
      live.set(cluster.id, { cluster, text: prepared, startedAt: item.publishedAt, bucketKeys: keys });
      evictQueue.push(cluster.id);
      for (const key of keys) {
        const ids = buckets.get(key);
        if (!ids) buckets.set(key, [cluster.id]);
        else if (ids.at(-1) !== cluster.id) ids.push(cluster.id);
      }
      return { storyId: cluster.id, isNew: true, candidates: seen.length };
    },
    stories() {
      return [...all].sort((a, b) => b.members.length - a.members.length || a.firstSeenAt - b.firstSeenAt);
    },
  };
}

interface LiveStory {
  cluster: StoryCluster;
  text: PreparedText;
  startedAt: number;
  bucketKeys: string[];
}
