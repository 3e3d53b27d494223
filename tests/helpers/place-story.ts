import type { Sql } from '../../src/store/sql.js';
import { insertStory, sqlStoryIndex } from '../../src/store/story-index.js';
import { bandHashes, minhashSignature } from '../../src/stories/minhash.js';
import { prepareText } from '../../src/stories/similarity.js';
import { type Placement, type PlaceOptions, placeItem } from '../../src/stories/story-index.js';

export interface StoredItemText {
  itemId: number;
  title: string;
  lead: string;
  publishedAt: number;
  announced: boolean;
}

/** Places a stored item in a story with the production decision: placeItem over the store's index (SQLite or PostgreSQL). */
export function assignStory(db: Sql, item: StoredItemText, opts: PlaceOptions): Promise<Placement> {
  const { itemId, ...text } = item;
  return placeItem(sqlStoryIndex(db), { key: itemId, ...text }, opts);
}

/**
 * Starts a story with a stored item, stored exactly as the decision stores a new one (buckets
 * included, so later items find it), without asking the decision: for fixtures that need a story
 * in place, not a clustering test.
 */
export function storeNewStory(db: Sql, item: StoredItemText, now: number): Promise<number> {
  const { itemId, ...text } = item;
  const signature = minhashSignature(prepareText(text).allSet);
  return insertStory(
    db,
    { key: itemId, ...text },
    { at: Math.min(item.publishedAt, now), now, bands: bandHashes(signature), signature },
  );
}
