import type { StoryCandidate } from '../digest/types.js';
import { uniqueTerms } from './items.js';
import type { Dialect, Sql } from './sql.js';

/** Stories that became announceable after `afterSeq` (a subscription cursor), oldest first. */
export async function storiesAfterCursor(sql: Sql, afterSeq: number, limit = 2_000): Promise<StoryCandidate[]> {
  const ids = await sql.column<number>('SELECT id FROM stories WHERE announce_seq > ? ORDER BY announce_seq LIMIT ?', [
    afterSeq,
    limit,
  ]);
  return storyCandidates(sql, ids);
}

/**
 * What one digest run covers: the stories announced after `afterSeq`, at most `limit` of them, oldest first
 * (`lastSeq` is the sequence of the last, or `afterSeq` when there is none: the cursor that run may reserve).
 * `candidates` are those among them that matched one of `topics` (any topic when null), loaded whole; the
 * rest could not be in the digest, so they are not read.
 */
export async function announcedWindow(
  sql: Sql,
  p: { afterSeq: number; topics: string[] | null; limit?: number },
): Promise<{ candidates: StoryCandidate[]; lastSeq: number }> {
  const limit = p.limit ?? 2_000;
  const lastSeq = Number(
    await sql.value(
      `SELECT coalesce(max(announce_seq), @after) FROM
         (SELECT announce_seq FROM stories WHERE announce_seq > @after ORDER BY announce_seq LIMIT @limit) AS w`,
      { after: p.afterSeq, limit },
    ),
  );
  const params = { after: p.afterSeq, last: lastSeq, topics: p.topics ? JSON.stringify(p.topics) : null };
  const ids = await sql.column<number>(WINDOW_IDS[sql.dialect], params);
  return { candidates: await storyCandidates(sql, ids), lastSeq };
}

/**
 * Stories with an item first seen since `since` (ms), announced or not: for previews
 * (`watchdesk digest --since`, `/digest latest`, the demo), which are not cursor-bound.
 */
export async function storiesSeenSince(sql: Sql, since: number, limit = 2_000): Promise<StoryCandidate[]> {
  const ids = await sql.column<number>(
    `SELECT story_id FROM items WHERE story_id IS NOT NULL AND first_seen_at >= ?
     GROUP BY story_id ORDER BY max(first_seen_at) DESC LIMIT ?`,
    [since, limit],
  );
  return storyCandidates(sql, ids);
}

/** The newest story id: the anchor that keeps a paged list from shifting when new stories arrive. */
export async function newestStoryId(sql: Sql): Promise<number> {
  return Number(await sql.value('SELECT coalesce(max(id), 0) FROM stories'));
}

/**
 * On-beat stories (at least one item matched a topic; `topic` narrows to one), newest first by first
 * publication, for `/digest latest`. Announced or not: a new feed's backlog counts as news to a reader.
 * Read from story_topics and stories.on_beat (kept by triggers, migration 9), never by visiting every story.
 */
export async function latestStories(
  sql: Sql,
  p: { topic: string | null; anchor: number; limit: number; offset: number },
): Promise<{ storyIds: number[]; total: number }> {
  const page = { anchor: p.anchor, limit: p.limit, offset: p.offset };
  if (p.topic === null) {
    const total = Number(
      await sql.value('SELECT count(*) FROM stories WHERE on_beat = 1 AND id <= @anchor', { anchor: p.anchor }),
    );
    const storyIds = await sql.column<number>(
      `SELECT id FROM stories WHERE on_beat = 1 AND id <= @anchor
       ORDER BY first_seen_at DESC, id DESC LIMIT @limit OFFSET @offset`,
      page,
    );
    return { storyIds, total };
  }
  const total = Number(
    await sql.value('SELECT count(*) FROM story_topics WHERE topic = @topic AND story_id <= @anchor', {
      topic: p.topic,
      anchor: p.anchor,
    }),
  );
  const storyIds = await sql.column<number>(
    `SELECT story_id FROM story_topics WHERE topic = @topic AND story_id <= @anchor
     ORDER BY first_seen_at DESC, story_id DESC LIMIT @limit OFFSET @offset`,
    { ...page, topic: p.topic },
  );
  return { storyIds, total };
}

