import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createFetcher, type Fetcher } from '../../src/feeds/fetch.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { type PollDeps, type PollOutcome, pollFeed, pollFeedsEach } from '../../src/feeds/poller.js';
import { dueFeeds, type FeedRow, getFeedByUrl, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { tempDb } from '../helpers/db.js';
import { SAMPLE_ITEMS, sampleRss } from '../helpers/feed-fixtures.js';
import {
  type FeedServer,
  BUILT_IN_PATHS as P,
  RETRY_AFTER_SECONDS,
  RSS_ETAG,
  startFeedServer,
  TEST_FETCHER_OPTIONS,
} from '../helpers/feed-server.js';

const T0 = 1_770_000_000_000;
const MIN = 60_000;
const INTERVAL = 15 * MIN;

let server: FeedServer;
let fetcher: Fetcher;
let t: ReturnType<typeof tempDb>;
let clock: ReturnType<typeof fixedClock>;
let deps: PollDeps;

beforeAll(async () => {
  server = await startFeedServer();
  fetcher = createFetcher(TEST_FETCHER_OPTIONS);
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});
beforeEach(() => {
  t = tempDb();
  clock = fixedClock(T0);
  deps = { db: t.sql, fetcher, parse: parseFeed, now: clock.now, maxFailures: 3, maxBackoffMs: 24 * 60 * MIN };
});
afterEach(() => t.close());

/** Registers feeds for server paths and returns their rows. */
async function feeds(...paths: string[]): Promise<FeedRow[]> {
  await syncFeedsFromConfig(
    t.sql,
    paths.map((p) => ({ url: server.url(p), fullText: 'auto' as const })),
    { intervalMs: INTERVAL },
    T0,
  );
  const rows: FeedRow[] = [];
  for (const p of paths) rows.push((await getFeedByUrl(t.sql, server.url(p)))!);
  return rows;
}

describe('pollFeed', () => {
  it('first poll parses and stores validators; the next gets a 304', async () => {
    const [row] = await feeds(P.rss);
    const first = await pollFeed(deps, row!);
    expect(first.status).toBe('ok');
    if (first.status !== 'ok') return;
    expect(first.firstPoll).toBe(true);
    expect(first.parsed.items.map((i) => i.title)).toEqual(SAMPLE_ITEMS.map((i) => i.title));
    expect(first.feed).toMatchObject({
      polls: 1,
      etag: RSS_ETAG,
      title: 'Platform Law Wire — Café Edition',
      state: 'ok',
      nextPollAt: T0 + INTERVAL,
      lastSuccessAt: T0,
    });

    clock.advance(INTERVAL);
    const second = await pollFeed(deps, first.feed);
    expect(second.status).toBe('not_modified');
    expect(server.requestsTo(P.rss).at(-1)!.headers['if-none-match']).toBe(RSS_ETAG);
    expect(second.feed).toMatchObject({ polls: 2, etag: RSS_ETAG, nextPollAt: T0 + 2 * INTERVAL });
  });

  it('a later full answer is not a first poll', async () => {
    const path = '/poller/changing.xml';
    server.route(path, { body: sampleRss(), etag: '"a"', headers: { 'content-type': 'application/rss+xml' } });
    const [row] = await feeds(path);
    const first = await pollFeed(deps, row!);
    server.route(path, { body: sampleRss({ items: SAMPLE_ITEMS.slice(0, 1) }), etag: '"b"' });
    const second = await pollFeed(deps, first.feed);
    expect(second.status === 'ok' && second.firstPoll).toBe(false);
    expect(second.feed.etag).toBe('"b"');
  });

  it('remembers a permanent redirect and polls the new address directly', async () => {
    const [row] = await feeds(P.moved301);
    const first = await pollFeed(deps, row!);
    expect(first.status).toBe('ok');
    expect(first.feed.fetchUrl).toBe(server.url(P.rss));
    expect(first.feed.url).toBe(server.url(P.moved301));
    const before = server.requestsTo(P.moved301).length;
    const second = await pollFeed(deps, first.feed);
    expect(second.status).toBe('not_modified');
    expect(server.requestsTo(P.moved301).length).toBe(before);
  });

  it('honours Retry-After on 429', async () => {
    const [row] = await feeds(P.tooMany429);
    const out = await pollFeed(deps, { ...row!, intervalMs: MIN });
    expect(out.status).toBe('error');
    if (out.status !== 'error') return;
    expect(out.error.kind).toBe('http_status');
    expect(out.feed).toMatchObject({
      consecutiveFailures: 1,
      state: 'failing',
      lastErrorKind: 'http_status',
      nextPollAt: T0 + RETRY_AFTER_SECONDS * 1000,
    });
    expect(out.feed.lastErrorMessage).toMatch(/^HTTP 429/);
  });

  it('backs off exponentially and disables after maxFailures', async () => {
    let [row] = await feeds(P.error500);
    const next: number[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await pollFeed(deps, row!);
      expect(out.status).toBe('error');
      row = out.feed;
      next.push(row.nextPollAt - T0);
    }
    expect(next).toEqual([INTERVAL, 2 * INTERVAL, 4 * INTERVAL]);
    expect(row).toMatchObject({ state: 'disabled', consecutiveFailures: 3 });
    expect(await dueFeeds(t.sql, T0 + 365 * 24 * 60 * MIN)).toEqual([]);
  });

  it('recovers: a success after failures resets health', async () => {
    const path = '/poller/flaky.xml';
    server.route(path, { status: 503, body: 'down' });
    const [row] = await feeds(path);
    const failed = await pollFeed(deps, row!);
    expect(failed.feed.state).toBe('failing');
    server.route(path, { body: sampleRss() });
    const ok = await pollFeed(deps, failed.feed);
    expect(ok.status).toBe('ok');
    expect(ok.status === 'ok' && ok.firstPoll).toBe(true);
    expect(ok.feed).toMatchObject({ state: 'ok', consecutiveFailures: 0, polls: 1 });
  });

  it.each([
    [P.htmlPage, 'not_a_feed'],
    [P.malformed, 'malformed_xml'],
    [P.hang, 'timeout'],
    [P.huge, 'too_large'],
  ])('%s counts as a %s failure and does not throw', async (path, kind) => {
    const [row] = await feeds(path);
    const out = await pollFeed(deps, row!);
    expect(out.status).toBe('error');
    if (out.status === 'error') expect(out.error.kind).toBe(kind);
    expect(out.feed).toMatchObject({ consecutiveFailures: 1, lastErrorKind: kind, polls: 0 });
  });

  it('a web page given as the feed is reported with the feed address the page links', async () => {
    const [row] = await feeds(P.htmlPage);
    const out = await pollFeed(deps, row!);
    expect(out.status === 'error' && out.error.message).toBe(
      `This is a web page (HTML), not a feed. The page links its feed at ${server.url(P.rss)}: use that address.`,
    );
  });

  it('a parser crash is a classified failure, not an exception', async () => {
    const [row] = await feeds(P.rss);
    const out = await pollFeed(
      {
        ...deps,
        parse: () => {
          throw new TypeError('parser bug');
        },
      },
      row!,
    );
    expect(out.status === 'error' && out.error.kind).toBe('malformed_xml');
  });

  it('Cache-Control max-age raises the interval and is kept as minIntervalMs', async () => {
    const [row] = await feeds(P.maxAge);
    const out = await pollFeed(deps, row!);
    expect(out.feed).toMatchObject({ nextPollAt: T0 + 2 * 60 * MIN, minIntervalMs: 2 * 60 * MIN });
  });

  it('RSS <ttl> raises the interval', async () => {
    const [row] = await feeds(P.ttl);
    const out = await pollFeed(deps, row!);
    expect(out.feed).toMatchObject({ nextPollAt: T0 + 90 * MIN, minIntervalMs: 90 * MIN });
  });

  it('a 304 keeps the lower bound learned from the last full answer', async () => {
    const path = '/poller/ttl-etag.xml';
    server.route(path, { body: sampleRss({ ttlMinutes: 60 }), etag: '"t"' });
    const [row] = await feeds(path);
    const first = await pollFeed(deps, row!);
    clock.advance(60 * MIN);
    const second = await pollFeed(deps, first.feed);
    expect(second.status).toBe('not_modified');
    expect(second.feed.nextPollAt).toBe(T0 + 120 * MIN);
  });
});

describe('pollFeedsEach', () => {
  it('polls many feeds at once and hands over each outcome with its feed index', async () => {
    const rows = await feeds(P.rss, P.atom, P.jsonFeed, P.error500, P.windows1252, P.gzip);
    const outcomes: PollOutcome[] = [];
    await pollFeedsEach(deps, rows, (outcome, index) => {
      outcomes[index] = outcome;
    });
    expect(outcomes.map((o) => o.feed.id)).toEqual(rows.map((r) => r.id));
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'error', 'ok', 'ok']);
    const titles = outcomes.map((o) => (o.status === 'ok' ? o.parsed.items[0]?.title : null));
    expect(titles[1]).toBe('Regulator opens Online Safety Act consultation on age checks');
    expect(titles[2]).toBe('Appeals court hears Backpage-style liability argument');
    expect(outcomes[4]!.status === 'ok' && outcomes[4]!.parsed.items[1]!.content).toContain('€6 million');
  });
});
