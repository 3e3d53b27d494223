/**
 * The one clustering decision: which story an item joins, or that it starts one. It runs over a
 * StoryIndex, the port a store implements (in memory for `stories cluster`, the bench and the
 * evaluations; SQLite in production, src/store/story-index.ts). The port is async so that a store
 * reached over the network (PostgreSQL) can implement it as it is.
 */
import { bandHashes, MAX_CANDIDATES, minhashSignature, NUM_BANDS } from './minhash.js';
import { isRepublished, type PreparedText, preparedSimilarity, prepareText } from './similarity.js';

/** Where an item comes from, as the decision needs it. */
export interface ItemOrigin {
  /** The feed (or, outside a store, the outlet) that carried the item. */
  feed: string;
  /** The outlet an aggregator feed credits (an item's <source>), else null. */
  source: string | null;
  url: string | null;
}

/** An item already known to the index. */
export interface IndexedItem extends ItemOrigin {
  /** Its story, once placed. */
  storyId: number | null;
}

/** A story's representative: its first item, which never changes (see placeItem). */
export interface Representative extends ItemOrigin {
  title: string;
  lead: string;
}

/** What is placed: the item's key in the index, and the text story matching looks at. */
export interface PlaceInput<Key> {
  key: Key;
  title: string;
  /** The first sentence(s) of the item's text: storyLead() from src/stories/text.ts. */
  lead: string;
  publishedAt: number;
  /** False for items stored on a feed's first poll: they join stories but never make them announceable. */
  announced: boolean;
}

export interface NewStory {
  /** The story's start: its first item's publication time, clamped to now. Windows are measured from it. */
  at: number;
  now: number;
  /** LSH band hashes of the representative (none for a text without content tokens). */
  bands: number[];
  signature: Uint32Array;
}

export interface StoryIndex<Key> {
  /** Runs fn as one unit: nothing another writer does can fall between its reads and its write. */
  atomically<T>(fn: () => Promise<T>): Promise<T>;
  item(key: Key): Promise<IndexedItem | null>;
  /**
   * For each band hash (position = band), the ids of the newest `limit` stories in that bucket
   * that started within [from, to]: one id per shared band, so an id may repeat.
   */
  candidates(q: { bands: number[]; from: number; to: number; limit: number }): Promise<number[]>;
  representative(storyId: number): Promise<Representative | null>;
  attach(storyId: number, item: PlaceInput<Key>, now: number): Promise<void>;
  create(item: PlaceInput<Key>, story: NewStory): Promise<number>;
}

export interface PlaceOptions {
  now: number;
  /** Items join stories that started at most this long before (or after) them. */
  windowMs: number;
  threshold: number;
}

export interface Placement {
  storyId: number;
  isNew: boolean;
  /** Stories verified against this item (the LSH candidate set); 0 when it already had a story. */
  candidates: number;
}

/**
 * Puts one item into a story: finds candidate stories through their LSH band hashes (only
 * stories that started within the window around the item's time), verifies each against its
 * representative's title and lead, and joins the best at or above the threshold (equal scores:
 * the oldest story), else starts a new story with this item as its representative. The
 * representative is the story's first item and never changes, so verification never drifts
 * along a chain of small steps that would merge different events. An item that already has a
 * story keeps it.
 */
export async function placeItem<Key>(
  index: StoryIndex<Key>,
  item: PlaceInput<Key>,
  opts: PlaceOptions,
): Promise<Placement> {
  return index.atomically(async () => {
    const self = await index.item(item.key);
    if (!self) throw new Error(`placeItem: no item ${String(item.key)}`);
    if (self.storyId !== null) return { storyId: self.storyId, isNew: false, candidates: 0 };

    const at = Math.min(item.publishedAt, opts.now);
    const prepared = prepareText(item);
    const signature = minhashSignature(prepared.candidateSet);
    const bands = bandHashes(signature);
    const ids =
      bands.length === NUM_BANDS
        ? mostShared(
            await index.candidates({ bands, from: at - opts.windowMs, to: at + opts.windowMs, limit: MAX_CANDIDATES }),
          )
        : [];
    const best = await bestStory(index, ids, self, prepared);
    if (best && best.score >= opts.threshold) {
      await index.attach(best.id, item, opts.now);
      return { storyId: best.id, isNew: false, candidates: ids.length };
    }
    const storyId = await index.create(item, { at, now: opts.now, bands, signature });
    return { storyId, isNew: true, candidates: ids.length };
  });
}

/**
 * Whether two items come from one outlet: the same feed, and the same credited source (an
 * aggregator feed carries many outlets, told apart by the source it credits).
 */
export function sameOutlet(a: ItemOrigin, b: ItemOrigin): boolean {
  return a.feed === b.feed && (a.source ?? '') === (b.source ?? '');
}

/** The stories sharing the most bands (the MinHash estimate of overlap), at most MAX_CANDIDATES. */
function mostShared(ids: number[]): number[] {
  const shared = new Map<number, number>();
  for (const id of ids) shared.set(id, (shared.get(id) ?? 0) + 1);
  return [...shared.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_CANDIDATES)
    .map(([id]) => id);
}

async function bestStory<Key>(
  index: StoryIndex<Key>,
  ids: number[],
  self: ItemOrigin,
  prepared: PreparedText,
): Promise<{ id: number; score: number } | null> {
  let best: { id: number; score: number } | null = null;
  for (const id of ids) {
    const rep = await index.representative(id);
    if (!rep) continue;
    const text = preparedOf(index, id, rep);
    // Within one outlet only a re-published item joins: see isRepublished for why.
    if (sameOutlet(rep, self) && !isRepublished(text, prepared) && !(rep.url && rep.url === self.url)) continue;
    const score = preparedSimilarity(prepared, text);
    if (!best || score > best.score || (score === best.score && id < best.id)) best = { id, score };
  }
  return best;
}

/**
 * A representative never changes, so its prepared text is kept per index (a bounded number of
 * them). A hit counts only when the title and lead are the ones it was prepared from: a store
 * can hand out a story id again (SQLite reuses the highest rowid once a rolled-back batch took it
 * back), and a stale text would decide against the wrong story.
 */
function preparedOf(index: object, id: number, rep: Representative): PreparedText {
  let cache = preparedCache.get(index);
  if (!cache) {
    cache = new Map();
    preparedCache.set(index, cache);
  }
  const hit = cache.get(id);
  if (hit && hit.title === rep.title && hit.lead === rep.lead) return hit.prepared;
  const prepared = prepareText(rep);
  if (!hit && cache.size >= PREPARED_CACHE) cache.delete(cache.keys().next().value as number);
  cache.set(id, { title: rep.title, lead: rep.lead, prepared });
  return prepared;
}

const PREPARED_CACHE = 5_000;
const preparedCache = new WeakMap<object, Map<number, { title: string; lead: string; prepared: PreparedText }>>();
