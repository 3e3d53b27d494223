import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiProcessConfig, serveFeeds } from '../helpers/beat-feeds.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { storeSetting, type TempStore, tempStore, testBackend } from '../helpers/db.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

type Bot = ReturnType<typeof spawnCli>;

/**
 * Issue 7 item 2: a second `watchdesk start` on the same SQLite file posted every digest twice.
 * It is refused, with who holds the database; every other command still runs beside the bot;
 * and a bot killed with SIGKILL is taken over at once by the next start. On the backend
 * WATCHDESK_TEST_DB picks: on PostgreSQL there is no such rule since issue 17, as the bots share the
 * work as jobs: a second start runs beside the first (tests/e2e/scale-out.test.ts runs three).
 */
describe('one bot per database', () => {
  let server: FeedServer;
  let setup: ReturnType<typeof multiProcessConfig>;
  let store: TempStore;
  const bots: Bot[] = [];

  beforeAll(async () => {
    server = await startFeedServer();
    serveFeeds(server, { prefix: 'lease', feeds: 1, perFeed: 2, from: 0 });
    store = await tempStore();
    setup = multiProcessConfig(server, { prefix: 'lease', feeds: 1, extra: { store: storeSetting(store.location) } });
  });

  afterAll(async () => {
    for (const bot of bots) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await server.close();
    await store?.close();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  const startBot = async (): Promise<Bot> => {
    const bot = spawnCli(['--config', setup.config, 'start']);
    bots.push(bot);
    // The last line start logs before it listens for signals.
    expect(await until(() => /next digest at/.test(bot.output().stderr), 30_000, 50)).toBe(true);
    return bot;
  };
  const exitOf = (bot: Bot) =>
    new Promise((resolve) => bot.child.once('exit', (code, signal) => resolve(code ?? signal)));

  it.runIf(testBackend() === 'postgres')(
    'on PostgreSQL, lets a second start run beside the first',
    async () => {
      const [first, second] = [await startBot(), await startBot()];
      const poll = await runCli(['--config', setup.config, 'poll', '--once']);
      expect(poll.code).toBe(0);
      for (const bot of [first, second]) {
        expect(bot.output().stderr).not.toContain('in use');
        const stopped = exitOf(bot);
        bot.child.kill('SIGTERM');
        expect(await stopped).toBe(0);
      }
    },
    90_000,
  );

  it.runIf(testBackend() === 'sqlite')(
    'refuses a second start, lets poll --once run beside the bot, and takes over at once after a SIGKILL',
    async () => {
      const first = await startBot();

      const second = await runCli(['--config', setup.config, 'start']);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(
        `error: the database ${store.location} is in use by another watchdesk bot: pid ${first.child.pid} on host ${hostname()}, started at 20`,
      );
      expect(second.stderr).toMatch(/Stop that bot first.*"One bot per database"/);
      expect(first.child.exitCode).toBeNull();

      const poll = await runCli(['--config', setup.config, 'poll', '--once']);
      expect(poll.code).toBe(0);
      expect(poll.stdout).toContain('1 feed polled: ');

      const killed = exitOf(first);
      first.child.kill('SIGKILL');
      expect(await killed).toBe('SIGKILL');
      const third = await startBot();
      expect(third.output().stderr).not.toContain('in use');
      const stopped = exitOf(third);
      third.child.kill('SIGTERM');
      expect(await stopped).toBe(0);
    },
    90_000,
  );
});
