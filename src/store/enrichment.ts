/**
 * Which items still need enriching (topics, summary, story), and who is working on them. An item
 * is finished when it has a story: that is the last step, so an item without one was interrupted
 * (a failed step, a crash) and is taken up again by a later pass, in this process or another.
 */
import type { FullTextMode } from '../feeds/full-text.js';
import type { ProcessOwner } from '../process-owner.js';
import { claimItem, DEFERRED } from './items.js';
import type { Sql } from './sql.js';

/** An unfinished item with what enriching it needs, as a retry pass loads it. */
export interface UnfinishedItem {
  itemId: number;
  feedId: number;
  feedUrl: string;
  fullTextMode: FullTextMode;
  /** The feed was added from chat (and the config file does not list it): see isUntrusted. */
  untrusted: boolean;
  guid: string;
  title: string;
  url: string | null;
  content: string;
  fullText: string | null;
  /** Null until a full-text fetch was tried. */
  fullTextStatus: string | null;
  /** True when a summary was already stored: it is not written again. */
  summarized: boolean;
  publishedAt: number;
  announced: boolean;
  /** Attempts so far, this one included. */
  attempts: number;
}

/** A claim held by another process, for the caller to judge whether that process is gone. */
export interface HeldClaim {
  owner: ProcessOwner;
  claimedAt: number;
}

/**
 * Claims up to `limit` unfinished items that are due for another attempt and that nobody is
 * working on: never claimed, released after a failure, or held by a process `takeable` judges
 * gone. Oldest first.
 */
export async function claimUnfinished(
  sql: Sql,
  p: { owner: ProcessOwner; now: number; limit: number; takeable: (c: HeldClaim) => boolean },
): Promise<UnfinishedItem[]> {
  // The usual answer is "none": found without taking the write lock.
  if (!(await hasUnfinished(sql))) return [];
  const claimed = await sql.write(async () => {
    const rows = await sql.all<ClaimRow>(
      `SELECT i.id AS "itemId", c.owner_host AS host, c.owner_pid AS pid, c.owner_started_at AS "startedAt",
              c.claimed_at AS "claimedAt"
       FROM items i LEFT JOIN enrichment_claims c ON c.item_id = i.id
       WHERE i.story_id IS NULL AND coalesce(c.next_attempt_at, 0) <= @now
       ORDER BY i.id LIMIT @scan`,
      { now: p.now, scan: p.limit * 10 },
    );
    const ids: number[] = [];
    for (const row of rows) {
      if (ids.length >= p.limit) break;
      if (!isFree(row, p.takeable)) continue;
      await claimItem(sql, row.itemId, p.owner, p.now);
      ids.push(row.itemId);
    }
    return ids;
  });
  const items: UnfinishedItem[] = [];
  for (const id of claimed) {
    items.push(toUnfinished((await sql.get<RawUnfinished>(`${UNFINISHED_SELECT} WHERE i.id = ?`, [id]))!));
  }
  return items;
}

/**
 * Gives up this attempt: the item waits `delayMs(attempts so far)` for any process to take it
 * again. Returns the attempts so far, or null when the claim was no longer ours.
 */
export async function releaseClaim(
  sql: Sql,
  itemId: number,
  p: { owner: ProcessOwner; now: number; delayMs: (attempts: number) => number; error: string },
): Promise<number | null> {
  return sql.write(async () => {
    const attempts = await sql.value<number>(
      `SELECT attempts FROM enrichment_claims
       WHERE item_id = @itemId AND owner_host = @host AND owner_pid = @pid AND owner_started_at = @startedAt`,
      { itemId, ...p.owner },
    );
    if (attempts === undefined) return null;
    await sql.run(
      `UPDATE enrichment_claims SET owner_host = NULL, owner_pid = NULL, owner_started_at = NULL, claimed_at = NULL,
         next_attempt_at = ?, last_error = ? WHERE item_id = ?`,
      [p.now + p.delayMs(attempts), p.error, itemId],
    );
    return attempts;
  });
}

/**
 * Drops an item's claim: part of the last step, in one transaction with placing the item in its
 * story (pipeline/enrich.ts storeEnrichment), so an item is never left finished yet claimed, or
 * unclaimed yet unfinished.
 */
export async function dropClaim(sql: Sql, itemId: number): Promise<void> {
  await sql.run('DELETE FROM enrichment_claims WHERE item_id = ?', [itemId]);
}

/** The representatives of these stories whose summary was deferred, and that are on the beat now. */
export async function deferredLeads(
  sql: Sql,
  storyIds: number[],
): Promise<{ itemId: number; title: string; url: string | null; text: string }[]> {
  if (storyIds.length === 0) return [];
  // The ids travel as one JSON array: one statement whatever their number.
  const ids =
    sql.dialect === 'postgres'
      ? 'SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(? AS json))'
      : 'SELECT value FROM json_each(?)';
  return sql.all(
    `SELECT i.id AS "itemId", i.title, i.url, coalesce(i.full_text, i.content) AS text
     FROM stories s JOIN items i ON i.id = s.representative_item_id
     WHERE s.id IN (${ids}) AND s.on_beat = 1 AND i.summary_method = '${DEFERRED}'`,
    [JSON.stringify([...new Set(storyIds)])],
  );
}

/** True while some item has no story: being enriched now, or waiting for another attempt. */
export async function hasUnfinished(sql: Sql): Promise<boolean> {
  return (await sql.value('SELECT 1 FROM items WHERE story_id IS NULL LIMIT 1')) !== undefined;
}

interface ClaimRow {
  itemId: number;
  host: string | null;
  pid: number | null;
  startedAt: number | null;
  claimedAt: number | null;
}

function isFree(row: ClaimRow, takeable: (c: HeldClaim) => boolean): boolean {
  if (row.host === null || row.pid === null || row.startedAt === null) return true;
  return takeable({ owner: { host: row.host, pid: row.pid, startedAt: row.startedAt }, claimedAt: row.claimedAt ?? 0 });
}

// The flags are CASE … 1 ELSE 0: a comparison gives an integer on SQLite but a boolean on PostgreSQL.
const UNFINISHED_SELECT = `SELECT i.id, i.feed_id, f.url AS feed_url, f.full_text AS full_text_mode,
  CASE WHEN f.added_by = 'chat' AND f.in_config = 0 THEN 1 ELSE 0 END AS untrusted, i.guid, i.title, i.url, i.content,
  i.full_text, i.full_text_status, CASE WHEN i.summary IS NOT NULL THEN 1 ELSE 0 END AS summarized, i.published_at,
  i.announced,
  c.attempts
  FROM items i JOIN feeds f ON f.id = i.feed_id JOIN enrichment_claims c ON c.item_id = i.id`;

interface RawUnfinished {
  id: number;
  feed_id: number;
  feed_url: string;
  full_text_mode: FullTextMode;
  untrusted: number;
  guid: string;
  title: string;
  url: string | null;
  content: string;
  full_text: string | null;
  full_text_status: string | null;
  summarized: number;
  published_at: number;
  announced: number;
  attempts: number;
}

function toUnfinished(r: RawUnfinished): UnfinishedItem {
  return {
    itemId: r.id,
    feedId: r.feed_id,
    feedUrl: r.feed_url,
    fullTextMode: r.full_text_mode,
    untrusted: r.untrusted === 1,
    guid: r.guid,
    title: r.title,
    url: r.url,
    content: r.content,
    fullText: r.full_text,
    fullTextStatus: r.full_text_status,
    summarized: r.summarized === 1,
    publishedAt: r.published_at,
    announced: r.announced === 1,
    attempts: r.attempts,
  };
}
