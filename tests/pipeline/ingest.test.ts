import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/feeds/fetch.js';
import type { PollOutcome } from '../../src/feeds/poller.js';
import { silentLogger } from '../../src/log.js';
import { ingestPoll } from '../../src/pipeline/ingest.js';
import { listFeeds, syncFeedsFromConfig } from '../../src/store/feeds.js';
import type { Summarizer } from '../../src/summarize/types.js';
import { compileTopics } from '../../src/topics/classify.js';
import { tempDb } from '../helpers/db.js';

describe('ingestPoll', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  const fetcher = createFetcher({
    userAgent: 'watchdesk-test',
    timeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    maxBodyBytes: 1 << 20,
    maxRedirects: 5,
    perHostConcurrency: 2,
    globalConcurrency: 4,
  });
  afterEach(() => t?.close());
  afterAll(() => fetcher.close());

  it('still stores a story and a summary for an item whose summarizer fails', async () => {
    t = tempDb();
    const now = Date.now();
    await syncFeedsFromConfig(
      t.sql,
      [{ url: 'https://desk.example/rss', fullText: 'never' }],
      { intervalMs: 900_000 },
      now,
    );
    const feed = (await listFeeds(t.sql))[0]!;
    const broken: Summarizer = {
      summarize: () => Promise.reject(new Error('model crashed')),
    };
    const outcome: PollOutcome = {
      feed,
      status: 'ok',
      firstPoll: false,
      elapsedMs: 1,
      parsed: {
        title: 'Desk',
        link: null,
        ttlMinutes: null,
        items: [
          {
            id: 'x1',
            url: null,
            title: 'Commission opens Digital Services Act case against a marketplace',
            published: new Date(now).toISOString(),
            publishedEstimated: false,
            author: null,
            categories: [],
            content: 'The Commission opened proceedings under the Digital Services Act on Monday.',
            enclosures: [],
          },
        ],
      },
    };
    const result = await ingestPoll(
      {
        db: t.sql,
        fetcher,
        summarizer: broken,
        topics: compileTopics({ 'eu-dsa': { name: 'DSA', query: '"Digital Services Act"' } }),
        budget: { sentences: 2, maxChars: 320 },
        stories: { windowMs: 72 * 3_600_000, threshold: 0.5 },
        now: () => now,
        log: silentLogger,
      },
      outcome,
    );
    expect(result).toMatchObject({ newItems: 1, announced: 1, matched: 1, newStories: 1 });
    const row = t.db.prepare('SELECT story_id, summary, summary_method, summary_note FROM items').get() as Record<
      string,
      unknown
    >;
    expect(row.story_id).not.toBeNull();
    expect(row).toMatchObject({
      summary: 'Commission opens Digital Services Act case against a marketplace',
      summary_method: 'title',
      summary_note: 'summarizer failed: model crashed',
    });
  });

  it('lets timers run while it works through a large batch', async () => {
    t = tempDb();
    const now = Date.now();
    await syncFeedsFromConfig(
      t.sql,
      [{ url: 'https://big.example/rss', fullText: 'never' }],
      { intervalMs: 900_000 },
      now,
    );
    const feed = (await listFeeds(t.sql))[0]!;
    const items = Array.from({ length: 120 }, (_, i) => ({
      id: `b${i}`,
      url: null,
      title: `Bulletin ${i} on platform rules`,
      published: new Date(now - i * 60_000).toISOString(),
      publishedEstimated: false,
      author: null,
      categories: [],
      content: `Item ${i} text.`,
      enclosures: [],
    }));
    const instant: Summarizer = {
      summarize: async (input) => ({ text: input.title, sentences: [input.title], method: 'title', note: null }),
    };
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    await ingestPoll(
      {
        db: t.sql,
        fetcher,
        summarizer: instant,
        topics: [],
        budget: { sentences: 2, maxChars: 320 },
        stories: { windowMs: 72 * 3_600_000, threshold: 0.5 },
        now: () => now,
        log: silentLogger,
      },
      {
        feed,
        status: 'ok',
        firstPoll: true,
        elapsedMs: 1,
        parsed: { title: 'Big', link: null, ttlMinutes: null, items },
      },
    );
    order.push('done');
    expect(order).toEqual(['timer', 'done']);
  });
});
