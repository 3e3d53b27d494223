import type { Statement } from 'better-sqlite3';
import type { StoryCandidate } from '../digest/types.js';
import type { Db } from './db.js';
import { uniqueTerms } from './items.js';

/** Stories that became announceable after `afterSeq` (a subscription cursor), oldest first. */
export function storiesAfterCursor(db: Db, afterSeq: number, limit = 2_000): StoryCandidate[] {
  const ids = db
    .prepare('SELECT id FROM stories WHERE announce_seq > ? ORDER BY announce_seq LIMIT ?')
    .pluck()
    .all(afterSeq, limit) as number[];
  return storyCandidates(db, ids);
}

/**
 * Stories with an item first seen since `since` (ms), announced or not: for previews
 * (`watchdesk digest --since`, `/digest latest`, the demo), which are not cursor-bound.
 */
export function storiesSeenSince(db: Db, since: number, limit = 2_000): StoryCandidate[] {
  const ids = db
    .prepare(
      `SELECT story_id FROM items WHERE story_id IS NOT NULL AND first_seen_at >= ?
       GROUP BY story_id ORDER BY max(first_seen_at) DESC LIMIT ?`,
    )
    .pluck()
    .all(since, limit) as number[];
  return storyCandidates(db, ids);
}

/** The newest story id: the anchor that keeps a paged list from shifting when new stories arrive. */
export function newestStoryId(db: Db): number {
  return Number(db.prepare('SELECT coalesce(max(id), 0) FROM stories').pluck().get());
}

/**
 * On-beat stories (at least one item matched a topic; `topic` narrows to one), newest first by first
 * publication, for `/digest latest`. Announced or not: a new feed's backlog counts as news to a reader.
 */
export function latestStories(
  db: Db,
  p: { topic: string | null; anchor: number; limit: number; offset: number },
): { storyIds: number[]; total: number } {
  const where = `s.id <= @anchor AND EXISTS (
      SELECT 1 FROM items i JOIN item_topics t ON t.item_id = i.id
      WHERE i.story_id = s.id AND (@topic IS NULL OR t.topic = @topic))`;
  const params = { topic: p.topic, anchor: p.anchor };
  const total = Number(db.prepare(`SELECT count(*) FROM stories s WHERE ${where}`).pluck().get(params));
  const storyIds = db
    .prepare(
      `SELECT s.id FROM stories s WHERE ${where} ORDER BY s.first_seen_at DESC, s.id DESC LIMIT @limit OFFSET @offset`,
    )
    .pluck()
    .all({ ...params, limit: p.limit, offset: p.offset }) as number[];
  return { storyIds, total };
}

/** Stories per topic with an item first seen since `since`: the 7-day counts `/digest topics` shows. */
export function topicStoryCounts(db: Db, since: number): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT t.topic, count(DISTINCT i.story_id) AS n FROM item_topics t JOIN items i ON i.id = t.item_id
       WHERE i.story_id IS NOT NULL AND i.first_seen_at >= ? GROUP BY t.topic`,
    )
    .all(since) as { topic: string; n: number }[];
  return new Map(rows.map((r) => [r.topic, r.n]));
}

/** Recent stories whose title or id matches what was typed so far, for autocomplete; newest first. */
export function storiesMatching(db: Db, typed: string, limit: number): { id: number; title: string }[] {
  const like = `%${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .prepare(
      `SELECT id, title FROM stories WHERE (@typed = '' OR CAST(id AS TEXT) LIKE @prefix OR title LIKE @like ESCAPE '\\')
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ typed, prefix: /^\d+$/.test(typed) ? `${typed}%` : '', like, limit }) as { id: number; title: string }[];
}

export function maxAnnounceSeq(db: Db): number {
  return Number(db.prepare('SELECT coalesce(max(announce_seq), 0) FROM stories').pluck().get());
}

interface MemberRow {
  item_id: number;
  title: string;
  url: string | null;
  summary: string | null;
  content: string;
  published_at: number;
  first_seen_at: number;
  source: string | null;
  feed_name: string | null;
  feed_title: string | null;
  feed_url: string;
}

/** The candidates for these story ids, in order; the three queries are prepared once for the whole list. */
export function storyCandidates(db: Db, ids: number[]): StoryCandidate[] {
  const st: CandidateStatements = {
    story: db.prepare('SELECT id, representative_item_id, announce_seq, first_seen_at FROM stories WHERE id = ?'),
    members: db.prepare(
      `SELECT i.id AS item_id, i.title, i.url, i.summary, i.content, i.published_at, i.first_seen_at, i.source,
              f.name AS feed_name, f.title AS feed_title, f.url AS feed_url
       FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.story_id = ? ORDER BY i.published_at, i.id`,
    ),
    topics: db.prepare(
      `SELECT t.topic, t.score, t.explanation FROM item_topics t JOIN items i ON i.id = t.item_id WHERE i.story_id = ?`,
    ),
  };
  return ids.map((id) => loadCandidate(st, id)).filter((c): c is StoryCandidate => c !== null);
}

interface CandidateStatements {
  story: Statement;
  members: Statement;
  topics: Statement;
}

function loadCandidate(st: CandidateStatements, storyId: number): StoryCandidate | null {
  const story = st.story.get(storyId) as
    | { id: number; representative_item_id: number | null; announce_seq: number | null; first_seen_at: number }
    | undefined;
  if (!story) return null;
  const members = st.members.all(storyId) as MemberRow[];
  if (members.length === 0) return null;
  const rep = members.find((m) => m.item_id === story.representative_item_id) ?? members[0]!;
  const ordered = [rep, ...members.filter((m) => m !== rep)];
  const topics = new Map<string, { score: number; terms: Set<string> }>();
  const topicRows = st.topics.all(storyId) as { topic: string; score: number; explanation: string }[];
  for (const row of topicRows) {
    const hits = (JSON.parse(row.explanation) as { hits: { term: string }[] }).hits;
    const entry = topics.get(row.topic) ?? { score: 0, terms: new Set<string>() };
    entry.score = Math.max(entry.score, row.score);
    for (const term of uniqueTerms(hits)) entry.terms.add(term);
    topics.set(row.topic, entry);
  }
  return {
    storyId,
    announceSeq: story.announce_seq,
    firstSeenAt: story.first_seen_at,
    title: rep.title,
    url: rep.url,
    outlet: outletName(rep),
    summary: rep.summary ?? rep.content.slice(0, 280),
    publishedAt: rep.published_at,
    sources: ordered.map((m) => ({ itemId: m.item_id, outlet: outletName(m), url: m.url, title: m.title })),
    topics: [...topics.entries()]
      .map(([id, t]) => ({ id, score: t.score, terms: [...t.terms] }))
      .sort((a, b) => b.score - a.score),
  };
}

/**
 * The outlet a person recognises: the outlet an aggregator credits, else the configured feed name,
 * else the feed's title, else the link's host.
 */
export function outletName(m: {
  source?: string | null;
  feed_name: string | null;
  feed_title: string | null;
  url: string | null;
  feed_url: string;
}): string {
  if (m.source) return m.source;
  if (m.feed_name) return m.feed_name;
  if (m.feed_title) return m.feed_title;
  try {
    return new URL(m.url ?? m.feed_url).hostname.replace(/^www\./, '');
  } catch {
    return 'unknown outlet';
  }
}
