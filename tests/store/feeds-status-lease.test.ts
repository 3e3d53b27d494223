import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/schema.js';
import { addRuntimeFeed, findFeed, type RuntimeFeedInput, removeRuntimeFeed } from '../../src/store/feed-sources.js';
import * as feeds from '../../src/store/feeds.js';
import { insertNewItems } from '../../src/store/items.js';
import * as lease from '../../src/store/lease.js';
import { pruneBefore } from '../../src/store/retention.js';
import type { Sql } from '../../src/store/sql.js';
import * as status from '../../src/store/status.js';
import { type TempStore, tempStore, testBackend } from '../helpers/db.js';

/**
 * Issue 16: the feed, run-time feed, status, retention and lease queries through Sql, on the backend
 * WATCHDESK_TEST_DB picks (SQLite by default, PostgreSQL with `postgres`): the same answers on both.
 */
let store: TempStore;
let sql: Sql;
beforeEach(async () => {
  store = await tempStore();
  sql = store.sql;
});
afterEach(() => store.close());

const DAY = 86_400_000;
const cfg = (url: string): FeedConfig => ({ url, fullText: 'auto' });
const runtime = (url: string, addedBy: RuntimeFeedInput['addedBy']): RuntimeFeedInput => ({
  url,
  name: null,
  title: 'Run-time desk',
  intervalMs: 600_000,
  fullText: 'auto',
  addedBy,
  category: ['Law'],
});
const item = (id: string, at: number) => ({
  id,
  url: `https://a.example/${id}`,
  title: `Ruling ${id}`,
  published: new Date(at).toISOString(),
  publishedEstimated: false,
  author: null,
  categories: [],
  content: 'A court ruled on platform liability.',
  enclosures: [],
});

describe('feeds', () => {
  it('syncs the config, keeps poll bookkeeping and says what is due', async () => {
    await feeds.syncFeedsFromConfig(sql, [cfg('https://a.example/rss')], { intervalMs: 900_000 }, 5);
    const { id } = (await feeds.getFeedByUrl(sql, 'https://a.example/rss'))!;
    await feeds.recordPollSuccess(sql, id, {
      ...{ now: 6, nextPollAt: 10, etag: '"v1"', lastModified: null },
      ...{ fetchUrl: 'https://b.example/rss', title: 'Desk', minIntervalMs: 5_000 },
    });
    // undefined leaves fetchUrl, title and minIntervalMs as they were
    await feeds.recordPollSuccess(sql, id, { now: 7, nextPollAt: 11, etag: '"v2"', lastModified: null });
    await feeds.recordPollFailure(sql, id, { now: 8, nextPollAt: 12, kind: 'dns', message: 'gone', state: 'failing' });
    await feeds.forgetValidators(sql, id);
    expect(await feeds.getFeed(sql, id)).toMatchObject({
      ...{ fetchUrl: 'https://b.example/rss', title: 'Desk', minIntervalMs: 5_000, polls: 2, etag: null },
      ...{ state: 'failing', consecutiveFailures: 1, lastErrorKind: 'dns', nextPollAt: 12, inConfig: true },
    });
    await feeds.enableFeed(sql, id, 9);
    expect(await feeds.nextPollAt(sql)).toBe(9);
    expect((await feeds.dueFeeds(sql, 9)).map((f) => f.id)).toEqual([id]);
    expect(await feeds.dueFeeds(sql, 8)).toEqual([]);
    await feeds.syncFeedsFromConfig(sql, [], { intervalMs: 900_000 }, 10);
    expect(await feeds.listWatchedFeeds(sql)).toEqual([]);
    expect((await feeds.listFeeds(sql)).map((f) => f.inConfig)).toEqual([false]);
    expect(await feeds.nextPollAt(sql)).toBeNull();
  });

  it('adds, finds, removes and re-adds run-time feeds', async () => {
    await feeds.syncFeedsFromConfig(sql, [cfg('https://a.example/rss')], { intervalMs: 900_000 }, 5);
    const added = await addRuntimeFeed(sql, runtime('https://c.example/rss', 'cli'), 20);
    expect(added).toMatchObject({ status: 'added', feed: { category: ['Law'], addedBy: 'cli', inConfig: false } });
    expect((await addRuntimeFeed(sql, runtime('https://a.example/rss', 'opml'), 21)).status).toBe('also_in_config');
    expect((await addRuntimeFeed(sql, runtime('https://c.example/rss', 'chat'), 22)).status).toBe('duplicate');
    expect((await findFeed(sql, String(added.feed.id)))?.url).toBe('https://c.example/rss');
    expect((await findFeed(sql, 'https://C.EXAMPLE/rss'))?.id).toBe(added.feed.id);
    expect(await removeRuntimeFeed(sql, added.feed.id)).toMatchObject({ addedBy: null, watched: false });
    const again = await addRuntimeFeed(sql, runtime('https://c.example/rss', 'chat'), 23);
    expect(again).toMatchObject({ status: 'readded', feed: { id: added.feed.id, addedBy: 'chat', polls: 0 } });
    expect((await feeds.listWatchedFeeds(sql)).map((f) => feeds.feedSource(f))).toEqual(['config+opml', 'chat']);
  });
});

