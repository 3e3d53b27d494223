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
 * What one digest run covers: the stories announced after `afterSeq`, at most `limit` of them, oldest first
 * (`lastSeq` is the sequence of the last, or `afterSeq` when there is none: the cursor that run may reserve).
 * `candidates` are those among them that matched one of `topics` (any topic when null), loaded whole; the
 * rest could not be in the digest, so they are not read.
 */
export function announcedWindow(
  db: Db,
  p: { afterSeq: number; topics: string[] | null; limit?: number },
): { candidates: StoryCandidate[]; lastSeq: number } {
  const limit = p.limit ?? 2_000;
  const lastSeq = Number(
    db
      .prepare(
        `SELECT coalesce(max(announce_seq), @after) FROM
           (SELECT announce_seq FROM stories WHERE announce_seq > @after ORDER BY announce_seq LIMIT @limit)`,
      )
      .pluck()
      .get({ after: p.afterSeq, limit }),
  );
  const ids = db
    .prepare(
      `SELECT id FROM stories s WHERE announce_seq > @after AND announce_seq <= @last AND on_beat = 1
         AND (@topics IS NULL OR EXISTS (SELECT 1 FROM story_topics st
               WHERE st.story_id = s.id AND st.topic IN (SELECT value FROM json_each(@topics))))
       ORDER BY announce_seq`,
    )
    .pluck()
    .all({ after: p.afterSeq, last: lastSeq, topics: p.topics ? JSON.stringify(p.topics) : null }) as number[];
  return { candidates: storyCandidates(db, ids), lastSeq };
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
 * Read from story_topics and stories.on_beat (kept by triggers, migration 9), never by visiting every story.
 */
export function latestStories(
  db: Db,
  p: { topic: string | null; anchor: number; limit: number; offset: number },
): { storyIds: number[]; total: number } {
  const page = { anchor: p.anchor, limit: p.limit, offset: p.offset };
  if (p.topic === null) {
    const total = Number(
      db.prepare('SELECT count(*) FROM stories WHERE on_beat = 1 AND id <= @anchor').pluck().get({ anchor: p.anchor }),
    );
    const storyIds = db
      .prepare(
        `SELECT id FROM stories WHERE on_beat = 1 AND id <= @anchor
         ORDER BY first_seen_at DESC, id DESC LIMIT @limit OFFSET @offset`,
      )
      .pluck()
      .all(page) as number[];
    return { storyIds, total };
  }
  const total = Number(
    db
      .prepare('SELECT count(*) FROM story_topics WHERE topic = @topic AND story_id <= @anchor')
      .pluck()
      .get({ topic: p.topic, anchor: p.anchor }),
  );
  const storyIds = db
    .prepare(
      `SELECT story_id FROM story_topics WHERE topic = @topic AND story_id <= @anchor
       ORDER BY first_seen_at DESC, story_id DESC LIMIT @limit OFFSET @offset`,
    )
    .pluck()
    .all({ ...page, topic: p.topic }) as number[];
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
  story_id: number;
  item_id: number;
  title: string;
  url: string | null;
  summary: string | null;
  /** The opening of the content, only when there is no summary (it stands in for one). */
  content_head: string | null;
  published_at: number;
  source: string | null;
  feed_name: string | null;
  feed_title: string | null;
  feed_url: string;
}

/** Characters of content a story without a summary shows instead. */
const SUMMARY_STAND_IN = 280;

/**
 * The candidates for these story ids, in order. Three queries for the whole list (stories, their
 * members, their topics), not three per story: a digest over a day reads thousands of stories.
 */
export function storyCandidates(db: Db, ids: number[]): StoryCandidate[] {
  if (ids.length === 0) return [];
  const list = JSON.stringify(ids);
  const stories = db
    .prepare(
      `SELECT id, representative_item_id, announce_seq, first_seen_at FROM stories
       WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(list) as StoryRowRaw[];
  // substr counts characters and slice UTF-16 units: take enough here, cut exactly in loadCandidate.
  const members = db
    .prepare(
      `SELECT i.story_id, i.id AS item_id, i.title, i.url, i.summary,
              CASE WHEN i.summary IS NULL THEN substr(i.content, 1, ${SUMMARY_STAND_IN}) END AS content_head,
              i.published_at, i.source, f.name AS feed_name, f.title AS feed_title, f.url AS feed_url
       FROM items i JOIN feeds f ON f.id = i.feed_id
       WHERE i.story_id IN (SELECT value FROM json_each(?)) ORDER BY i.story_id, i.published_at, i.id`,
    )
    .all(list) as MemberRow[];
  const topics = db
    .prepare(
      `SELECT i.story_id, t.topic, t.score, t.explanation FROM item_topics t JOIN items i ON i.id = t.item_id
       WHERE i.story_id IN (SELECT value FROM json_each(?)) ORDER BY i.story_id, i.id, t.topic`,
    )
    .all(list) as TopicRow[];
  const storyById = new Map(stories.map((r) => [r.id, r]));
  const membersOf = groupBy(members);
  const topicsOf = groupBy(topics);
  return ids
    .map((id) => {
      const story = storyById.get(id);
      return story ? loadCandidate(story, membersOf.get(id) ?? [], topicsOf.get(id) ?? []) : null;
    })
    .filter((c): c is StoryCandidate => c !== null);
}

interface StoryRowRaw {
  id: number;
  representative_item_id: number | null;
  announce_seq: number | null;
  first_seen_at: number;
}

interface TopicRow {
  story_id: number;
  topic: string;
  score: number;
  explanation: string;
}

function groupBy<T extends { story_id: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(row.story_id);
    if (list) list.push(row);
    else out.set(row.story_id, [row]);
  }
  return out;
}

function loadCandidate(story: StoryRowRaw, members: MemberRow[], topicRows: TopicRow[]): StoryCandidate | null {
  if (members.length === 0) return null;
  const rep = members.find((m) => m.item_id === story.representative_item_id) ?? members[0]!;
  const ordered = [rep, ...members.filter((m) => m !== rep)];
  const topics = new Map<string, { score: number; terms: Set<string> }>();
  for (const row of topicRows) {
    const hits = (JSON.parse(row.explanation) as { hits: { term: string }[] }).hits;
    const entry = topics.get(row.topic) ?? { score: 0, terms: new Set<string>() };
    entry.score = Math.max(entry.score, row.score);
    for (const term of uniqueTerms(hits)) entry.terms.add(term);
    topics.set(row.topic, entry);
  }
  return {
    storyId: story.id,
    announceSeq: story.announce_seq,
    firstSeenAt: story.first_seen_at,
    title: rep.title,
    url: rep.url,
    outlet: outletName(rep),
    summary: rep.summary ?? (rep.content_head ?? '').slice(0, SUMMARY_STAND_IN),
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
