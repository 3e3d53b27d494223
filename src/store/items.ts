import type { NormalizedItem } from '../feeds/types.js';
import type { ProcessOwner } from '../process-owner.js';
import type { Summary } from '../summarize/types.js';
import type { TopicMatch } from '../topics/types.js';
import type { Sql } from './sql.js';

export interface ItemRow {
  id: number;
  feedId: number;
  guid: string;
  url: string | null;
  title: string;
  publishedAt: number;
  publishedEstimated: boolean;
  author: string | null;
  categories: string[];
  content: string;
  fullText: string | null;
  summary: string | null;
  summaryMethod: string | null;
  summaryNote: string | null;
  storyId: number | null;
  announced: boolean;
  firstSeenAt: number;
}

export interface InsertedItem extends NormalizedItem {
  itemId: number;
  feedId: number;
  publishedAt: number;
  announced: boolean;
}

/**
 * Stores the items that are new: unseen (feed, id) pairs whose canonical URL no other stored
 * item already has (an item without a URL: whose title and text the feed has not already given).
 * Returns only those, in feed order. `announced` is false on a feed's first poll so that a new
 * feed's backlog is searchable but never floods the channels. With `owner`,
 * each new item is claimed for enrichment by that process in the same transaction, so no other
 * process takes it up while it works (see store/enrichment.ts).
 */
export async function insertNewItems(
  sql: Sql,
  feedId: number,
  items: NormalizedItem[],
  p: { now: number; announced: boolean; owner?: ProcessOwner },
): Promise<InsertedItem[]> {
  const fresh: InsertedItem[] = [];
  await sql.write(async () => {
    for (const item of items) {
      if (await isSeen(sql, feedId, item)) continue;
      const publishedAt = Date.parse(item.published);
      const row = {
        feedId,
        guid: item.id,
        url: item.url,
        title: item.title,
        publishedAt: Number.isFinite(publishedAt) ? publishedAt : p.now,
        estimated: item.publishedEstimated ? 1 : 0,
        author: item.author,
        categories: JSON.stringify(item.categories),
        enclosures: JSON.stringify(item.enclosures),
        content: item.content,
        source: item.source ?? null,
        announced: p.announced ? 1 : 0,
        now: p.now,
      };
      const itemId = Number(await sql.value(INSERT_ITEM, row));
      if (p.owner) await claimItem(sql, itemId, p.owner, p.now);
      fresh.push({ ...item, itemId, feedId, publishedAt: row.publishedAt, announced: p.announced });
    }
  });
  return fresh;
}

/** Records that `owner` is enriching this item now (one more attempt; see store/enrichment.ts). Runs in the caller's transaction. */
export async function claimItem(sql: Sql, itemId: number, owner: ProcessOwner, now: number): Promise<void> {
  // The existing row is named: PostgreSQL finds a bare `attempts` ambiguous beside `excluded`.
  await sql.run(
    `INSERT INTO enrichment_claims (item_id, owner_host, owner_pid, owner_started_at, claimed_at, attempts)
     VALUES (@itemId, @host, @pid, @startedAt, @now, 1)
     ON CONFLICT (item_id) DO UPDATE SET owner_host = excluded.owner_host, owner_pid = excluded.owner_pid,
       owner_started_at = excluded.owner_started_at, claimed_at = excluded.claimed_at,
       attempts = enrichment_claims.attempts + 1`,
    { itemId, ...owner, now },
  );
}

export async function setItemTopics(sql: Sql, itemId: number, matches: TopicMatch[]): Promise<void> {
  await sql.write(async () => {
    await sql.run('DELETE FROM item_topics WHERE item_id = ?', [itemId]);
    for (const m of matches) {
      await sql.run('INSERT INTO item_topics (item_id, topic, score, explanation) VALUES (?, ?, ?, ?)', [
        itemId,
        m.topic,
        m.score,
        JSON.stringify({ explanation: m.explanation, hits: m.hits }),
      ]);
    }
  });
}

export async function setItemSummary(sql: Sql, itemId: number, summary: Summary): Promise<void> {
  await sql.run('UPDATE items SET summary = ?, summary_method = ?, summary_note = ? WHERE id = ?', [
    summary.text,
    summary.method,
    summary.note,
    itemId,
  ]);
}

/**
 * The summary waits: the item matched no topic, so no digest shows it unless it comes to lead a
 * story on the beat (see pipeline/enrich.ts). 'deferred' is a state of its own, not a failure: the
 * retry pass for failed enrichment never takes these up, and a reader shows the item's opening.
 */
