import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/schema.js';
import {
  dueFeeds,
  enableFeed,
  getFeed,
  getFeedByUrl,
  isFirstPoll,
  listFeeds,
  nextPollAt,
  recordPollFailure,
  recordPollSuccess,
  syncFeedsFromConfig,
} from '../../src/store/feeds.js';
import { type TempStore, tempStore } from '../helpers/db.js';

const T0 = 1_770_000_000_000;
const DEFAULTS = { intervalMs: 900_000 };
const feed = (url: string, extra: Partial<FeedConfig> = {}): FeedConfig => ({ url, fullText: 'auto', ...extra });

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.close());

const byUrl = async (url: string) => (await getFeedByUrl(t.sql, url))!;

describe('syncFeedsFromConfig', () => {
  it('inserts new feeds, due at once, with defaults', async () => {
    await syncFeedsFromConfig(
      t.sql,
      [
        feed('https://a.example/rss'),
        feed('https://b.example/atom', { name: 'B News', interval: 120_000, fullText: 'always' }),
      ],
      DEFAULTS,
      T0,
    );
    const rows = await listFeeds(t.sql);
    expect(rows.map((r) => r.url)).toEqual(['https://a.example/rss', 'https://b.example/atom']);
    const [a, b] = rows;
    expect(a).toMatchObject({
      name: null,
      intervalMs: 900_000,
      fullText: 'auto',
      nextPollAt: T0,
      state: 'ok',
      inConfig: true,
      polls: 0,
      createdAt: T0,
      fetchUrl: null,
      etag: null,
    });
    expect(b).toMatchObject({ name: 'B News', intervalMs: 120_000, fullText: 'always' });
    expect(isFirstPoll(a!)).toBe(true);
  });

  it('updates existing feeds and marks removed ones, keeping their history', async () => {
    await syncFeedsFromConfig(t.sql, [feed('https://a.example/rss'), feed('https://gone.example/rss')], DEFAULTS, T0);
    const a = await byUrl('https://a.example/rss');
    await recordPollSuccess(t.sql, a.id, {
      now: T0 + 1,
      nextPollAt: T0 + 900_001,
      etag: '"e1"',
      lastModified: null,
      title: 'A Wire',
    });
    await syncFeedsFromConfig(
      t.sql,
      [feed('https://a.example/rss', { name: 'A', interval: 60_000, fullText: 'never' })],
      DEFAULTS,
      T0 + 10,
    );
    expect(await byUrl('https://a.example/rss')).toMatchObject({
      id: a.id,
      name: 'A',
      intervalMs: 60_000,
      fullText: 'never',
      etag: '"e1"',
      title: 'A Wire',
      polls: 1,
      createdAt: T0,
      inConfig: true,
    });
    expect((await byUrl('https://gone.example/rss')).inConfig).toBe(false);
    await syncFeedsFromConfig(t.sql, [feed('https://gone.example/rss')], DEFAULTS, T0 + 20);
    expect((await byUrl('https://gone.example/rss')).inConfig).toBe(true);
    expect((await byUrl('https://a.example/rss')).inConfig).toBe(false);
  });

  it('gives a feed added after many syncs the next id, not one past a gap (PostgreSQL identities)', async () => {
    const listed = [feed('https://a.example/rss'), feed('https://b.example/rss')];
    for (let start = 0; start < 5; start++) await syncFeedsFromConfig(t.sql, listed, DEFAULTS, T0 + start);
    await syncFeedsFromConfig(t.sql, [...listed, feed('https://c.example/rss')], DEFAULTS, T0 + 9);
    const ids = [await byUrl('https://a.example/rss'), await byUrl('https://c.example/rss')].map((f) => f.id);
    expect(ids[1]).toBe((ids[0] ?? 0) + 2);
  });

  it('leaves a disabled feed disabled when the config lists it again', async () => {
    await syncFeedsFromConfig(t.sql, [feed('https://a.example/rss')], DEFAULTS, T0);
    const a = await byUrl('https://a.example/rss');
    await recordPollFailure(t.sql, a.id, {
      now: T0,
      nextPollAt: T0 + 1,
      kind: 'dns',
      message: 'no host',
      state: 'disabled',
    });
    await syncFeedsFromConfig(t.sql, [], DEFAULTS, T0 + 1);
    await syncFeedsFromConfig(t.sql, [feed('https://a.example/rss')], DEFAULTS, T0 + 2);
    expect(await byUrl('https://a.example/rss')).toMatchObject({ state: 'disabled', inConfig: true });
    await enableFeed(t.sql, a.id, T0 + 3);
    expect(await getFeed(t.sql, a.id)).toMatchObject({
      state: 'ok',
      consecutiveFailures: 0,
      nextPollAt: T0 + 3,
      lastErrorKind: 'dns',
    });
  });
});