describe('status and retention', () => {
  it('reads feed health, topic counts and recent stories, then prunes what is old', async () => {
    await feeds.syncFeedsFromConfig(sql, [cfg('https://a.example/rss')], { intervalMs: 900_000 }, 0);
    const { id: feedId } = (await feeds.getFeedByUrl(sql, 'https://a.example/rss'))!;
    const [old, recent] = await insertNewItems(sql, feedId, [item('x1', DAY), item('x2', DAY)], {
      now: DAY,
      announced: true,
    });
    const storyId = await sql.value<number>(
      `INSERT INTO stories (title, first_seen_at, updated_at, item_count, representative_item_id)
       VALUES ('Ruling', ?, ?, 2, ?) RETURNING id`,
      [DAY, DAY, old!.itemId],
    );
    await sql.run('UPDATE items SET story_id = ?', [storyId]);
    await sql.run(`INSERT INTO item_topics (item_id, topic, score, explanation) VALUES (?, 'eu-dsa', 1, 'DSA')`, [
      old!.itemId,
    ]);

    expect(await status.topicDailyCounts(sql, 0)).toEqual([{ topic: 'eu-dsa', day: 1, stories: 1 }]);
    expect(await status.recentStories(sql)).toMatchObject([{ id: storyId, itemCount: 2, firstSeenAt: DAY }]);
    expect((await status.recentStories(sql))[0]!.outlets).toHaveLength(1);
    expect((await status.feedHealth(sql))[0]).toMatchObject({ id: feedId, lastNewItemAt: DAY, consecutiveFailures: 0 });
    expect((await feeds.lastItemTimes(sql)).get(feedId)).toBe(DAY);
    expect(await status.oldestPendingPartAt(sql)).toBeNull();
    await status.pingStore(sql);

    await sql.run('UPDATE items SET first_seen_at = ? WHERE id = ?', [10 * DAY, recent!.itemId]);
    expect(await pruneBefore(sql, { before: 5 * DAY, now: 20 * DAY })).toEqual({ items: 1, stories: 0 });
    // the representative was pruned: the remaining item takes its place
    expect(await sql.get('SELECT item_count AS n, representative_item_id AS r FROM stories')).toEqual({
      n: 1,
      r: recent!.itemId,
    });
    expect(await pruneBefore(sql, { before: 11 * DAY, now: 20 * DAY })).toEqual({ items: 1, stories: 1 });
    expect(await sql.value('SELECT count(*) FROM pruned_items')).toBe(2);
  });
});

describe('the instance lease', () => {
  const owner = { host: 'desk-1', pid: 41, startedAt: 1 };
  const other = { host: 'desk-2', pid: 42, startedAt: 2 };
  const never = () => false;
  // Each bot holds its own connection (SQLite) or pool (PostgreSQL) to the store.
  let second: Sql;
  beforeEach(async () => {
    second = await store.open();
  });
  // A failed test still gives up what it holds: on PostgreSQL a lease keeps a connection of its own open.
  afterEach(async () => {
    for (const [on, who] of [
      [sql, owner],
      [second, other],
    ] as const) {
      await lease.releaseLease(on, who).catch(() => {});
    }
  });

  it('is taken, refused to another process while held, renewed and released', async () => {
    expect(await lease.takeLease(sql, { owner, now: 10, canTake: never })).toBeNull();
    expect(await lease.takeLease(second, { owner: other, now: 11, canTake: never })).toMatchObject({ owner });
    expect(await lease.renewLease(sql, owner, 12)).toBe(true);
    expect(await lease.renewLease(second, other, 12)).toBe(false);
    expect(await lease.currentLease(second)).toEqual({ owner, acquiredAt: 10, heartbeatAt: 12 });
    await lease.releaseLease(second, other);
    expect((await lease.currentLease(second))?.owner).toEqual(owner);
    await lease.releaseLease(sql, owner);
    expect(await lease.currentLease(sql)).toBeUndefined();
    expect(await lease.takeLease(second, { owner: other, now: 13, canTake: never })).toBeNull();
    expect((await lease.currentLease(sql))?.owner).toEqual(other);
    await lease.releaseLease(second, other);
  });

  // SQLite: the row with its heartbeat is the lease, so a holder gone silent is replaced when the caller's rule
  // (app/instance-lease.ts) says so.
  it.runIf(testBackend() === 'sqlite')('SQLite: is taken over from a silent holder when canTake allows', async () => {
    expect(await lease.takeLease(sql, { owner, now: 10, canTake: never })).toBeNull();
    expect(await lease.takeLease(second, { owner: other, now: 13, canTake: (h) => h.heartbeatAt < 13 })).toBeNull();
    expect(await lease.renewLease(sql, owner, 14)).toBe(false);
    expect((await lease.currentLease(sql))?.owner).toEqual(other);
  });

  // PostgreSQL: the advisory lock is the lease, held while the holder's session lives and freed by the server
  // when it ends, so no rule about silence applies (tests/app/instance-lease-postgres.test.ts ends a session).
  it.runIf(testBackend() === 'postgres')('PostgreSQL: only the lock decides, whatever canTake says', async () => {
    expect(await lease.takeLease(sql, { owner, now: 10, canTake: never })).toBeNull();
    expect(await lease.takeLease(second, { owner: other, now: 13, canTake: () => true })).toMatchObject({ owner });
    expect(await lease.renewLease(sql, owner, 14)).toBe(true);
    await lease.releaseLease(sql, owner);
  });
});
