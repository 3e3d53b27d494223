import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { type PollPlanner, pollFeedHandler, startPollPlanner } from '../../src/jobs/poll-feed.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import { silentLogger } from '../../src/log.js';
import { getFeed, listFeeds } from '../../src/store/feeds.js';
import { claimDueFeed } from '../../src/store/job-claims.js';
import { jobsSchemaOf } from '../../src/store/jobs-target.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { dropPgSchema, PG_TEST_URL, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

/**
 * Issue 17: poll-feed jobs on pg-boss, as two processes share them: two apps on one PostgreSQL schema (each its
 * own pool, as two `watchdesk start` would hold), each with its own job runner, worker and planner. Each feed is
 * polled once in its interval however many planners queue it and however many duplicate jobs there are; the
 * three-process test (tests/e2e/scale-out.test.ts) does the same with real processes and a SIGKILL. Always on
 * PostgreSQL, whatever WATCHDESK_TEST_DB says.
 */
const FEEDS = 40;
const CLAIM_MS = 60_000;

const schema = pgTestSchema();
const url = pgSchemaUrl(schema);
let server: FeedServer;
let dir: string;
const apps: App[] = [];
const runners: JobRunner[] = [];
const planners: PollPlanner[] = [];
const polledBy = new Map<number, number>();

beforeAll(async () => {
  server = await startFeedServer();
  const feeds = Array.from({ length: FEEDS }, (_, i) => {
    const item = { guid: `f${i}-1`, title: `Court hears Section 230 case ${i}`, link: `https://o${i}.example/1` };
    server.route(`/f/${i}.xml`, { body: rss(`Outlet ${i}`, [{ ...item, date: '2026-03-01T10:00:00Z', text: 'x' }]) });
    return { name: `Outlet ${i}`, url: server.url(`/f/${i}.xml`) };
  });
  dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-jobs-'));
  const file = writeBeatConfig(dir, { feeds, extra: { store: { url }, subscriptions: [] } });
  for (let p = 0; p < 2; p++) {
    const app = await createApp(loadConfig({ file, env: { secrets: {} } }), { log: silentLogger });
    apps.push(app);
    runners.push(await startJobRunner({ url, log: silentLogger, expireMs: CLAIM_MS, idlePollMs: 200 }));
  }
});

afterAll(async () => {
  for (const p of planners) p.stop();
  await Promise.all(planners.map((p) => p.done));
  for (const r of runners) await r.stop({ graceMs: 5_000 });
  for (const a of apps) await a.close();
  await server?.close();
  await dropPgSchema(schema);
  rmSync(dir, { recursive: true, force: true });
});

const hits = () => {
  const counts = new Map<string, number>();
  for (const r of server.requests) if (r.path.startsWith('/f/')) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
  return counts;
};

describe('poll-feed jobs shared by two processes (PostgreSQL)', () => {
  it('keeps pg-boss in <schema>_jobs, beside the store', async () => {
    expect(runners[0]!.schema).toBe(jobsSchemaOf(schema));
    const client = new pg.Client({ connectionString: PG_TEST_URL });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT to_regclass($1) AS t', [`${schema}_jobs.job`]);
      expect(rows[0].t).not.toBeNull();
    } finally {
      await client.end();
    }
  });

  it('polls every feed once between the two, each queued by both planners', async () => {
    apps.forEach((app, p) => {
      const deps = { ...app, claimMs: CLAIM_MS };
      const handler = pollFeedHandler(deps, () => {});
      runners[p]!.work<{ feedId: number }>('poll-feed', 4, async (data, signal) => {
        await handler(data, signal);
        polledBy.set(p, (polledBy.get(p) ?? 0) + 1);
      });
      planners.push(startPollPlanner({ ...deps, runner: runners[p]! }, { maxSleepMs: 1_000 }));
    });
    const all = async () => (await listFeeds(apps[0]!.db)).every((f) => f.polls === 1);
    expect(await until(all, 15_000)).toBe(true);
    // Every job the planners queued has run (a job runs its claim after the poll it lost to is recorded).
    expect(await until(async () => (await waitingJobs()) === 0, 10_000)).toBe(true);
    const counts = hits();
    expect(counts.size).toBe(FEEDS);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('a duplicate job for a feed polled in this interval polls nothing', async () => {
    const before = server.requests.length;
    const feeds = await listFeeds(apps[0]!.db);
    await runners[1]!.send(
      'poll-feed',
      feeds.map((f) => ({ key: `feed:${f.id}`, data: { feedId: f.id } })),
    );
    expect(await until(async () => (await waitingJobs()) === 0, 10_000)).toBe(true);
    expect(server.requests.length).toBe(before);
    // The feeds still wait for their interval: nothing moved their next poll.
    for (const f of await listFeeds(apps[0]!.db))
      expect(f.nextPollAt).toBe(feeds.find((g) => g.id === f.id)!.nextPollAt);
  });

  it('a claimed feed is not claimed again until the claim lapses', async () => {
    const db = apps[0]!.db;
    const feed = (await listFeeds(db))[0]!;
    const now = feed.nextPollAt; // due from here on
    expect(await claimDueFeed(db, feed.id, { now, until: now + 1_000 })).toBeDefined();
    expect(await claimDueFeed(apps[1]!.db, feed.id, { now, until: now + 1_000 })).toBeUndefined();
    expect(await claimDueFeed(apps[1]!.db, feed.id, { now: now + 1_000, until: now + 2_000 })).toBeDefined();
    expect((await getFeed(db, feed.id))!.nextPollAt).toBe(now + 2_000);
  });
});

/** Jobs of the poll-feed queue not yet finished: queued, running or to be retried. */
async function waitingJobs(): Promise<number> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM "${jobsSchemaOf(schema)}".job WHERE name = 'poll-feed' AND state < 'completed'`,
    );
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}
