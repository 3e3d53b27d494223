import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announcedWindow, latestStories, newestStoryId } from '../../src/store/digest-stories.js';
import { setItemTopics } from '../../src/store/items.js';
import type { Sql } from '../../src/store/sql.js';
import { seedStory } from '../helpers/command-fixtures.js';
import { type TempStore, tempStore } from '../helpers/db.js';

let t: TempStore;
let db: Sql;
beforeEach(async () => {
  t = await tempStore();
  db = t.sql;
});
afterEach(() => t.close());

const latest = async (topic: string | null) =>
  latestStories(db, { topic, anchor: await newestStoryId(db), limit: 20, offset: 0 });
const match = (topic: string) => ({
  topic,
  score: 0.5,
  hits: [{ term: topic, field: 'title' as const, count: 1 }],
  explanation: topic,
});
const itemsOf = (story: number) => db.column<number>('SELECT id FROM items WHERE story_id = ? ORDER BY id', [story]);

describe('story topics: which stories are on the beat, kept in step with items and their topics', () => {
  it('lists on-beat stories newest first, by topic, and leaves off-beat ones out', async () => {
    const old = await seedStory(db, {
      title: 'KOSA markup',
      topics: { 'child-safety': 0.6 },
      reports: [{ outlet: 'A', hoursAgo: 30 }],
    });
    await seedStory(db, { title: 'Weather', reports: [{ outlet: 'B', hoursAgo: 2 }] });
    const fresh = await seedStory(db, {
      title: 'DSA fine',
      topics: { 'eu-dsa': 0.7 },
      reports: [
        { outlet: 'A', hoursAgo: 5 },
        { outlet: 'C', hoursAgo: 4 },
      ],
    });
    expect(await latest(null)).toEqual({ storyIds: [fresh, old], total: 2 });
    expect(await latest('eu-dsa')).toEqual({ storyIds: [fresh], total: 1 });
    expect(await latest('uk-osa')).toEqual({ storyIds: [], total: 0 });
  });

  it('follows re-classification: a topic gained or lost by any member counts for the story', async () => {
    const s = await seedStory(db, {
      title: 'Platform news',
      reports: [
        { outlet: 'A', hoursAgo: 5 },
        { outlet: 'B', hoursAgo: 4 },
      ],
    });
    const [first, second] = await itemsOf(s);
    expect((await latest(null)).total).toBe(0);
    await setItemTopics(db, second!, [match('uk-osa')]);
    expect((await latest('uk-osa')).storyIds).toEqual([s]);
    await setItemTopics(db, first!, [match('uk-osa'), match('eu-dsa')]);
    await setItemTopics(db, second!, []);
    // first still carries uk-osa, so the story keeps it
    expect((await latest('uk-osa')).storyIds).toEqual([s]);
    expect((await latest('eu-dsa')).storyIds).toEqual([s]);
    await setItemTopics(db, first!, []);
    expect(await latest(null)).toEqual({ storyIds: [], total: 0 });
    expect(await latest('uk-osa')).toEqual({ storyIds: [], total: 0 });
  });

  it('follows an item moving to another story, and an item deleted', async () => {
    const a = await seedStory(db, {
      title: 'Story A',
      topics: { 'eu-dsa': 0.5 },
      reports: [{ outlet: 'A', hoursAgo: 5 }],
    });
    const b = await seedStory(db, { title: 'Story B', reports: [{ outlet: 'B', hoursAgo: 4 }] });
    const [item] = await itemsOf(a);
    await db.run('UPDATE items SET story_id = ? WHERE id = ?', [b, item]);
    expect((await latest('eu-dsa')).storyIds).toEqual([b]);
    await db.run('DELETE FROM items WHERE id = ?', [item]);
    expect(await latest(null)).toEqual({ storyIds: [], total: 0 });
  });

  it('a digest window reads only stories on the wanted topics, and still ends at the last story announced', async () => {
    const dsa = await seedStory(db, {
      title: 'DSA fine',
      topics: { 'eu-dsa': 0.7 },
      reports: [{ outlet: 'A', hoursAgo: 5 }],
    });
    await seedStory(db, { title: 'Weather', reports: [{ outlet: 'B', hoursAgo: 2 }] });
    const osa = await seedStory(db, {
      title: 'Ofcom code',
      topics: { 'uk-osa': 0.7 },
      reports: [{ outlet: 'C', hoursAgo: 1 }],
    });
    const seqOf = async (id: number) => Number(await db.value('SELECT announce_seq FROM stories WHERE id = ?', [id]));
    const all = await announcedWindow(db, { afterSeq: 0, topics: null });
    expect(all.candidates.map((c) => c.storyId)).toEqual([dsa, osa]);
    expect(all.lastSeq).toBe(await seqOf(osa));
    const one = await announcedWindow(db, { afterSeq: 0, topics: ['eu-dsa'] });
    expect(one.candidates.map((c) => c.storyId)).toEqual([dsa]);
    expect(one.lastSeq).toBe(await seqOf(osa));
    // The window is the first `limit` stories after the cursor, whatever their topics.
    const capped = await announcedWindow(db, { afterSeq: 0, topics: ['uk-osa'], limit: 2 });
    expect(capped.candidates).toEqual([]);
    expect(capped.lastSeq).toBe((await seqOf(dsa)) + 1);
    expect(await announcedWindow(db, { afterSeq: await seqOf(osa), topics: null })).toEqual({
      candidates: [],
      lastSeq: await seqOf(osa),
    });
  });
});
