import { describe, expect, it } from 'vitest';
import { type ClusterItem, createClusterer } from '../../src/stories/cluster.js';
import { EVENTS, eventItems, OTHER_EVENTS, T0, unrelatedStory } from './fixtures.js';

const HOUR = 3_600_000;

function item(key: string, over: Partial<ClusterItem> & Pick<ClusterItem, 'title'>): ClusterItem {
  return { key, lead: '', outlet: 'Outlet A', url: null, publishedAt: T0, ...over };
}

describe('createClusterer', () => {
  it('groups the same event told by different outlets into one story each', async () => {
    const c = createClusterer();
    for (const it of eventItems()) await c.add(it);
    const stories = c.stories();
    expect(stories).toHaveLength(EVENTS.length);
    for (const s of stories) {
      expect(s.members).toHaveLength(3);
      expect(new Set(s.members.map((m) => m.key.split('-')[0]))).toHaveProperty('size', 1);
      expect(new Set(s.members.map((m) => m.outlet)).size).toBe(3);
    }
  });

  it('keeps different events on the same subjects apart', async () => {
    const c = createClusterer();
    for (const it of eventItems()) await c.add(it);
    for (const [i, o] of OTHER_EVENTS.entries()) {
      const r = await c.add(item(`other${i}`, { ...o, publishedAt: T0 + 20 * HOUR }));
      expect(r.isNew).toBe(true);
    }
    expect(c.stories()).toHaveLength(EVENTS.length + OTHER_EVENTS.length);
  });

  it('joins incrementally: the returned story id is the one the first item started', async () => {
    const c = createClusterer();
    const [a, b, d] = EVENTS[1]!;
    const first = await c.add(item('a', { ...a!, publishedAt: T0 }));
    const second = await c.add(item('b', { ...b!, publishedAt: T0 + HOUR }));
    const third = await c.add(item('d', { ...d!, publishedAt: T0 + 2 * HOUR }));
    expect(first.isNew).toBe(true);
    expect(second).toMatchObject({ storyId: first.storyId, isNew: false });
    expect(third).toMatchObject({ storyId: first.storyId, isNew: false });
    expect(c.stories()[0]!.members.map((m) => m.key)).toEqual(['a', 'b', 'd']);
  });

  it('keeps the first item as representative and the earliest time as first-seen', async () => {
    const c = createClusterer();
    const [a, b] = EVENTS[2]!;
    await c.add(item('late-first', { ...a!, outlet: 'Outlet A', publishedAt: T0 + 5 * HOUR }));
    await c.add(
      item('early-second', { ...b!, outlet: 'Outlet B', publishedAt: T0 + HOUR, lead: `${b!.lead} More detail.` }),
    );
    const [s] = c.stories();
    expect(s!.representative.key).toBe('late-first');
    expect(s!.firstSeenAt).toBe(T0 + HOUR);
  });

  it('starts a new story once the window has passed', async () => {
    const c = createClusterer({ windowMs: 24 * HOUR });
    const [a, b, d] = EVENTS[0]!;
    const first = await c.add(item('a', { ...a!, outlet: 'A', publishedAt: T0 }));
    const within = await c.add(item('b', { ...b!, outlet: 'B', publishedAt: T0 + 23 * HOUR }));
    const after = await c.add(item('d', { ...d!, outlet: 'D', publishedAt: T0 + 25 * HOUR }));
    expect(within.storyId).toBe(first.storyId);
    expect(after.isNew).toBe(true);
    expect(after.storyId).not.toBe(first.storyId);
  });

  it('joins items from one outlet only when re-published, not a templated series', async () => {
    const c = createClusterer();
    const rogue = await c.add(
      item('rogue', { title: 'The best Rogue build and feats in Castle Quest 3', publishedAt: T0 }),
    );
    const ranger = await c.add(
      item('ranger', { title: 'The best Ranger build and feats in Castle Quest 3', publishedAt: T0 + 1 }),
    );
    const again = await c.add(
      item('again', { title: 'The best Rogue build and feats in Castle Quest 3', publishedAt: T0 + 2 }),
    );
    const elsewhere = await c.add(
      item('other', {
        title: 'Castle Quest 3: the best Rogue build and feats',
        outlet: 'Outlet B',
        publishedAt: T0 + 3,
      }),
    );
    expect(ranger.isNew).toBe(true);
    expect(again).toMatchObject({ storyId: rogue.storyId, isNew: false });
    expect(elsewhere).toMatchObject({ storyId: rogue.storyId, isNew: false });
  });

  it('respects the threshold option', async () => {
    const [a, b] = EVENTS[0]!;
    const strict = createClusterer({ threshold: 0.99 });
    await strict.add(item('a', { ...a!, outlet: 'A' }));
    expect((await strict.add(item('b', { ...b!, outlet: 'B' }))).isNew).toBe(true);
    const loose = createClusterer({ threshold: 0.01 });
    await loose.add(item('a', { ...a!, outlet: 'A' }));
    expect((await loose.add(item('b', { ...b!, outlet: 'B' }))).isNew).toBe(false);
  });

  it('examines a bounded number of candidates however many unrelated stories exist', async () => {
    const c = createClusterer();
    const probe = EVENTS[0]!;
    const counts: number[] = [];
    let n = 0;
    for (const size of [50, 500, 3000]) {
      for (; n < size; n++)
        await c.add(item(`u${n}`, { ...unrelatedStory(n), outlet: `O${n % 40}`, publishedAt: T0 + n }));
      // Each probe starts its own story, then a second outlet's version must find it.
      await c.add(
        item(`p${size}`, { ...probe[0]!, title: `${probe[0]!.title} ${size}`, outlet: 'Probe A', publishedAt: T0 + n }),
      );
      const r = await c.add(
        item(`q${size}`, { ...probe[1]!, title: `${probe[1]!.title} ${size}`, outlet: 'Probe B', publishedAt: T0 + n }),
      );
      expect(r.isNew).toBe(false);
      counts.push(r.candidates);
    }
    // Earlier probes are similar stories, so they may be candidates too: at most one per round.
    for (const k of counts) expect(k).toBeLessThanOrEqual(counts.length + 2);
  });

  it('drops stories past the window from the candidate index', async () => {
    const c = createClusterer({ windowMs: 10 * HOUR });
    const [a, b] = EVENTS[1]!;
    await c.add(item('old', { ...a!, outlet: 'A', publishedAt: T0 }));
    for (let i = 0; i < 5; i++) await c.add(item(`u${i}`, { ...unrelatedStory(i), publishedAt: T0 + 20 * HOUR }));
    const r = await c.add(item('new', { ...b!, outlet: 'B', publishedAt: T0 + 21 * HOUR }));
    expect(r).toMatchObject({ isNew: true, candidates: 0 });
  });
});
