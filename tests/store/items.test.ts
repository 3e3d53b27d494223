import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/feeds/types.js';
import { countItems, getItem, insertNewItems, itemTopics, setItemTopics } from '../../src/store/items.js';
import { type TempStore, tempStore, testBackend } from '../helpers/db.js';

const item = (id: string, url: string | null, title = `Item ${id}`): NormalizedItem => ({
  id,
  url,
  title,
  published: '2026-11-27T10:00:00.000Z',
  publishedEstimated: false,
  author: null,
  categories: ['policy'],
  content: 'Body text.',
  enclosures: [],
});

describe(`store/items on ${testBackend()}`, () => {
  let t: TempStore | undefined;
  afterEach(() => t?.close());

  const feed = async (url: string) =>
    Number(
      await t!.sql.value('INSERT INTO feeds (url, interval_ms, created_at) VALUES (?, 900000, 0) RETURNING id', [url]),
    );

  it('dedups by (feed, id) and across feeds by canonical URL', async () => {
    t = await tempStore();
    const a = await feed('https://a.example/rss');
    const b = await feed('https://b.example/rss');
    const first = await insertNewItems(t.sql, a, [item('1', 'https://news.example/x'), item('2', null)], {
      now: 1,
      announced: true,
    });
    expect(first.map((i) => i.id)).toEqual(['1', '2']);
    // the same ids again from the same feed: nothing new
    expect(
      await insertNewItems(t.sql, a, [item('1', 'https://news.example/x'), item('2', null)], {
        now: 2,
        announced: true,
      }),
    ).toEqual([]);
    // the same id from another feed is another item; the same URL from another feed is not
    const fromB = await insertNewItems(
      t.sql,
      b,
      [item('1', 'https://news.example/y'), item('9', 'https://news.example/x')],
      {
        now: 3,
        announced: true,
      },
    );
    expect(fromB.map((i) => i.url)).toEqual(['https://news.example/y']);
    expect(await countItems(t.sql)).toBe(3);
  });

  it('keeps the announced flag, the date and the fields', async () => {
    t = await tempStore();
    const a = await feed('https://a.example/rss');
    const [stored] = await insertNewItems(t.sql, a, [item('1', 'https://news.example/x')], {
      now: 5,
      announced: false,
    });
    const row = await getItem(t.sql, stored!.itemId)!;
    expect(row).toMatchObject({
      announced: false,
      publishedAt: Date.parse('2026-11-27T10:00:00Z'),
      categories: ['policy'],
      firstSeenAt: 5,
    });
  });

  it('stores topic matches with their explanation and terms', async () => {
    t = await tempStore();
    const [stored] = await insertNewItems(t.sql, await feed('https://a.example/rss'), [item('1', null)], {
      now: 1,
      announced: true,
    });
    await setItemTopics(t.sql, stored!.itemId, [
      {
        topic: 'eu-dsa',
        score: 0.7,
        hits: [
          { term: '"Digital Services Act"', field: 'title', count: 1 },
          { term: '"Digital Services Act"', field: 'content', count: 2 },
          { term: 'DSA', field: 'content', count: 1 },
        ],
        explanation: 'title: "Digital Services Act"; "Digital Services Act" ×2, DSA in text',
      },
    ]);
    expect(await itemTopics(t.sql, stored!.itemId)).toEqual([
      {
        topic: 'eu-dsa',
        score: 0.7,
        explanation: 'title: "Digital Services Act"; "Digital Services Act" ×2, DSA in text',
        terms: ['"Digital Services Act"', 'DSA'],
      },
    ]);
    await setItemTopics(t.sql, stored!.itemId, []);
    expect(await itemTopics(t.sql, stored!.itemId)).toEqual([]);
  });
});
