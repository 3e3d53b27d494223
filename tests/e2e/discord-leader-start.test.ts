/**
 * Issue 17: two `watchdesk start` processes on one host and one PostgreSQL store, with DISCORD_TOKEN. The second
 * is given the port the first listens on: it warns with the port and what to set, and runs on without HTTP. One
 * of them holds the Discord gateway (the leader), the other stands by; the due digest is posted once, over REST,
 * by whichever instance runs it; the leader killed with SIGKILL, the other connects within 30 s and answers
 * /digest. Always on PostgreSQL (SQLite keeps one instance), whatever WATCHDESK_TEST_DB says.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { spawnCli } from '../helpers/cli.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { chatInputInteraction } from '../helpers/fake-discord-interactions.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';
import { seedThroughPipeline } from './seed.js';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const LEADS = /"msg":"this instance leads the Discord gateway/g;
const STANDS_BY = /"msg":"another instance leads the Discord gateway/g;

type Bot = { child: ChildProcess; output: () => { stdout: string; stderr: string } };

const schema = pgTestSchema();
const bots: Bot[] = [];
let fake: FakeDiscord;
let feeds: FeedServer;
let dir: string;
let config: string;

const count = (bot: Bot, re: RegExp) => bot.output().stderr.match(re)?.length ?? 0;
const startBot = (env: Record<string, string> = {}) => {
  const bot = spawnCli(['--config', config, 'start'], {
    DISCORD_TOKEN: fake.token,
    WATCHDESK_LOG_LEVEL: 'info',
    ...env,
  });
  bots.push(bot);
  return bot;
};
/** The bot's log lines (JSON, one a line on stderr) whose msg matches. */
function lines(bot: Bot, msg: RegExp): Record<string, unknown>[] {
  return bot
    .output()
    .stderr.split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => msg.test(String(r.msg)));
}
const alive = (bot: Bot) => bot.child.exitCode === null && bot.child.signalCode === null;
const leaders = () => bots.filter((b) => alive(b) && count(b, LEADS) > 0);

/** Asks /digest latest; the number of answers it got (each instance connected to the gateway would give one). */
async function answers(): Promise<number> {
  const { id, token } = fake.interact(chatInputInteraction(fake.where(CHANNEL), {}, 'latest'));
  const callback = `/interactions/${id}/${token}/callback`;
  await fake.waitForRequest((r) => r.path === callback, 15_000);
  return fake.requests.filter((r) => r.path === callback).length;
}

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  feeds = await startFeedServer();
  dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-leader-start-'));
  config = writeBeatConfig(dir, {
    feeds: [{ name: 'Capitol Wire', url: feeds.url('/wire.xml') }],
    extra: {
      store: { url: pgSchemaUrl(schema) },
      subscriptions: [
        { platform: 'discord', workspace: GUILD, channel: CHANNEL, topics: 'all', schedule: 'daily 09:00' },
      ],
      discord: { apiBaseUrl: fake.restApi },
      http: { host: '127.0.0.1', port: 0 },
    },
  });
  await seedThroughPipeline(config, feeds, '/wire.xml', 'Senators revive the Kids Online Safety Act');
});

afterAll(async () => {
  for (const bot of bots) {
    if (!alive(bot)) continue;
    const exited = new Promise((r) => bot.child.once('exit', r));
    bot.child.kill('SIGTERM');
    await exited;
  }
  await fake?.stop();
  await feeds?.close();
  await dropPgSchema(schema);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two watchdesk start processes on one PostgreSQL store, with Discord', () => {
  it('the second, given the first one’s HTTP port, warns and runs on without HTTP', async () => {
    const first = startBot();
    expect(await until(() => lines(first, /^http server listening/).length === 1, 30_000, 50)).toBe(true);
    const url = String(lines(first, /^http server listening/)[0]?.url);
    const port = Number(new URL(url).port);
    const second = startBot({ WATCHDESK_HTTP_PORT: String(port) });
    expect(await until(() => lines(second, /^http server not started/).length === 1, 30_000, 50)).toBe(true);
    const warning = lines(second, /^http server not started/)[0];
    expect(warning).toMatchObject({ level: 40, port, reason: `port ${port} is already in use` });
    expect(String(warning?.hint)).toContain('give each instance its own http.port');
    expect(String(warning?.hint)).toContain('set http.port to 0');
    // It runs on: the chat adapters start after the HTTP server.
    expect(await until(() => lines(second, /Discord gateway/).length > 0, 30_000, 50)).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(bots.every(alive)).toBe(true);
  }, 60_000);

  it('one leads the gateway, the other stands by; the due digest is posted once over REST', async () => {
    expect(await until(() => leaders().length === 1 && fake.identifies.length === 1, 30_000, 50)).toBe(true);
    const leader = leaders()[0] as Bot;
    const follower = bots.find((b) => b !== leader) as Bot;
    expect(await until(() => count(follower, STANDS_BY) === 1, 30_000, 50)).toBe(true);
    expect(follower.output().stderr).toContain(`"leader":"watchdesk pid ${leader.child.pid} on `);
    await fake.waitFor(() => fake.messagesIn(CHANNEL).length > 0, 30_000);
    expect(fake.messagesIn(CHANNEL)[0]?.body.content).toMatch(/^\*\*watchdesk digest\*\*/);
    expect(await answers()).toBe(1);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    expect(fake.gatewayConnections).toBe(1);
    expect(bots.every(alive)).toBe(true);
  }, 60_000);

  it('the leader killed with SIGKILL: the other connects within 30 s and answers /digest', async () => {
    const leader = leaders()[0] as Bot;
    const follower = bots.find((b) => b !== leader) as Bot;
    const gone = new Promise((r) => leader.child.once('exit', r));
    leader.child.kill('SIGKILL');
    await gone;
    expect(await until(() => count(follower, LEADS) === 1 && fake.identifies.length === 2, 30_000, 50)).toBe(true);
    expect(await until(() => fake.gatewayConnections === 1, 10_000, 50)).toBe(true);
    expect(await answers()).toBe(1);
    expect(count(follower, STANDS_BY)).toBe(1);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    expect(alive(follower)).toBe(true);
  }, 60_000);
});
