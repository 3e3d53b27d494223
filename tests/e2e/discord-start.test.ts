/**
 * `watchdesk start` with DISCORD_TOKEN on the days that are not good ones: a store with no story yet, and a
 * gateway Discord refuses, while digests must still go out over REST.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { spawnCli } from '../helpers/cli.js';
import { storeSetting, type TempStore, tempStore } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { chatInputInteraction } from '../helpers/fake-discord-interactions.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { validateDiscordMessage } from '../helpers/payload-validator.js';
import { until } from '../helpers/wait.js';
import { seedThroughPipeline } from './seed.js';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';

type Bot = { child: ChildProcess; output: () => { stdout: string; stderr: string } };

describe('watchdesk start with Discord: an empty store, and a gateway that is refused', () => {
  const fakes: FakeDiscord[] = [];
  const bots: Bot[] = [];
  const dirs: string[] = [];
  const stores: TempStore[] = [];
  let feeds: FeedServer;

  async function startBot(opts: { name: string; seed: boolean; identifyCloseCode?: number }) {
    const fake = await new FakeDiscord({ identifyCloseCode: opts.identifyCloseCode }).start();
    fakes.push(fake);
    const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-discord-start-'));
    dirs.push(dir);
    // Each bot its own store, on the backend WATCHDESK_TEST_DB picks.
    const store = await tempStore();
    stores.push(store);
    const route = `/${opts.name}.xml`;
    feeds.route(route, { headers: { 'content-type': 'application/rss+xml' }, body: rss('Quiet Wire', []) });
    const config = writeBeatConfig(dir, {
      feeds: [{ name: 'Quiet Wire', url: feeds.url(route) }],
      extra: {
        store: storeSetting(store.location),
        subscriptions: [
          { platform: 'discord', workspace: GUILD, channel: CHANNEL, topics: 'all', schedule: 'daily 09:00' },
        ],
        discord: { apiBaseUrl: fake.restApi },
        http: { port: 0 },
      },
    });
    if (opts.seed) await seedThroughPipeline(config, feeds, route, 'Senators revive the Kids Online Safety Act');
    const bot = spawnCli(['--config', config, 'start'], { DISCORD_TOKEN: fake.token, WATCHDESK_LOG_LEVEL: 'info' });
    bots.push(bot);
    return { fake, bot };
  }

  let empty: { fake: FakeDiscord; bot: Bot };
  let refused: { fake: FakeDiscord; bot: Bot };

  beforeAll(async () => {
    feeds = await startFeedServer();
    [empty, refused] = await Promise.all([
      startBot({ name: 'empty', seed: false }),
      startBot({ name: 'refused', seed: true, identifyCloseCode: 4014 }),
    ]);
  });

  afterAll(async () => {
    for (const bot of bots) {
      if (bot.child.exitCode !== null) continue;
      const exited = new Promise((r) => bot.child.once('exit', r));
      bot.child.kill('SIGTERM');
      await exited;
    }
    for (const fake of fakes) await fake.stop();
    await feeds?.close();
    for (const store of stores) await store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('with an empty store, /digest latest says there are no stories yet and when the next poll is', async () => {
    const { fake, bot } = empty;
    expect(await until(() => /Discord gateway ready/.test(bot.output().stderr), 30_000, 50)).toBe(true);
    // The bot's own first poll finds an empty feed.
    expect(await until(() => feeds.requestsTo('/empty.xml').length > 0, 15_000, 50)).toBe(true);
    const { id, token } = fake.interact(chatInputInteraction(fake.where(CHANNEL), {}, 'latest'));
    const cb = await fake.waitForRequest((r) => r.path === `/interactions/${id}/${token}/callback`, 15_000);
    expect(cb.body.data.content).toMatch(
      /^\*\*Latest stories\*\*\nNo stories yet\.\nNext poll: .* UTC \(in 1[45] min\)\.$/,
    );
    expect(validateDiscordMessage(cb.body.data)).toEqual([]);
  }, 60_000);

  it('a refused gateway is said once with what to do; the digest still goes out over REST; the bot keeps running', async () => {
    const { fake, bot } = refused;
    const said = () => bot.output().stderr.match(/Discord refused a privileged intent/g) ?? [];
    expect(await until(() => said().length > 0, 30_000, 50)).toBe(true);
    await fake.waitFor(() => fake.messagesIn(CHANNEL).length > 0, 15_000);
    expect(fake.messagesIn(CHANNEL)[0]?.body.content).toMatch(/^\*\*watchdesk digest\*\*/);
    expect(said()).toHaveLength(1);
    expect(bot.output().stderr).toContain('watchdesk needs only the Guilds intent');
    expect(bot.child.exitCode).toBeNull();
  }, 60_000);
});
