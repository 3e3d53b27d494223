import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/store/sql.js';
import { MAX_CANDIDATES } from '../../src/stories/minhash.js';
import { DEFAULT_THRESHOLD } from '../../src/stories/similarity.js';
import { type TempStore, tempStore } from '../helpers/db.js';
import { assignStory } from '../helpers/place-story.js';
import { storyFixtures } from '../helpers/story-fixtures.js';
import { EVENTS, OTHER_EVENTS, T0, unrelatedStory } from '../stories/fixtures.js';

const HOUR = 3_600_000;
const OPTS = { now: T0 + 100 * HOUR, windowMs: 72 * HOUR, threshold: DEFAULT_THRESHOLD };
/**
 * The two tests that place hundreds of items: about ten round trips each on PostgreSQL, 5-7 s on a quiet
 * machine, more beside other test runs; a limit on a hung run, not a measure of speed.
 */
const SCALE_TIMEOUT_MS = 90_000;

let t: TempStore;
let db: Sql;
beforeEach(async () => {
  t = await tempStore();
  db = t.sql;
});
afterEach(() => t.close());

const { feed, feedsNamed, addItem, assign, story } = storyFixtures(() => db, OPTS);

describe('assignStory', () => {
  it('creates a story, then joins other outlets reporting the same event, and sets items.story_id', async () => {
    const feeds = [
      await feed('https://a.example/rss'),
      await feed('https://b.example/rss'),
      await feed('https://c.example/rss'),
    ];
    const ids: Array<Awaited<ReturnType<typeof assign>>> = [];
    for (const [e, variants] of EVENTS.entries()) {
      for (const [k, v] of variants.entries()) ids.push(await assign(feeds[k]!, v, T0 + (k * 3 + e) * HOUR));
    }
    const storyIds = new Set(ids.map((r) => r.storyId));
    expect(storyIds.size).toBe(EVENTS.length);
    expect(ids.filter((r) => r.isNew)).toHaveLength(EVENTS.length);
    for (const r of ids) {
      expect(await db.value('SELECT story_id FROM items WHERE id = ?', [r.itemId])).toBe(r.storyId);
    }
    const first = ids[0]!;
    expect(await story(first.storyId)).toMatchObject({
      item_count: 3,
      representative_item_id: first.itemId,
      first_seen_at: T0,
      updated_at: OPTS.now,
      title: EVENTS[0]![0]!.title,
      lead: EVENTS[0]![0]!.lead,
    });
  });

  it('keeps different events apart', async () => {
    const f = await feed('https://a.example/rss');
    const g = await feed('https://b.example/rss');
    const a = await assign(f, EVENTS[0]![0]!, T0);
    const b = await assign(g, OTHER_EVENTS[0]!, T0 + HOUR);
    expect(b.isNew).toBe(true);
    expect(b.storyId).not.toBe(a.storyId);
  });

  it('leaves announce_seq NULL for first-poll items and takes the next counter value for the first announced one', async () => {
    const [f, g, h] = [
      await feed('https://a.example/rss'),
      await feed('https://b.example/rss'),
      await feed('https://c.example/rss'),
    ];
    const other = await assign(f, OTHER_EVENTS[0]!, T0, true);
    expect((await story(other.storyId)).announce_seq).toBe(1);
    const quiet = await assign(f, EVENTS[1]![0]!, T0, false);
    expect((await story(quiet.storyId)).announce_seq).toBeNull();
    const loud = await assign(g, EVENTS[1]![1]!, T0 + HOUR, true);
    expect(loud.storyId).toBe(quiet.storyId);
    expect((await story(quiet.storyId)).announce_seq).toBe(2);
    const later = await assign(h, EVENTS[1]![2]!, T0 + 2 * HOUR, true);
    expect(later.storyId).toBe(quiet.storyId);
    expect((await story(quiet.storyId)).announce_seq).toBe(2);
    // Joining an announced story takes no number.
    expect(await assign(g, OTHER_EVENTS[1]!, T0, true)).toMatchObject({ isNew: true });
    expect(await db.value('SELECT max(announce_seq) FROM stories')).toBe(3);
  });

  it('sets announce_seq at creation when the first item is announced', async () => {
    const r = await assign(await feed('https://a.example/rss'), EVENTS[2]![0]!, T0, true);
    expect((await story(r.storyId)).announce_seq).toBe(1);
  });

  it('does not join a story that started outside the window', async () => {
    const [f, g] = [await feed('https://a.example/rss'), await feed('https://b.example/rss')];
    const opts = { ...OPTS, windowMs: 24 * HOUR };
    const a = await assign(f, EVENTS[0]![0]!, T0, true, opts);
    const late = await assign(g, EVENTS[0]![1]!, T0 + 30 * HOUR, true, opts);
    expect(late.isNew).toBe(true);
    expect(late.storyId).not.toBe(a.storyId);
  });

  it('joins within one feed only when the item is re-published', async () => {
    const f = await feed('https://a.example/rss');
    const a = await assign(f, { title: 'Kurs USD/PLN 1 marca 2025', lead: '' }, T0);
    const b = await assign(f, { title: 'Kurs GBP/PLN 1 marca 2025', lead: '' }, T0 + 1);
    const c = await assign(f, { title: 'Kurs USD/PLN 1 marca 2025', lead: '' }, T0 + 2);
    expect(b.storyId).not.toBe(a.storyId);
    expect(c.storyId).toBe(a.storyId);
  });

  it('keeps the story an item already has', async () => {
    const f = await feed('https://a.example/rss');
    const a = await assign(f, EVENTS[0]![0]!, T0);
    const again = await assignStory(
      db,
      { itemId: a.itemId, ...EVENTS[0]![0]!, publishedAt: T0, announced: true },
      OPTS,
    );
    expect(again).toMatchObject({ storyId: a.storyId, isNew: false });
    expect((await story(a.storyId)).item_count).toBe(1);
  });

  it("runs inside the caller's transaction: a rollback undoes the story", async () => {
    const f = await feed('https://a.example/rss');
    const itemId = await addItem(f, { title: 'x', publishedAt: T0 });
    await expect(
      db.write(async () => {
        await assignStory(db, { itemId, ...EVENTS[0]![0]!, publishedAt: T0, announced: true }, OPTS);
        throw new Error('caller fails later');
      }),
    ).rejects.toThrow('caller fails later');
    expect(await db.value('SELECT count(*) FROM stories')).toBe(0);
    expect(await db.value('SELECT count(*) FROM story_buckets')).toBe(0);
    expect(await db.value('SELECT story_id FROM items WHERE id = ?', [itemId])).toBeNull();
  });

  it('decides against the story now stored under an id a rolled-back batch had used', async () => {
    const [f, g, h] = [
      await feed('https://a.example/rss'),
      await feed('https://b.example/rss'),
      await feed('https://c.example/rss'),
    ];
    // A batch creates story 1 and verifies an item against it, then fails: story 1 is gone.
    await expect(
      db.write(async () => {
        const first = await assign(f, EVENTS[0]![0]!, T0);
        expect(first.storyId).toBe(1);
        expect(await assign(g, EVENTS[0]![1]!, T0 + HOUR)).toMatchObject({ storyId: 1, isNew: false });
        throw new Error('the commit fails');
      }),
    ).rejects.toThrow('the commit fails');
    // SQLite hands id 1 out again, to a story about another event. (PostgreSQL's identity never hands an
    // id out twice, so there the case cannot arise: the new story is 2, and the rest must hold all the same.)
    const id = db.dialect === 'sqlite' ? 1 : 2;
    const other = await assign(f, EVENTS[1]![0]!, T0 + 2 * HOUR);
    expect(other).toMatchObject({ storyId: id, isNew: true });
    // Another outlet's report of that event is verified against it, not against the rolled-back text.
    expect(await assign(h, EVENTS[1]![1]!, T0 + 3 * HOUR)).toMatchObject({ storyId: id, isNew: false });
  });

  it(
    'examines a bounded number of candidate stories as unrelated stories grow',
    async () => {
      const feeds = await feedsNamed(20, (i) => `https://f${i}.example/rss`);
      const counts: number[] = [];
      let n = 0;
      for (const size of [20, 200, 800]) {
        for (; n < size; n++) await assign(feeds[n % 20]!, unrelatedStory(n), T0 + n);
        const a = await assign(feeds[0]!, { ...EVENTS[2]![0]!, title: `${EVENTS[2]![0]!.title} ${size}` }, T0 + n);
        const b = await assign(feeds[1]!, { ...EVENTS[2]![1]!, title: `${EVENTS[2]![1]!.title} ${size}` }, T0 + n);
        expect(b.storyId).toBe(a.storyId);
        counts.push(b.candidates);
      }
      for (const k of counts) expect(k).toBeLessThanOrEqual(counts.length + 2);
    },
    SCALE_TIMEOUT_MS,
  );

  it(
    'verifies at most MAX_CANDIDATES stories when boilerplate makes every item look alike',
    async () => {
      // One outlet's items share a long boilerplate lead; each title differs. Every band bucket is
      // then shared by every story, which used to make each item verify against all of them.
      const feeds = await feedsNamed(5, (i) => `https://boiler${i}.example/rss`);
      const boiler =
        'Subscribe to our newsletter for the latest updates on policy, courts and regulation delivered every morning to your inbox.';
      let last = { candidates: 0 };
      for (let n = 0; n < 400; n++) {
        last = await assign(
          feeds[n % 5]!,
          { title: `Bulletin number ${n} for subscribers`, lead: boiler },
          T0 + n * 1000,
        );
      }
      expect(last.candidates).toBeGreaterThan(0);
      expect(last.candidates).toBeLessThanOrEqual(MAX_CANDIDATES);
    },
    SCALE_TIMEOUT_MS,
  );
});
