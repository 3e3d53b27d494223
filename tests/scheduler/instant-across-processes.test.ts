import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beatStories, multiProcessConfig, pastFirstPoll, serveFeeds } from '../helpers/beat-feeds.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

const FEEDS = 2;
const NEW_PER_FEED = 8;

/**
 * Issue 7 item 3: a bot with an instant subscription must post the stories that another process
 * (`watchdesk poll --once`) stored and announced, each once, even when two such processes write
 * at once. Before, the bot ran instant subscriptions only after its own poll cycle announced
 * something, so it never posted them (0 digests, cursor at 0).
 */
describe('instant subscriptions and stories announced by other processes', () => {
  let server: FeedServer;
  let setup: ReturnType<typeof multiProcessConfig>;
  let bot: ReturnType<typeof spawnCli> | undefined;

  beforeAll(async () => {
    server = await startFeedServer();
    setup = multiProcessConfig(server, {
      prefix: 'inst',
      feeds: FEEDS,
      extra: {
        subscriptions: [
          { platform: 'console', channel: 'alerts', topics: 'all', mode: 'instant', maxItems: 50, timezone: 'UTC' },
        ],
      },
    });
  });

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) {
      const exited = new Promise((resolve) => bot?.child.once('exit', resolve));
      bot.child.kill('SIGTERM');
      await exited;
    }
    await server.close();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  it('the bot posts every story two concurrent poll --once runs announced, each once', async () => {
    // As after an earlier poll: the feeds are past their first poll (whose items are never
    // announced) and not due for an hour, so the bot itself polls nothing during the test.
    await pastFirstPoll(setup.db, setup.config);
    bot = spawnCli(['--config', setup.config, 'start']);
    expect(await until(() => /watchdesk starting/.test(bot!.output().stderr), 30_000, 50)).toBe(true);

    serveFeeds(server, { prefix: 'inst', feeds: FEEDS, perFeed: NEW_PER_FEED, from: 0 });
    const runs = await Promise.all([1, 2].map(() => runCli(['--config', setup.config, 'poll', '--once'])));
    for (const run of runs) expect(run.code).toBe(0);

    const fresh = Array.from({ length: FEEDS }, (_, f) => beatStories(f, 0, NEW_PER_FEED)).flat();
    const posted = () => bot!.output().stdout;
    expect(await until(() => fresh.every((s) => posted().includes(s.label)), 30_000, 100)).toBe(true);
    for (const s of fresh) expect(posted().split(s.label).length - 1).toBe(1);
    // The cursor covers every announced story.
    const db = new Database(setup.db, { readonly: true });
    try {
      const row = db
        .prepare(
          `SELECT (SELECT cursor FROM subscriptions WHERE channel = 'alerts') AS cursor,
                  (SELECT max(announce_seq) FROM stories) AS newest,
                  (SELECT count(*) FROM stories WHERE announce_seq IS NOT NULL) AS announced`,
        )
        .get() as { cursor: number; newest: number; announced: number };
      expect(row.announced).toBe(fresh.length);
      expect(row.cursor).toBe(row.newest);
    } finally {
      db.close();
    }
  }, 90_000);
});
