import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Sql } from '../../src/store/sql.js';
import { listStories, pruneStoryBuckets, storyMembers } from '../../src/store/stories.js';
import { DEFAULT_THRESHOLD } from '../../src/stories/similarity.js';
import { storyLead } from '../../src/stories/text.js';
import { type TempStore, tempStore } from '../helpers/db.js';
import { assignStory } from '../helpers/place-story.js';
import { storyFixtures } from '../helpers/story-fixtures.js';
import { EVENTS, OTHER_EVENTS, T0 } from '../stories/fixtures.js';

/** Stories as the index stores them, listed, pruned and made from the demo's articles, on the backend WATCHDESK_TEST_DB picks. */
const HOUR = 3_600_000;
const OPTS = { now: T0 + 100 * HOUR, windowMs: 72 * HOUR, threshold: DEFAULT_THRESHOLD };

let t: TempStore;
let db: Sql;
beforeEach(async () => {
  t = await tempStore();
  db = t.sql;
});
afterEach(() => t.close());

const { feed, addItem, assign, story } = storyFixtures(() => db, OPTS);

describe('listStories, storyMembers, pruneStoryBuckets', () => {
  it('lists stories updated since a time, newest first, with members and their outlets', async () => {
    const named = await feed('https://a.example/rss', 'Harbor Gazette');
    const titled = await feed('https://b.example/rss', null, 'Metro Wire');
    const bare = await feed('https://feeds.ledger.example/rss');
    const old = await assign(named, OTHER_EVENTS[1]!, T0, true, { ...OPTS, now: T0 });
    const s1 = await assign(named, EVENTS[0]![0]!, T0 + HOUR, true, { ...OPTS, now: T0 + 50 * HOUR });
    await assign(titled, EVENTS[0]![1]!, T0 + 2 * HOUR, true, { ...OPTS, now: T0 + 51 * HOUR });
    const bareItem = await addItem(bare, { title: EVENTS[0]![2]!.title, url: null, publishedAt: T0 + 3 * HOUR });
    await assignStory(
      db,
      { itemId: bareItem, ...EVENTS[0]![2]!, publishedAt: T0 + 3 * HOUR, announced: true },
      { ...OPTS, now: T0 + 52 * HOUR },
    );
    const s2 = await assign(titled, EVENTS[1]![0]!, T0 + 4 * HOUR, true, { ...OPTS, now: T0 + 53 * HOUR });

    const rows = await listStories(db, { since: T0 + 24 * HOUR });
    expect(rows.map((r) => r.id)).toEqual([s2.storyId, s1.storyId]);
    expect(rows.map((r) => r.id)).not.toContain(old.storyId);
    expect(rows[1]).toMatchObject({
      title: EVENTS[0]![0]!.title,
      representativeItemId: s1.itemId,
      firstSeenAt: T0 + HOUR,
      updatedAt: T0 + 52 * HOUR,
      itemCount: 3,
      // `old` was announced first
      announceSeq: 2,
    });
    expect(await listStories(db, { since: 0, limit: 1 })).toHaveLength(1);

    const members = await storyMembers(db, s1.storyId);
    expect(members.map((m) => m.outlet)).toEqual(['Harbor Gazette', 'Metro Wire', 'feeds.ledger.example']);
    expect(members.map((m) => m.publishedAt)).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(members[0]!.url).toMatch(/^https:\/\/x\.example\//);
  });

  it('prunes buckets of stories older than a cut-off, keeping the stories', async () => {
    const f = await feed('https://a.example/rss');
    const g = await feed('https://b.example/rss');
    const a = await assign(f, EVENTS[0]![0]!, T0);
    const b = await assign(f, EVENTS[1]![0]!, T0 + 100 * HOUR);
    const bucketsOf = (id: number) => db.value('SELECT count(*) FROM story_buckets WHERE story_id = ?', [id]);
    const bBuckets = await bucketsOf(b.storyId);
    expect(await bucketsOf(a.storyId)).toBeGreaterThan(0);
    const removed = await pruneStoryBuckets(db, T0 + 50 * HOUR);
    expect(removed).toBeGreaterThan(0);
    expect(await bucketsOf(a.storyId)).toBe(0);
    expect(await bucketsOf(b.storyId)).toBe(bBuckets);
    expect(await story(a.storyId)).toBeDefined();
    // With its buckets gone, the old story is no longer found by a late report.
    const late = await assign(g, EVENTS[0]![1]!, T0 + HOUR, true, { ...OPTS, windowMs: 1000 * HOUR });
    expect(late.isNew).toBe(true);
  });
});

describe('the demo articles (config/demo/articles.yaml)', () => {
  it('make exactly one story per event, across outlets, in the order the demo publishes them', async () => {
    const demo = parse(readFileSync(new URL('../../config/demo/articles.yaml', import.meta.url), 'utf8')) as {
      articles: Array<{ outlet: string; hoursAgo: number; title: string; content: string }>;
    };
    const feeds = new Map<string, number>();
    const storyOf = new Map<string, number>();
    const articles = [...demo.articles].sort((a, b) => b.hoursAgo - a.hoursAgo);
    for (const a of articles) {
      if (!feeds.has(a.outlet)) feeds.set(a.outlet, await feed(`https://${a.outlet}.example/feed`, a.outlet));
      const at = T0 + (100 - a.hoursAgo) * HOUR;
      const r = await assign(feeds.get(a.outlet)!, { title: a.title, lead: storyLead(a.content) }, at);
      storyOf.set(a.title, r.storyId);
    }
    // The events, by a word each of their headlines; every other article is its own story.
    const events = ['ListYard', 'Bazaro', 'Kids Online Safety Act', 'TalkHollow'];
    const groups = events.map((word) =>
      articles.filter((a) => a.title.includes(word)).map((a) => storyOf.get(a.title)),
    );
    for (const [i, ids] of groups.entries()) {
      expect(ids.length, events[i]).toBeGreaterThanOrEqual(2);
      expect(new Set(ids).size, events[i]).toBe(1);
    }
    const eventStories = new Set(groups.map((ids) => ids[0]));
    expect(eventStories.size).toBe(events.length);
    const singles = articles.filter((a) => !events.some((w) => a.title.includes(w)));
    expect(singles.length).toBeGreaterThan(0);
    const all = new Set(storyOf.values());
    expect(all.size).toBe(events.length + singles.length);
  });
});