export async function deferItemSummary(sql: Sql, itemId: number): Promise<void> {
  await sql.run(
    `UPDATE items SET summary = NULL, summary_method = '${DEFERRED}', summary_note = 'no topic matched: summarized when a story on the beat needs it'
     WHERE id = ?`,
    [itemId],
  );
}

/** The summary_method of an item whose summary waits (deferItemSummary). */
export const DEFERRED = 'deferred';

export async function setItemFullText(
  sql: Sql,
  itemId: number,
  p: { text: string | null; status: string },
): Promise<void> {
  await sql.run('UPDATE items SET full_text = ?, full_text_status = ? WHERE id = ?', [p.text, p.status, itemId]);
}

export async function getItem(sql: Sql, id: number): Promise<ItemRow | undefined> {
  const row = await sql.get<RawItem>('SELECT * FROM items WHERE id = ?', [id]);
  return row ? toItemRow(row) : undefined;
}

export async function countItems(sql: Sql): Promise<number> {
  return Number(await sql.value('SELECT count(*) FROM items'));
}

export interface ItemTopicRow {
  topic: string;
  score: number;
  explanation: string;
  terms: string[];
}

export async function itemTopics(sql: Sql, itemId: number): Promise<ItemTopicRow[]> {
  const rows = await sql.all<{ topic: string; score: number; explanation: string }>(
    'SELECT topic, score, explanation FROM item_topics WHERE item_id = ? ORDER BY score DESC',
    [itemId],
  );
  return rows.map((r) => {
    const parsed = JSON.parse(r.explanation) as { explanation: string; hits: { term: string }[] };
    return { topic: r.topic, score: r.score, explanation: parsed.explanation, terms: uniqueTerms(parsed.hits) };
  });
}

export function uniqueTerms(hits: { term: string }[]): string[] {
  return [...new Set(hits.map((h) => h.term))];
}

const INSERT_ITEM = `INSERT INTO items (feed_id, guid, url, title, published_at, published_estimated, author, categories, enclosures, content, source, announced, first_seen_at)
  VALUES (@feedId, @guid, @url, @title, @publishedAt, @estimated, @author, @categories, @enclosures, @content, @source, @announced, @now)
  RETURNING id`;

/** Whether this item is stored already (or was, before retention pruned it: store/retention.ts). */
async function isSeen(sql: Sql, feedId: number, item: NormalizedItem): Promise<boolean> {
  const seenGuid = await sql.value(
    `SELECT 1 FROM items WHERE feed_id = @feedId AND guid = @guid
     UNION ALL SELECT 1 FROM pruned_items WHERE feed_id = @feedId AND guid = @guid LIMIT 1`,
    { feedId, guid: item.id },
  );
  if (seenGuid !== undefined) return true;
  if (item.url) {
    const seenUrl = await sql.value(
      'SELECT 1 FROM items WHERE url = @url UNION ALL SELECT 1 FROM pruned_items WHERE url = @url LIMIT 1',
      { url: item.url },
    );
    return seenUrl !== undefined;
  }
  // A feed that renames its guids on every poll (a "guid storm") is caught by the URL for linked items; an item
  // without a link is the same item when the feed already has one with its title and text.
  const seenLinkless = await sql.value(
    'SELECT 1 FROM items WHERE feed_id = @feedId AND url IS NULL AND title = @title AND content = @content LIMIT 1',
    { feedId, title: item.title, content: item.content },
  );
  return seenLinkless !== undefined;
}

interface RawItem {
  id: number;
  feed_id: number;
  guid: string;
  url: string | null;
  title: string;
  published_at: number;
  published_estimated: number;
  author: string | null;
  categories: string;
  content: string;
  full_text: string | null;
  summary: string | null;
  summary_method: string | null;
  summary_note: string | null;
  story_id: number | null;
  announced: number;
  first_seen_at: number;
}

function toItemRow(r: RawItem): ItemRow {
  return {
    id: r.id,
    feedId: r.feed_id,
    guid: r.guid,
    url: r.url,
    title: r.title,
    publishedAt: r.published_at,
    publishedEstimated: r.published_estimated === 1,
    author: r.author,
    categories: JSON.parse(r.categories) as string[],
    content: r.content,
    fullText: r.full_text,
    summary: r.summary,
    summaryMethod: r.summary_method,
    summaryNote: r.summary_note,
    storyId: r.story_id,
    announced: r.announced === 1,
    firstSeenAt: r.first_seen_at,
  };
}
