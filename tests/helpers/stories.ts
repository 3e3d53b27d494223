import { insertNewItems, setItemSummary, setItemTopics } from '../../src/store/items.js';
import type { Sql } from '../../src/store/sql.js';
import { storeNewStory } from './place-story.js';

/** A stored, classified (eu-dsa), summarized and announced story, as ingest would leave it. */
export async function addAnnouncedStory(db: Sql, guid: string, title: string): Promise<void> {
  const feedId = await db.value(
    'INSERT INTO feeds (url, interval_ms, created_at, in_config) VALUES (?, 900000, 0, 0) RETURNING id',
    [`http://127.0.0.1/${guid}`],
  );
  const [item] = await insertNewItems(
    db,
    Number(feedId),
    [
      {
        id: guid,
        url: `https://news.example/${guid}`,
        title,
        published: new Date().toISOString(),
        publishedEstimated: false,
        author: null,
        categories: [],
        content: `${title}. More text.`,
        enclosures: [],
      },
    ],
    { now: Date.now(), announced: true },
  );
  await setItemTopics(db, item!.itemId, [
    {
      topic: 'eu-dsa',
      score: 0.8,
      hits: [{ term: '"Digital Services Act"', field: 'title', count: 1 }],
      explanation: 'x',
    },
  ]);
  await setItemSummary(db, item!.itemId, { text: `${title}.`, sentences: [title], method: 'extractive', note: null });
  await storeNewStory(
    db,
    { itemId: item!.itemId, title, lead: title, publishedAt: Date.now(), announced: true },
    Date.now(),
  );
}
