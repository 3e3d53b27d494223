import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/feeds/types.js';
import { storiesAfterCursor } from '../../src/store/digest-stories.js';
import { listFeeds, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { insertNewItems } from '../../src/store/items.js';
import type { Sql } from '../../src/store/sql.js';
import { type TempStore, tempStore, testBackend } from '../helpers/db.js';
import { assignStory } from '../helpers/place-story.js';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const OPTS = { now: NOW, windowMs: 72 * 3_600_000, threshold: 0.5 };

const item = (id: string, title: string): NormalizedItem => ({
  id,
  url: `https://news.example/${id}`,
  title,
  published: new Date(NOW).toISOString(),
  publishedEstimated: false,
  author: null,
  categories: [],
  content: `${title}. The filing was made public on Monday.`,
  enclosures: [],
});

/**
 * Issue 7 item 3: announce order is the order in which stories become visible to digests. Two
 * connections to one store stand for two processes (each its own SQLite connection to the file, or its
 * own pool of PostgreSQL connections). Before, announce_seq was the item id, so a story whose lower id was announced
 * after a cursor had passed a higher one slipped behind that cursor and was never sent.
 */
describe(`announce order across writers on ${testBackend()}`, () => {
  let t: TempStore | undefined;
  let other: Sql;
  afterEach(() => t?.close());

  it('a story announced after a cursor moved is past that cursor, whatever its item id', async () => {
    t = await tempStore();
    other = await t.open();
    await syncFeedsFromConfig(
      t.sql,
      [
        { url: 'https://a.example/rss', fullText: 'never' },
        { url: 'https://b.example/rss', fullText: 'never' },
      ],
      { intervalMs: 1 },
      NOW,
    );
    const [feedA, feedB] = (await listFeeds(t.sql)).map((f) => f.id);

    // The first process stores its item first (the lower id) but is slow to enrich it.
    const [a] = await insertNewItems(
      t.sql,
      feedA!,
      [item('a', 'Ofcom fines a video platform under the Online Safety Act')],
      {
        now: NOW,
        announced: true,
      },
    );
    const [b] = await insertNewItems(
      other,
      feedB!,
      [item('b', 'Senate committee advances the Kids Online Safety Act')],
      {
        now: NOW,
        announced: true,
      },
    );
    expect(a!.itemId).toBeLessThan(b!.itemId);

    // The second process announces first, and a digest's cursor moves past its story.
    await assignStory(
      other,
      { itemId: b!.itemId, title: b!.title, lead: b!.content, publishedAt: NOW, announced: true },
      OPTS,
    );
    const first = await storiesAfterCursor(t.sql, 0);
    expect(first.map((s) => s.title)).toEqual([b!.title]);
    const cursor = first[0]!.announceSeq!;

    // Then the first process announces its story: the next digest must still see it.
    await assignStory(
      t.sql,
      { itemId: a!.itemId, title: a!.title, lead: a!.content, publishedAt: NOW, announced: true },
      OPTS,
    );
    expect((await storiesAfterCursor(other, cursor)).map((s) => s.title)).toEqual([a!.title]);
  });
});
