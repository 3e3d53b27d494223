import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { multiProcessConfig, serveFeeds } from '../helpers/beat-feeds.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type TempStore, tempStore, testBackend } from '../helpers/db.js';
import { type FakeLlm, startFakeLlm } from '../helpers/fake-llm.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';

interface ItemCounts {
  total: number;
  withStory: number;
  withSummary: number;
  classified: number;
}

/** How many stored items got each enrichment step, read from the store as another process would. */
async function itemCounts(store: TempStore): Promise<ItemCounts | undefined> {
  return store.sql.get<ItemCounts>(
    `SELECT count(*) AS total, count(story_id) AS "withStory", count(summary) AS "withSummary",
            (SELECT count(DISTINCT item_id) FROM item_topics) AS classified
     FROM items`,
  );
}

const all = (n: number): ItemCounts => ({ total: n, withStory: n, withSummary: n, classified: n });

/**
 * Issue 7 item 1: several real processes write to one store: one SQLite file, or (issue 16, with
 * WATCHDESK_TEST_DB=postgres) one PostgreSQL schema, as the processes of a scale-out share it. On SQLite,
 * before every write transaction took its lock up front, a process whose read-then-write transaction met another writer got
 * "database is locked" at once (the busy timeout never applied), and the item was left without a
 * story, never retried, while `poll --once` still said "0 failed". An item whose process died
 * mid-enrichment was never finished either.
 */
describe(`several processes writing to one store (${testBackend()})`, () => {
  let server: FeedServer;
  let llm: FakeLlm;
  let store: TempStore | undefined;
  const dirs: string[] = [];
  afterEach(() => store?.close());
  /** The CLI on the test's store: the config file's store.path gives way to WATCHDESK_DB. */
  const cli = (config: string) => ['--config', config, 'poll', '--once'];
  const env = () => ({ WATCHDESK_DB: store!.location });

  beforeAll(async () => {
    [server, llm] = await Promise.all([startFeedServer(), startFakeLlm()]);
  });

  afterAll(async () => {
    await Promise.all([server.close(), llm.close()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('three concurrent poll --once runs lose no item: each gets topics, a summary and a story', async () => {
    const FEEDS = 6;
    const PER_FEED = 30;
    serveFeeds(server, { prefix: 'race', feeds: FEEDS, perFeed: PER_FEED, from: 0 });
    const setup = multiProcessConfig(server, { prefix: 'race', feeds: FEEDS });
    dirs.push(setup.dir);
    // The schema exists before the race starts, as it does beside a running bot.
    store = await tempStore();

    const runs = await Promise.all([1, 2, 3].map(() => runCli(cli(setup.config), env())));

    expect(await itemCounts(store)).toEqual(all(FEEDS * PER_FEED));
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/database is locked|internal error/);
      expect(run.code).toBe(0);
    }
  }, 60_000);

  it('an item whose process was killed during its summary is finished by the next poll', async () => {
    serveFeeds(server, { prefix: 'kill', feeds: 1, perFeed: 3, from: 0 });
    const setup = multiProcessConfig(server, {
      prefix: 'kill',
      feeds: 1,
      extra: {
        summarize: { useLlm: true },
        llm: { enabled: true, baseUrl: llm.baseUrl, model: 'tiny', timeout: '60s' },
      },
    });
    dirs.push(setup.dir);
    store = await tempStore();
    llm.setDefault({ kind: 'hold' });
    const poll = spawnCli(cli(setup.config), env());
    const exited = new Promise((resolve) => poll.child.once('exit', resolve));
    // The first item's summary is being written by the model: kill the process right there.
    await llm.waitForHeld(1);
    poll.child.kill('SIGKILL');
    await exited;
    expect(await itemCounts(store)).toMatchObject({ total: 3, withSummary: 0 });

    llm.setDefault({ kind: 'ok' });
    llm.releaseOne();
    const again = await runCli(cli(setup.config), env());
    // nothing but the plain progress lines (stderr is not a terminal here)
    expect(again.stderr.replace(/^poll: \d+\/\d+ .*\n/gm, '')).toBe('');
    expect(again.stderr).toMatch(/^poll: 1\/1 Outlet 0: \d+ new$/m);
    expect(await itemCounts(store)).toEqual(all(3));
  }, 60_000);
});
