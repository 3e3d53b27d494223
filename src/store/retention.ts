/**
 * Retention (store.retention): items first seen before the cut-off are deleted, then the stories left with no
 * item. Two things are never touched: a digest not yet delivered (pending or dead: `outbox retry` can still send
 * it), and any story in the announce range of such a digest, with its items. A pruned item leaves its identity
 * behind (feed, guid, URL: a few dozen bytes) so a feed that still lists it never brings it back as new.
 */
import type { Sql } from './sql.js';

export interface PruneResult {
  items: number;
  stories: number;
}

/** Stories an undelivered digest covers: the announce range (cursor_from, cursor_to] of each such digest. */
const PROTECTED = `EXISTS (SELECT 1 FROM digests d WHERE d.status != 'delivered'
  AND s.announce_seq > d.cursor_from AND s.announce_seq <= d.cursor_to)`;

/**
 * Prunes in batches, each its own short write transaction, so a bot and the CLI writing beside it never wait
 * long for the lock. Returns how many items and stories went.
 */
export async function pruneBefore(sql: Sql, p: { before: number; now: number; batch?: number }): Promise<PruneResult> {
  const batch = p.batch ?? 500;
  const result: PruneResult = { items: 0, stories: 0 };
  for (;;) {
    const n = await sql.write(async () => {
      const rows = await sql.all<PickedItem>(
        `SELECT i.id, i.feed_id, i.guid, i.url, i.story_id FROM items i
         WHERE i.first_seen_at < @before
           AND (i.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = i.story_id AND ${PROTECTED}))
         LIMIT @batch`,
        { before: p.before, batch },
      );
      const touched = new Set<number>();
      for (const r of rows) {
        await sql.run(
          `INSERT INTO pruned_items (feed_id, guid, url, pruned_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (feed_id, guid) DO NOTHING`,
          [r.feed_id, r.guid, r.url, p.now],
        );
        await sql.run('DELETE FROM items WHERE id = ?', [r.id]);
        if (r.story_id !== null) touched.add(r.story_id);
      }
      result.stories += await settleStories(sql, [...touched], p.before);
      return rows.length;
    });
    result.items += n;
    if (n < batch) break;
  }
  return result;
}

interface PickedItem {
  id: number;
  feed_id: number;
  guid: string;
  url: string | null;
  story_id: number | null;
}

/** Deletes the stories that lost their last item; the others get a remaining item as representative. */
async function settleStories(sql: Sql, ids: number[], before: number): Promise<number> {
  let deleted = 0;
  for (const id of ids) {
    const dropped = await sql.run(
      `DELETE FROM stories AS s WHERE s.id = ? AND s.first_seen_at < ?
         AND NOT EXISTS (SELECT 1 FROM items WHERE story_id = s.id) AND NOT ${PROTECTED}`,
      [id, before],
    );
    if (dropped.changes > 0) deleted++;
    else {
      await sql.run(
        `UPDATE stories SET item_count = (SELECT count(*) FROM items WHERE story_id = @id),
           representative_item_id = CASE
             WHEN representative_item_id IN (SELECT id FROM items WHERE story_id = @id) THEN representative_item_id
             ELSE (SELECT min(id) FROM items WHERE story_id = @id) END
         WHERE id = @id`,
        { id },
      );
    }
  }
  return deleted;
}
