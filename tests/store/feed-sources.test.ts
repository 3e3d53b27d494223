import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/schema.js';
import { addRuntimeFeed, findFeed, type RuntimeFeedInput, removeRuntimeFeed } from '../../src/store/feed-sources.js';
import {
  dueFeeds,
  feedSource,
  getFeedByUrl,
  isUntrusted,
  listWatchedFeeds,
  nextPollAt,
  recordPollSuccess,
  syncFeedsFromConfig,
} from '../../src/store/feeds.js';
import { type TempStore, tempStore } from '../helpers/db.js';

/**
 * Issue 13: a feed has two sources, the config file and run time (CLI, OPML, chat). Before, syncing the config
 * set in_config = 0 on every feed the file did not list, and only in_config feeds were polled, so a run-time feed
 * would have stopped at the next start. Each source now comes and goes on its own.
 */
const T0 = 1_770_000_000_000;
const DEFAULTS = { intervalMs: 900_000 };
const cfg = (url: string): FeedConfig => ({ url, fullText: 'auto' });
const runtime = (url: string, extra: Partial<RuntimeFeedInput> = {}): RuntimeFeedInput => ({
  url,
  name: null,
  title: 'A title',
  intervalMs: 600_000,
  fullText: 'auto',
  addedBy: 'cli',
  ...extra,
});

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.close());

const urls = async () => (await listWatchedFeeds(t.sql)).map((f) => `${f.url} ${feedSource(f)}`);

describe('run-time feeds', () => {
  it('survive a config sync (a restart or reload) and are polled like the config file’s', async () => {
    await syncFeedsFromConfig(t.sql, [cfg('https://a.example/rss')], DEFAULTS, T0);
    const added = await addRuntimeFeed(t.sql, runtime('https://b.example/rss'), T0 + 1);
    expect(added.status).toBe('added');
    expect(added.feed).toMatchObject({ addedBy: 'cli', addedAt: T0 + 1, inConfig: false, watched: true });

    await syncFeedsFromConfig(t.sql, [cfg('https://a.example/rss')], DEFAULTS, T0 + 2);
    expect(await urls()).toEqual(['https://a.example/rss config', 'https://b.example/rss cli']);
    expect((await dueFeeds(t.sql, T0 + 2)).map((f) => f.url)).toEqual([
      'https://a.example/rss',
      'https://b.example/rss',
    ]);
    expect(await nextPollAt(t.sql)).toBe(T0);
  });

  it('removing a feed from the config file keeps a run-time feed with the same URL, and the other way round', async () => {
    await syncFeedsFromConfig(t.sql, [cfg('https://a.example/rss'), cfg('https://c.example/rss')], DEFAULTS, T0);
    const both = await addRuntimeFeed(
      t.sql,
      runtime('https://a.example/rss', { addedBy: 'opml', category: ['Law'] }),
      T0,
    );
    expect(both.status).toBe('also_in_config');
    expect(feedSource(both.feed)).toBe('config+opml');
    // the config file still decides its settings while it lists the feed
    expect(both.feed.intervalMs).toBe(DEFAULTS.intervalMs);

    // the file drops both feeds: the run-time one stays watched, the config-only one stops
    await syncFeedsFromConfig(t.sql, [], DEFAULTS, T0 + 1);
    expect(await urls()).toEqual(['https://a.example/rss opml']);
    expect((await dueFeeds(t.sql, T0 + 1)).map((f) => f.url)).toEqual(['https://a.example/rss']);

    // the other way round: the file lists it again, then the run-time source is removed
    await syncFeedsFromConfig(t.sql, [cfg('https://a.example/rss')], DEFAULTS, T0 + 2);
    const a = (await getFeedByUrl(t.sql, 'https://a.example/rss'))!;
    const after = (await removeRuntimeFeed(t.sql, a.id))!;
    expect(after).toMatchObject({ inConfig: true, addedBy: null, watched: true });
    expect(await urls()).toEqual(['https://a.example/rss config']);
  });

  it('a removed run-time feed is no longer polled; adding it again starts over like a new feed, same row', async () => {
    const { feed } = await addRuntimeFeed(t.sql, runtime('https://b.example/rss'), T0);
    await recordPollSuccess(t.sql, feed.id, { now: T0, nextPollAt: T0 + 600_000, etag: '"v1"', lastModified: null });
    const removed = (await removeRuntimeFeed(t.sql, feed.id))!;
    expect(removed.watched).toBe(false);
    expect(await dueFeeds(t.sql, T0 + 10 ** 9)).toEqual([]);
    expect(await listWatchedFeeds(t.sql)).toEqual([]);

    const again = await addRuntimeFeed(
      t.sql,
      runtime('https://b.example/rss', { addedBy: 'chat', note: 'discord G1 #C1' }),
      T0 + 5,
    );
    expect(again.status).toBe('readded');
    expect(again.feed).toMatchObject({
      id: feed.id,
      polls: 0,
      etag: null,
      nextPollAt: T0 + 5,
      addedNote: 'discord G1 #C1',
    });
  });

  it('refuses a second run-time add of the same URL, and finds feeds by id or URL', async () => {
    const first = await addRuntimeFeed(t.sql, runtime('https://b.example/rss'), T0);
    const second = await addRuntimeFeed(t.sql, runtime('https://b.example/rss', { addedBy: 'chat' }), T0 + 1);
    expect(second).toMatchObject({ status: 'duplicate', feed: { id: first.feed.id, addedBy: 'cli' } });
    expect((await findFeed(t.sql, String(first.feed.id)))?.url).toBe('https://b.example/rss');
    expect((await findFeed(t.sql, ' https://b.example/rss '))?.id).toBe(first.feed.id);
    expect((await findFeed(t.sql, 'https://B.EXAMPLE/rss'))?.id).toBe(first.feed.id);
    expect(await findFeed(t.sql, 'https://nowhere.example/')).toBeUndefined();
  });

  it('a feed added from chat is untrusted until the config file lists it', async () => {
    const { feed } = await addRuntimeFeed(t.sql, runtime('https://b.example/rss', { addedBy: 'chat' }), T0);
    expect(isUntrusted(feed)).toBe(true);
    await syncFeedsFromConfig(t.sql, [cfg('https://b.example/rss')], DEFAULTS, T0 + 1);
    expect(isUntrusted((await getFeedByUrl(t.sql, 'https://b.example/rss'))!)).toBe(false);
    expect(isUntrusted({ inConfig: false, addedBy: 'cli' })).toBe(false);
  });
});
