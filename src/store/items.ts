import type { NormalizedItem } from '../feeds/types.js';
import type { ProcessOwner } from '../process-owner.js';
import type { Summary } from '../summarize/types.js';
import type { TopicMatch } from '../topics/types.js';
import { type Db, writeTransaction } from './db.js';

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
export function insertNewItems(
  db: Db,
  feedId: number,
  items: NormalizedItem[],
  p: { now: number; announced: boolean; owner?: ProcessOwner },
): InsertedItem[] {
  // an item retention pruned counts as seen (store/retention.ts)
  const seenGuid = db
    .prepare(
      `SELECT 1 FROM items WHERE feed_id = @feedId AND guid = @guid
       UNION ALL SELECT 1 FROM pruned_items WHERE feed_id = @feedId AND guid = @guid LIMIT 1`,
    )
    .pluck();
  const seenUrl = db
    .prepare('SELECT 1 FROM items WHERE url = @url UNION ALL SELECT 1 FROM pruned_items WHERE url = @url LIMIT 1')
    .pluck();
  // A feed that renames its guids on every poll (a "guid storm") is caught by the URL for linked items; an item
  // without a link is the same item when the feed already has one with its title and text.
  const seenLinkless = db
    .prepare(
      'SELECT 1 FROM items WHERE feed_id = @feedId AND url IS NULL AND title = @title AND content = @content LIMIT 1',
    )
    .pluck();
  const insert = db.prepare(
    `INSERT INTO items (feed_id, guid, url, title, published_at, published_estimated, author, categories, enclosures, content, source, announced, first_seen_at)
     VALUES (@feedId, @guid, @url, @title, @publishedAt, @estimated, @author, @categories, @enclosures, @content, @source, @announced, @now)`,
  );
  const fresh: InsertedItem[] = [];
  writeTransaction(db, () => {
    for (const item of items) {
      if (seenGuid.get({ feedId, guid: item.id })) continue;
      if (item.url && seenUrl.get({ url: item.url })) continue;
      if (!item.url && seenLinkless.get({ feedId, title: item.title, content: item.content })) continue;
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
      const itemId = Number(insert.run(row).lastInsertRowid);
      if (p.owner) claimItem(db, itemId, p.owner, p.now);
      fresh.push({ ...item, itemId, feedId, publishedAt: row.publishedAt, announced: p.announced });
    }
  });
  return fresh;
}

/** Records that `owner` is enriching this item now (one more attempt; see store/enrichment.ts). Runs in the caller's transaction. */
export function claimItem(db: Db, itemId: number, owner: ProcessOwner, now: number): void {
  db.prepare(
    `INSERT INTO enrichment_claims (item_id, owner_host, owner_pid, owner_started_at, claimed_at, attempts)
     VALUES (@itemId, @host, @pid, @startedAt, @now, 1)
     ON CONFLICT (item_id) DO UPDATE SET owner_host = excluded.owner_host, owner_pid = excluded.owner_pid,
       owner_started_at = excluded.owner_started_at, claimed_at = excluded.claimed_at, attempts = attempts + 1`,
  ).run({ itemId, ...owner, now });
}

export function setItemTopics(db: Db, itemId: number, matches: TopicMatch[]): void {
  const del = db.prepare('DELETE FROM item_topics WHERE item_id = ?');
  const ins = db.prepare('INSERT INTO item_topics (item_id, topic, score, explanation) VALUES (?, ?, ?, ?)');
  writeTransaction(db, () => {
    del.run(itemId);
    for (const m of matches) {
      ins.run(itemId, m.topic, m.score, JSON.stringify({ explanation: m.explanation, hits: m.hits }));
    }
  });
}

export function setItemSummary(db: Db, itemId: number, summary: Summary): void {
  db.prepare('UPDATE items SET summary = ?, summary_method = ?, summary_note = ? WHERE id = ?').run(
    summary.text,
    summary.method,
    summary.note,
    itemId,
  );
}

/**
 * The summary waits: the item matched no topic, so no digest shows it unless it comes to lead a
 * story on the beat (see pipeline/enrich.ts). 'deferred' is a state of its own, not a failure: the
 * retry pass for failed enrichment never takes these up, and a reader shows the item's opening.
 */
export function deferItemSummary(db: Db, itemId: number): void {
  db.prepare(
    `UPDATE items SET summary = NULL, summary_method = '${DEFERRED}', summary_note = 'no topic matched: summarized when a story on the beat needs it'
     WHERE id = ?`,
  ).run(itemId);
}

/** The summary_method of an item whose summary waits (deferItemSummary). */
export const DEFERRED = 'deferred';

export function setItemFullText(db: Db, itemId: number, p: { text: string | null; status: string }): void {
  db.prepare('UPDATE items SET full_text = ?, full_text_status = ? WHERE id = ?').run(p.text, p.status, itemId);
}

export function getItem(db: Db, id: number): ItemRow | undefined {
  const row = db.prepare('SELECT * FROM items WHERE id = ?').get(id) as RawItem | undefined;
  return row ? toItemRow(row) : undefined;
}

export function countItems(db: Db): number {
  return Number(db.prepare('SELECT count(*) FROM items').pluck().get());
}

export interface ItemTopicRow {
  topic: string;
  score: number;
  explanation: string;
  terms: string[];
}

export function itemTopics(db: Db, itemId: number): ItemTopicRow[] {
  const rows = db
    .prepare('SELECT topic, score, explanation FROM item_topics WHERE item_id = ? ORDER BY score DESC')
    .all(itemId) as { topic: string; score: number; explanation: string }[];
  return rows.map((r) => {
    const parsed = JSON.parse(r.explanation) as { explanation: string; hits: { term: string }[] };
    return { topic: r.topic, score: r.score, explanation: parsed.explanation, terms: uniqueTerms(parsed.hits) };
  });
}

export function uniqueTerms(hits: { term: string }[]): string[] {
  return [...new Set(hits.map((h) => h.term))];
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