describe('dueFeeds', () => {
  it('returns only in-config, enabled, due feeds, most overdue first', async () => {
    const urls = [
      'https://1.example/',
      'https://2.example/',
      'https://3.example/',
      'https://4.example/',
      'https://5.example/',
    ];
    await syncFeedsFromConfig(
      t.sql,
      urls.map((u) => feed(u)),
      DEFAULTS,
      T0,
    );
    const [f1, f2, f3, f4, f5] = await Promise.all(urls.map(byUrl));
    await recordPollSuccess(t.sql, f1!.id, { now: T0, nextPollAt: T0 + 500, etag: null, lastModified: null });
    await recordPollSuccess(t.sql, f2!.id, { now: T0, nextPollAt: T0 + 100, etag: null, lastModified: null });
    await recordPollSuccess(t.sql, f3!.id, { now: T0, nextPollAt: T0 + 5_000, etag: null, lastModified: null }); // not yet due
    await recordPollFailure(t.sql, f4!.id, {
      now: T0,
      nextPollAt: T0,
      kind: 'tls',
      message: 'bad cert',
      state: 'disabled',
    });
    await syncFeedsFromConfig(
      t.sql,
      urls.filter((u) => u !== urls[4]).map((u) => feed(u)),
      DEFAULTS,
      T0,
    ); // drops f5
    expect((await dueFeeds(t.sql, T0 + 1_000)).map((f) => f.id)).toEqual([f2!.id, f1!.id]);
    expect((await dueFeeds(t.sql, T0 + 10_000)).map((f) => f.id)).toEqual([f2!.id, f1!.id, f3!.id]);
    expect(f5).toBeDefined();
  });

  it('says when the next of those feeds falls due', async () => {
    expect(await nextPollAt(t.sql)).toBeNull();
    await syncFeedsFromConfig(t.sql, [feed('https://1.example/'), feed('https://2.example/')], DEFAULTS, T0);
    const [f1, f2] = await Promise.all(['https://1.example/', 'https://2.example/'].map(byUrl));
    await recordPollSuccess(t.sql, f1!.id, { now: T0, nextPollAt: T0 + 700, etag: null, lastModified: null });
    await recordPollFailure(t.sql, f2!.id, {
      now: T0,
      nextPollAt: T0 + 100,
      kind: 'dns',
      message: 'gone',
      state: 'disabled',
    });
    expect(await nextPollAt(t.sql)).toBe(T0 + 700);
  });
});

describe('poll bookkeeping', () => {
  it('recordPollFailure counts failures and keeps the error; success resets health', async () => {
    await syncFeedsFromConfig(t.sql, [feed('https://a.example/rss')], DEFAULTS, T0);
    const { id } = await byUrl('https://a.example/rss');
    await recordPollFailure(t.sql, id, {
      now: T0 + 1,
      nextPollAt: T0 + 100,
      kind: 'timeout',
      message: 'slow',
      state: 'failing',
    });
    await recordPollFailure(t.sql, id, {
      now: T0 + 2,
      nextPollAt: T0 + 200,
      kind: 'http_status',
      message: 'HTTP 500',
      state: 'failing',
    });
    const failed = (await getFeed(t.sql, id))!;
    expect(failed).toMatchObject({
      consecutiveFailures: 2,
      lastErrorKind: 'http_status',
      lastErrorMessage: 'HTTP 500',
      state: 'failing',
      lastPolledAt: T0 + 2,
      nextPollAt: T0 + 200,
      polls: 0,
      lastSuccessAt: null,
    });
    expect(isFirstPoll(failed)).toBe(true);

    await recordPollSuccess(t.sql, id, {
      now: T0 + 3,
      nextPollAt: T0 + 300,
      etag: '"v2"',
      lastModified: 'Tue, 03 Mar 2026 10:00:00 GMT',
      fetchUrl: 'https://new.example/rss',
      title: 'Wire',
      minIntervalMs: 3_600_000,
    });
    const ok = (await getFeed(t.sql, id))!;
    expect(ok).toMatchObject({
      consecutiveFailures: 0,
      state: 'ok',
      polls: 1,
      lastSuccessAt: T0 + 3,
      lastPolledAt: T0 + 3,
      etag: '"v2"',
      lastModified: 'Tue, 03 Mar 2026 10:00:00 GMT',
      fetchUrl: 'https://new.example/rss',
      title: 'Wire',
      minIntervalMs: 3_600_000,
      nextPollAt: T0 + 300,
    });
    expect(isFirstPoll(ok)).toBe(false);
  });

  it('leaves fetchUrl, title and minIntervalMs alone when not given', async () => {
    await syncFeedsFromConfig(t.sql, [feed('https://a.example/rss')], DEFAULTS, T0);
    const { id } = await byUrl('https://a.example/rss');
    await recordPollSuccess(t.sql, id, {
      now: T0,
      nextPollAt: T0,
      etag: null,
      lastModified: null,
      fetchUrl: 'https://b.example/rss',
      title: 'T',
      minIntervalMs: 5,
    });
    await recordPollSuccess(t.sql, id, {
      now: T0 + 1,
      nextPollAt: T0 + 1,
      etag: '"x"',
      lastModified: null,
      title: null,
    });
    expect(await getFeed(t.sql, id)).toMatchObject({
      fetchUrl: 'https://b.example/rss',
      title: 'T',
      minIntervalMs: 5,
      etag: '"x"',
      polls: 2,
    });
    await recordPollSuccess(t.sql, id, {
      now: T0 + 2,
      nextPollAt: T0 + 2,
      etag: null,
      lastModified: null,
      fetchUrl: null,
      minIntervalMs: null,
    });
    expect(await getFeed(t.sql, id)).toMatchObject({ fetchUrl: null, minIntervalMs: null });
  });

  it('getFeed is undefined for an unknown id', async () => {
    expect(await getFeed(t.sql, 999)).toBeUndefined();
  });
});
