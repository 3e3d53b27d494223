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
import { tempDb } from '../helpers/db.js';

const T0 = 1_770_000_000_000;
const DEFAULTS = { intervalMs: 900_000 };
const feed = (url: string, extra: Partial<FeedConfig> = {}): FeedConfig => ({ url, fullText: 'auto', ...extra });

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.close());

const byUrl = (url: string) => getFeedByUrl(t.db, url)!;

describe('syncFeedsFromConfig', () => {
  it('inserts new feeds, due at once, with defaults', () => {
    syncFeedsFromConfig(
      t.db,
      [
        feed('https://a.example/rss'),
        feed('https://b.example/atom', { name: 'B News', interval: 120_000, fullText: 'always' }),
      ],
      DEFAULTS,
      T0,
    );
    const rows = listFeeds(t.db);
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

  it('updates existing feeds and marks removed ones, keeping their history', () => {
    syncFeedsFromConfig(t.db, [feed('https://a.example/rss'), feed('https://gone.example/rss')], DEFAULTS, T0);
    const a = byUrl('https://a.example/rss');
    recordPollSuccess(t.db, a.id, {
      now: T0 + 1,
      nextPollAt: T0 + 900_001,
      etag: '"e1"',
      lastModified: null,
      title: 'A Wire',
    });
    syncFeedsFromConfig(
      t.db,
      [feed('https://a.example/rss', { name: 'A', interval: 60_000, fullText: 'never' })],
      DEFAULTS,
      T0 + 10,
    );
    expect(byUrl('https://a.example/rss')).toMatchObject({
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
    expect(byUrl('https://gone.example/rss').inConfig).toBe(false);
    syncFeedsFromConfig(t.db, [feed('https://gone.example/rss')], DEFAULTS, T0 + 20);
    expect(byUrl('https://gone.example/rss').inConfig).toBe(true);
    expect(byUrl('https://a.example/rss').inConfig).toBe(false);
  });

  it('leaves a disabled feed disabled when the config lists it again', () => {
    syncFeedsFromConfig(t.db, [feed('https://a.example/rss')], DEFAULTS, T0);
    const a = byUrl('https://a.example/rss');
    recordPollFailure(t.db, a.id, { now: T0, nextPollAt: T0 + 1, kind: 'dns', message: 'no host', state: 'disabled' });
    syncFeedsFromConfig(t.db, [], DEFAULTS, T0 + 1);
    syncFeedsFromConfig(t.db, [feed('https://a.example/rss')], DEFAULTS, T0 + 2);
    expect(byUrl('https://a.example/rss')).toMatchObject({ state: 'disabled', inConfig: true });
    enableFeed(t.db, a.id, T0 + 3);
    expect(getFeed(t.db, a.id)).toMatchObject({
      state: 'ok',
      consecutiveFailures: 0,
      nextPollAt: T0 + 3,
      lastErrorKind: 'dns',
    });
  });
});

describe('dueFeeds', () => {
  it('returns only in-config, enabled, due feeds, most overdue first', () => {
    const urls = [
      'https://1.example/',
      'https://2.example/',
      'https://3.example/',
      'https://4.example/',
      'https://5.example/',
    ];
    syncFeedsFromConfig(
      t.db,
      urls.map((u) => feed(u)),
      DEFAULTS,
      T0,
    );
    const [f1, f2, f3, f4, f5] = urls.map(byUrl);
    recordPollSuccess(t.db, f1!.id, { now: T0, nextPollAt: T0 + 500, etag: null, lastModified: null });
    recordPollSuccess(t.db, f2!.id, { now: T0, nextPollAt: T0 + 100, etag: null, lastModified: null });
    recordPollSuccess(t.db, f3!.id, { now: T0, nextPollAt: T0 + 5_000, etag: null, lastModified: null }); // not yet due
    recordPollFailure(t.db, f4!.id, { now: T0, nextPollAt: T0, kind: 'tls', message: 'bad cert', state: 'disabled' });
    syncFeedsFromConfig(
      t.db,
      urls.filter((u) => u !== urls[4]).map((u) => feed(u)),
      DEFAULTS,
      T0,
    ); // drops f5
    expect(dueFeeds(t.db, T0 + 1_000).map((f) => f.id)).toEqual([f2!.id, f1!.id]);
    expect(dueFeeds(t.db, T0 + 10_000).map((f) => f.id)).toEqual([f2!.id, f1!.id, f3!.id]);
    expect(f5).toBeDefined();
  });

  it('says when the next of those feeds falls due', () => {
    expect(nextPollAt(t.db)).toBeNull();
    syncFeedsFromConfig(t.db, [feed('https://1.example/'), feed('https://2.example/')], DEFAULTS, T0);
    const [f1, f2] = ['https://1.example/', 'https://2.example/'].map(byUrl);
    recordPollSuccess(t.db, f1!.id, { now: T0, nextPollAt: T0 + 700, etag: null, lastModified: null });
    recordPollFailure(t.db, f2!.id, { now: T0, nextPollAt: T0 + 100, kind: 'dns', message: 'gone', state: 'disabled' });
    expect(nextPollAt(t.db)).toBe(T0 + 700);
  });
});

describe('poll bookkeeping', () => {
  it('recordPollFailure counts failures and keeps the error; success resets health', () => {
    syncFeedsFromConfig(t.db, [feed('https://a.example/rss')], DEFAULTS, T0);
    const { id } = byUrl('https://a.example/rss');
    recordPollFailure(t.db, id, {
      now: T0 + 1,
      nextPollAt: T0 + 100,
      kind: 'timeout',
      message: 'slow',
      state: 'failing',
    });
    recordPollFailure(t.db, id, {
      now: T0 + 2,
      nextPollAt: T0 + 200,
      kind: 'http_status',
      message: 'HTTP 500',
      state: 'failing',
    });
    const failed = getFeed(t.db, id)!;
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

    recordPollSuccess(t.db, id, {
      now: T0 + 3,
      nextPollAt: T0 + 300,
      etag: '"v2"',
      lastModified: 'Tue, 03 Mar 2026 10:00:00 GMT',
      fetchUrl: 'https://new.example/rss',
      title: 'Wire',
      minIntervalMs: 3_600_000,
    });
    const ok = getFeed(t.db, id)!;
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

  it('leaves fetchUrl, title and minIntervalMs alone when not given', () => {
    syncFeedsFromConfig(t.db, [feed('https://a.example/rss')], DEFAULTS, T0);
    const { id } = byUrl('https://a.example/rss');
    recordPollSuccess(t.db, id, {
      now: T0,
      nextPollAt: T0,
      etag: null,
      lastModified: null,
      fetchUrl: 'https://b.example/rss',
      title: 'T',
      minIntervalMs: 5,
    });
    recordPollSuccess(t.db, id, { now: T0 + 1, nextPollAt: T0 + 1, etag: '"x"', lastModified: null, title: null });
    expect(getFeed(t.db, id)).toMatchObject({
      fetchUrl: 'https://b.example/rss',
      title: 'T',
      minIntervalMs: 5,
      etag: '"x"',
      polls: 2,
    });
    recordPollSuccess(t.db, id, {
      now: T0 + 2,
      nextPollAt: T0 + 2,
      etag: null,
      lastModified: null,
      fetchUrl: null,
      minIntervalMs: null,
    });
    expect(getFeed(t.db, id)).toMatchObject({ fetchUrl: null, minIntervalMs: null });
  });

  it('getFeed is undefined for an unknown id', () => {
    expect(getFeed(t.db, 999)).toBeUndefined();
  });
});
