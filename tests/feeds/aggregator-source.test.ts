import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/parse.js';
import { outletName } from '../../src/store/digest-stories.js';

// Shaped like a news aggregator's search feed: each item credits its outlet in <source> and
// repeats it at the end of the headline. Written for this test.
const aggregatorFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>"Section 230" - search results</title><link>https://aggregator.example/search</link>
<item><title>Appeals court narrows Section 230 for curated app stores - Ledger Weekly</title>
<link>https://aggregator.example/articles/abc</link><guid isPermaLink="false">abc</guid>
<pubDate>Fri, 27 Nov 2026 14:00:00 GMT</pubDate><description>An appeals court narrowed immunity.</description>
<source url="https://ledger.example">Ledger Weekly</source></item>
<item><title>Senators trade barbs over platform immunity – Harbor Post</title>
<link>https://aggregator.example/articles/def</link><guid isPermaLink="false">def</guid>
<pubDate>Fri, 27 Nov 2026 15:00:00 GMT</pubDate><description>Debate continued.</description>
<source url="https://harbor.example">Harbor Post</source></item>
<item><title>No credited outlet here - Someone</title>
<link>https://aggregator.example/articles/ghi</link><guid isPermaLink="false">ghi</guid>
<pubDate>Fri, 27 Nov 2026 16:00:00 GMT</pubDate><description>Plain item.</description></item>
</channel></rss>`;

describe('aggregated feeds credit the real outlet', () => {
  it('reads <source> and drops the outlet suffix from the headline', () => {
    const items = parseFeed(aggregatorFeed, { url: 'https://aggregator.example/rss' }).items;
    expect(items.map((i) => [i.title, i.source ?? null])).toEqual([
      ['Appeals court narrows Section 230 for curated app stores', 'Ledger Weekly'],
      ['Senators trade barbs over platform immunity', 'Harbor Post'],
      ['No credited outlet here - Someone', null],
    ]);
  });

  it('prefers the credited outlet over the feed name in digests', () => {
    const feed = {
      feed_name: 'Aggregator · Section 230',
      feed_title: 'search results',
      url: null,
      feed_url: 'https://aggregator.example/rss',
    };
    expect(outletName({ ...feed, source: 'Ledger Weekly' })).toBe('Ledger Weekly');
    expect(outletName({ ...feed, source: null })).toBe('Aggregator · Section 230');
    expect(
      outletName({
        feed_name: null,
        feed_title: null,
        url: 'https://www.harbor.example/x',
        feed_url: 'https://f.example',
      }),
    ).toBe('harbor.example');
  });
});

describe('stories inside one aggregator feed', () => {
  it('cluster items that credit different outlets, as they would across feeds', async () => {
    const { tempDb } = await import('../helpers/db.js');
    const { insertNewItems } = await import('../../src/store/items.js');
    const { storyMembers } = await import('../../src/store/stories.js');
    const { assignStory } = await import('../helpers/place-story.js');
    const t = tempDb();
    try {
      const now = Date.parse('2026-11-27T18:00:00Z');
      const feedId = Number(
        t.db
          .prepare(
            "INSERT INTO feeds (url, name, interval_ms, created_at) VALUES ('https://aggregator.example/rss', 'Aggregator', 900000, 0)",
          )
          .run().lastInsertRowid,
      );
      const item = (id: string, title: string, source: string) => ({
        id,
        url: `https://aggregator.example/articles/${id}`,
        title,
        published: '2026-11-27T14:00:00.000Z',
        publishedEstimated: false,
        author: null,
        categories: [],
        content: `${title}. The court ruled on Friday.`,
        enclosures: [],
        source,
      });
      const stored = await insertNewItems(
        t.sql,
        feedId,
        [
          item('a', 'Appeals court narrows Section 230 immunity for curated app stores', 'Ledger Weekly'),
          item('b', 'Court narrows Section 230 immunity for curated app stores, appeals panel rules', 'Harbor Post'),
        ],
        { now, announced: true },
      );
      const ids: number[] = [];
      for (const s of stored) {
        const placed = await assignStory(
          t.sql,
          { itemId: s.itemId, title: s.title, lead: s.content, publishedAt: now, announced: true },
          { now, windowMs: 72 * 3_600_000, threshold: 0.5 },
        );
        ids.push(placed.storyId);
      }
      expect(ids[0]).toBe(ids[1]);
      expect((await storyMembers(t.sql, ids[0]!)).map((m) => m.outlet)).toEqual(['Ledger Weekly', 'Harbor Post']);
    } finally {
      t.close();
    }
  });
});
