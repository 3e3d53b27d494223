import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createFetcher } from '../../src/feeds/fetch.js';
import type { PollOutcome } from '../../src/feeds/poller.js';
import { silentLogger } from '../../src/log.js';
import { ingestPoll, retryUnfinished } from '../../src/pipeline/ingest.js';
import type { ProcessOwner } from '../../src/process-owner.js';
import { listFeeds, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { sqlOf } from '../../src/store/sql.js';
import { createExtractiveSummarizer } from '../../src/summarize/extractive.js';
import { compileTopics } from '../../src/topics/classify.js';
import { tempDb } from '../helpers/db.js';
import { TEST_FETCHER_OPTIONS } from '../helpers/feed-server.js';

const T0 = Date.parse('2026-03-02T12:00:00Z');

/** An item whose enrichment fails part-way is not left half-done: a later pass finishes it. */
describe('unfinished items are taken up again', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  const fetcher = createFetcher(TEST_FETCHER_OPTIONS);
  afterEach(() => t?.close());
  afterAll(() => fetcher.close());

  const deps = (db: ReturnType<typeof tempDb>['db'], clock: ReturnType<typeof fixedClock>, owner?: ProcessOwner) => ({
    db: sqlOf(db),
    fetcher,
    summarizer: createExtractiveSummarizer(),
    topics: compileTopics({ 'eu-dsa': { name: 'DSA', query: '"Digital Services Act"' } }),
    budget: { sentences: 2, maxChars: 320 },
    stories: { windowMs: 72 * 3_600_000, threshold: 0.5 },
    now: () => clock.now(),
    log: silentLogger,
    ...(owner ? { owner } : {}),
  });

  const outcome = async (db: ReturnType<typeof tempDb>['db']): Promise<PollOutcome> => ({
    feed: (await listFeeds(sqlOf(db)))[0]!,
    status: 'ok',
    firstPoll: false,
    elapsedMs: 1,
    parsed: {
      title: 'Desk',
      link: null,
      ttlMinutes: null,
      items: ['x1', 'x2'].map((id, i) => ({
        id,
        url: null,
        title: `Commission opens Digital Services Act case ${i + 1} against a marketplace`,
        published: new Date(T0).toISOString(),
        publishedEstimated: false,
        author: null,
        categories: [],
        content: `The Commission opened proceedings ${i + 1} under the Digital Services Act on Monday.`,
        enclosures: [],
      })),
    },
  });

  it('retries an item whose story step failed, after its delay, and counts the failure', async () => {
    t = tempDb();
    const clock = fixedClock(T0);
    await syncFeedsFromConfig(
      t.sql,
      [{ url: 'https://desk.example/rss', fullText: 'never' }],
      { intervalMs: 900_000 },
      T0,
    );
    // A real SQLite failure in the last step, for the second item only.
    t.db.exec(`CREATE TRIGGER fail_x2 BEFORE UPDATE OF story_id ON items WHEN new.guid = 'x2'
               BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);

    const first = await ingestPoll(deps(t.db, clock), await outcome(t.db));
    expect(first).toMatchObject({ newItems: 2, failed: 1, newStories: 1 });
    const story = (guid: string) =>
      t!.db.prepare('SELECT story_id FROM items WHERE guid = ?').pluck().get(guid) as number | null;
    expect(story('x2')).toBeNull();

    // Not yet due: nothing is taken up, even once the fault is gone.
    t.db.exec('DROP TRIGGER fail_x2');
    expect(await retryUnfinished(deps(t.db, clock))).toEqual({ retried: 0, finished: 0, failed: 0 });
    clock.advance(60_000);
    expect(await retryUnfinished(deps(t.db, clock))).toEqual({ retried: 1, finished: 1, failed: 0 });
    expect(story('x2')).not.toBeNull();
    expect(t.db.prepare('SELECT count(*) FROM item_topics').pluck().get()).toBe(2);
    expect(t.db.prepare('SELECT count(*) FROM enrichment_claims').pluck().get()).toBe(0);
    expect(await retryUnfinished(deps(t.db, clock))).toEqual({ retried: 0, finished: 0, failed: 0 });
  });

  it('takes over a claim whose process died on this host at once, one from another host once stale', async () => {
    t = tempDb();
    const clock = fixedClock(T0);
    await syncFeedsFromConfig(
      t.sql,
      [{ url: 'https://desk.example/rss', fullText: 'never' }],
      { intervalMs: 900_000 },
      T0,
    );
    t.db.exec(`CREATE TRIGGER stop_all BEFORE UPDATE OF story_id ON items BEGIN SELECT RAISE(ABORT, 'stop'); END`);
    await ingestPoll(deps(t.db, clock), await outcome(t.db));
    t.db.exec('DROP TRIGGER stop_all');
    // As if two other processes were enriching them: x1's has exited, x2's runs on another host.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const claim = t.db.prepare(
      `UPDATE enrichment_claims SET owner_host = ?, owner_pid = ?, owner_started_at = 1, claimed_at = ?,
         next_attempt_at = 0 WHERE item_id = (SELECT id FROM items WHERE guid = ?)`,
    );
    claim.run(hostname(), deadPid, T0, 'x1');
    claim.run('another-host', 1, T0, 'x2');
    const stored = (guid: string) =>
      t!.db.prepare('SELECT story_id IS NOT NULL FROM items WHERE guid = ?').pluck().get(guid);

    expect(await retryUnfinished(deps(t.db, clock))).toEqual({ retried: 1, finished: 1, failed: 0 });
    expect([stored('x1'), stored('x2')]).toEqual([1, 0]);
    clock.advance(14 * 60_000);
    expect((await retryUnfinished(deps(t.db, clock))).retried).toBe(0);
    clock.advance(60_000 + 1);
    expect(await retryUnfinished(deps(t.db, clock))).toEqual({ retried: 1, finished: 1, failed: 0 });
    expect(stored('x2')).toBe(1);
  });
});
