import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createFetcher } from '../../src/feeds/fetch.js';
import type { PollOutcome } from '../../src/feeds/poller.js';
import type { NormalizedItem } from '../../src/feeds/types.js';
import { silentLogger } from '../../src/log.js';
import { ingestPoll, retryUnfinished } from '../../src/pipeline/ingest.js';
import { listFeeds, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { sqlOf } from '../../src/store/sql.js';
import { createExtractiveSummarizer } from '../../src/summarize/extractive.js';
import type { Summarizer } from '../../src/summarize/types.js';
import { compileTopics } from '../../src/topics/classify.js';
import { tempDb } from '../helpers/db.js';
import { TEST_FETCHER_OPTIONS } from '../helpers/feed-server.js';

const T0 = Date.parse('2026-03-02T12:00:00Z');

/** An item on no topic is stored, searchable and clustered, but its summary waits until a digest could show it. */
describe('deferred summaries', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  const fetcher = createFetcher(TEST_FETCHER_OPTIONS);
  afterEach(() => t?.close());
  afterAll(() => fetcher.close());

  const summarized: string[] = [];
  const extractive = createExtractiveSummarizer();
  const counting: Summarizer = {
    summarize: (input, budget) => {
      summarized.push(input.title);
      return extractive.summarize(input, budget);
    },
  };
  const deps = (db: ReturnType<typeof tempDb>['db'], clock: ReturnType<typeof fixedClock>) => ({
    db: sqlOf(db),
    fetcher,
    summarizer: counting,
    topics: compileTopics({ 'eu-dsa': { name: 'DSA', query: '"Digital Services Act"' } }),
    budget: { sentences: 2, maxChars: 320 },
    stories: { windowMs: 72 * 3_600_000, threshold: 0.5 },
    now: () => clock.now(),
    log: silentLogger,
  });
  const outcome = async (db: ReturnType<typeof tempDb>['db'], items: NormalizedItem[]): Promise<PollOutcome> => ({
    feed: (await listFeeds(sqlOf(db))).find((f) => f.url.includes(items[0]!.id.slice(0, 1)))!,
    status: 'ok',
    firstPoll: false,
    elapsedMs: 1,
    parsed: { title: 'Desk', link: null, ttlMinutes: null, items },
  });
  const news = (id: string, title: string, content: string): NormalizedItem => ({
    id,
    url: `https://${id}.example/story`,
    title,
    published: new Date(T0).toISOString(),
    publishedEstimated: false,
    author: null,
    categories: [],
    content,
    enclosures: [],
  });
  const row = (guid: string) =>
    t!.db.prepare('SELECT story_id, summary, summary_method FROM items WHERE guid = ?').get(guid) as {
      story_id: number | null;
      summary: string | null;
      summary_method: string | null;
    };

  it('stores an off-topic item in a story, unsummarized, and the retry pass leaves it alone', async () => {
    t = tempDb();
    const clock = fixedClock(T0);
    await syncFeedsFromConfig(
      t.sql,
      [{ url: 'https://a.example/rss', fullText: 'never' }],
      { intervalMs: 900_000 },
      T0,
    );
    summarized.length = 0;
    const result = await ingestPoll(
      deps(t.db, clock),
      await outcome(t.db, [
        news('a1', 'Bakery wins regional sourdough prize', 'A family bakery took first place at the fair.'),
      ]),
    );
    expect(result).toMatchObject({ newItems: 1, matched: 0, newStories: 1, failed: 0 });
    expect(row('a1')).toMatchObject({ summary: null, summary_method: 'deferred' });
    expect(row('a1').story_id).not.toBeNull();
    expect(summarized).toEqual([]);
    clock.advance(24 * 3_600_000);
    expect(await retryUnfinished(deps(t.db, clock))).toEqual({ retried: 0, finished: 0, failed: 0 });
    expect(row('a1').summary_method).toBe('deferred');
  });

  it('summarizes a deferred item once an item on a topic joins the story it leads', async () => {
    t = tempDb();
    const clock = fixedClock(T0);
    await syncFeedsFromConfig(
      t.sql,
      [
        { url: 'https://a.example/rss', fullText: 'never' },
        { url: 'https://b.example/rss', fullText: 'never' },
      ],
      { intervalMs: 900_000 },
      T0,
    );
    summarized.length = 0;
    const lead = news(
      'a1',
      'Commission opens case against online marketplace over illegal products',
      'The European Commission opened formal proceedings against an online marketplace on Monday over the sale of ' +
        'illegal products. Officials said the company had failed to remove listings after repeated warnings.',
    );
    await ingestPoll(deps(t.db, clock), await outcome(t.db, [lead]));
    expect(row('a1').summary_method).toBe('deferred');

    clock.advance(3_600_000);
    const joiner = news(
      'b1',
      'Commission opens case against online marketplace over illegal products',
      'The Commission opened proceedings under the Digital Services Act against the marketplace on Monday.',
    );
    const result = await ingestPoll(deps(t.db, clock), await outcome(t.db, [joiner]));
    expect(result).toMatchObject({ newItems: 1, matched: 1, newStories: 0 });
    expect(row('b1').story_id).toBe(row('a1').story_id);
    // the story is on the beat now, and its lead item is the one a digest shows: summarized
    expect(row('a1').summary_method).toBe('extractive');
    expect(row('a1').summary).toContain('formal proceedings');
    expect(summarized).toEqual([joiner.title, lead.title]);
  });
});