/** Stories per topic with an item first seen since `since`: the 7-day counts `/digest topics` shows. */
export async function topicStoryCounts(sql: Sql, since: number): Promise<Map<string, number>> {
  const rows = await sql.all<{ topic: string; n: number }>(
    `SELECT t.topic, count(DISTINCT i.story_id) AS n FROM item_topics t JOIN items i ON i.id = t.item_id
     WHERE i.story_id IS NOT NULL AND i.first_seen_at >= ? GROUP BY t.topic`,
    [since],
  );
  return new Map(rows.map((r) => [r.topic, Number(r.n)]));
}

/** Recent stories whose title or id matches what was typed so far, for autocomplete; newest first. */
export async function storiesMatching(
  sql: Sql,
  typed: string,
  limit: number,
): Promise<{ id: number; title: string }[]> {
  const like = `%${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql.all<{ id: number; title: string }>(MATCHING_TITLE[sql.dialect], {
    typed,
    prefix: /^\d+$/.test(typed) ? `${typed}%` : '',
    like,
    limit,
  });
}

/** The newest announcement's sequence number (0 before the first): where a new subscription starts. */
export async function maxAnnounceSeq(sql: Sql): Promise<number> {
  return Number(await sql.value('SELECT coalesce(max(announce_seq), 0) FROM stories'));
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
 * The queries that read a list of ids, passed as one JSON array: SQLite reads it with json_each, PostgreSQL with
 * json_array_elements_text. Built once per dialect, so each keeps one SQL text (and one prepared statement).
 */
function perDialect(query: (ids: string) => string): Record<Dialect, string> {
  return {
    sqlite: query('SELECT value FROM json_each(?)'),
    postgres: query('SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(? AS json))'),
  };
}

// PostgreSQL cannot type a parameter that is only tested for NULL: the cast says what it is.
const WINDOW_IDS: Record<Dialect, string> = {
  sqlite: windowIds('@topics', 'SELECT value FROM json_each(@topics)'),
  postgres: windowIds('CAST(@topics AS json)', 'SELECT json_array_elements_text(CAST(@topics AS json))'),
};

function windowIds(list: string, topics: string): string {
  return `SELECT id FROM stories s WHERE announce_seq > @after AND announce_seq <= @last AND on_beat = 1
         AND (${list} IS NULL OR EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = s.id AND st.topic IN (${topics})))
       ORDER BY announce_seq`;
}

// PostgreSQL's LIKE tells case apart, SQLite's does not (for ASCII): ILIKE keeps the SQLite behaviour.
const MATCHING_TITLE: Record<Dialect, string> = {
  sqlite: matchingTitle('LIKE'),
  postgres: matchingTitle('ILIKE'),
};

function matchingTitle(like: string): string {
  return `SELECT id, title FROM stories
     WHERE (@typed = '' OR CAST(id AS TEXT) LIKE @prefix OR title ${like} @like ESCAPE '\\')
     ORDER BY id DESC LIMIT @limit`;
}

const CANDIDATES = {
  stories: perDialect(
    (ids) => `SELECT id, representative_item_id, announce_seq, first_seen_at FROM stories WHERE id IN (${ids})`,
  ),
  // substr counts characters and slice UTF-16 units: take enough here, cut exactly in loadCandidate.
  members: perDialect(
    (ids) => `SELECT i.story_id, i.id AS item_id, i.title, i.url, i.summary,
              CASE WHEN i.summary IS NULL THEN substr(i.content, 1, ${SUMMARY_STAND_IN}) END AS content_head,
              i.published_at, i.source, f.name AS feed_name, f.title AS feed_title, f.url AS feed_url
       FROM items i JOIN feeds f ON f.id = i.feed_id
       WHERE i.story_id IN (${ids}) ORDER BY i.story_id, i.published_at, i.id`,
  ),
  topics: perDialect(
    (ids) => `SELECT i.story_id, t.topic, t.score, t.explanation FROM item_topics t JOIN items i ON i.id = t.item_id
       WHERE i.story_id IN (${ids}) ORDER BY i.story_id, i.id, t.topic`,
  ),
};

/**
 * The candidates for these story ids, in order. Three queries for the whole list (stories, their
 * members, their topics), not three per story: a digest over a day reads thousands of stories.
 */
export async function storyCandidates(sql: Sql, ids: number[]): Promise<StoryCandidate[]> {
  if (ids.length === 0) return [];
  const list = [JSON.stringify(ids)];
  const stories = await sql.all<StoryRowRaw>(CANDIDATES.stories[sql.dialect], list);
  const members = await sql.all<MemberRow>(CANDIDATES.members[sql.dialect], list);
  const topics = await sql.all<TopicRow>(CANDIDATES.topics[sql.dialect], list);
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
