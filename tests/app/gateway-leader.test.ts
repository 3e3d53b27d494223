import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedThroughPipeline } from '../e2e/seed.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { ROOT, spawnNode } from '../helpers/cli.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { chatInputInteraction } from '../helpers/fake-discord-interactions.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

/**
 * Issue 17: several instances on one PostgreSQL store, and one Discord gateway among them. Real processes
 * (tests/helpers/adapters-worker.ts: the app and its chat adapters, as `watchdesk start` builds them, without its
 * jobs) against the fake Discord: one of them connects; the other stands by, and posts a digest over REST when
 * told to, which `watchdesk start` leaves to whichever instance takes the job (tests/e2e/discord-leader-start.test.ts
 * runs two of those, and the hand-off after a SIGKILL). Always on PostgreSQL (SQLite has one instance, which
 * always leads), whatever WATCHDESK_TEST_DB says.
 */
const WORKER = path.join(ROOT, 'tests/helpers/adapters-worker.ts');
const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const LEADS = /"msg":"this instance leads the Discord gateway/g;
const STANDS_BY = /"msg":"another instance leads the Discord gateway/g;

interface Worker {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

const schema = pgTestSchema();
const workers: Worker[] = [];
let fake: FakeDiscord;
let feeds: FeedServer;
let dir: string;
let config: string;

function startWorker(): Worker {
  const { child, output } = spawnNode(['--import', 'tsx', WORKER, config], { DISCORD_TOKEN: fake.token });
  const w = { child, stdout: () => output().stdout, stderr: () => output().stderr };
  workers.push(w);
  return w;
}

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;
const leaders = () =>
  workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null && count(w.stderr(), LEADS) > 0);

/** The /digest latest answers Discord got back for one interaction: exactly one instance answers each. */
async function answersTo(): Promise<number> {
  const { id, token } = fake.interact(chatInputInteraction(fake.where(CHANNEL), {}, 'latest'));
  await fake.waitForRequest((r) => r.path === `/interactions/${id}/${token}/callback`, 15_000);
  return fake.requests.filter((r) => r.path === `/interactions/${id}/${token}/callback`).length;
}

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  feeds = await startFeedServer();
  dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-leader-'));
  config = writeBeatConfig(dir, {
    feeds: [{ name: 'Capitol Wire', url: feeds.url('/wire.xml') }],
    extra: {
      store: { url: pgSchemaUrl(schema) },
      subscriptions: [
        { platform: 'discord', workspace: GUILD, channel: CHANNEL, topics: 'all', schedule: 'daily 09:00' },
      ],
      discord: { apiBaseUrl: fake.restApi },
    },
  });
  // Stories in the store and a digest due, for the standby instance to post.
  await seedThroughPipeline(config, feeds, '/wire.xml', 'Senators revive the Kids Online Safety Act');
});

afterAll(async () => {
  for (const w of workers) {
    if (w.child.exitCode !== null || w.child.signalCode !== null) continue;
    const exited = new Promise((r) => w.child.once('exit', r));
    w.child.kill('SIGTERM');
    await exited;
  }
  await fake?.stop();
  await feeds?.close();
  await dropPgSchema(schema);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the Discord gateway leader on PostgreSQL', () => {
  it('two instances on one store: one connects the gateway and answers; the other names it, stands by, and posts a digest over REST', async () => {
    const [a, b] = [startWorker(), startWorker()];
    expect(await until(() => leaders().length === 1 && fake.identifies.length === 1, 30_000, 50)).toBe(true);
    const leader = leaders()[0] as Worker;
    const follower = leader === a ? b : a;
    expect(await until(() => count(follower.stderr(), STANDS_BY) === 1, 15_000, 50)).toBe(true);
    expect(follower.stderr()).toContain(`"leader":"watchdesk pid ${leader.child.pid} on `);
    expect(await answersTo()).toBe(1);

    follower.child.stdin?.write('digests\n');
    expect(await until(() => follower.stdout().includes('"sent"'), 30_000, 50)).toBe(true);
    expect(JSON.parse(follower.stdout())).toMatchObject({ sent: 1, failed: 0, dead: 0 });
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    expect(fake.messagesIn(CHANNEL)[0]?.body.content).toMatch(/^\*\*watchdesk digest\*\*/);
    expect(JSON.stringify(fake.messagesIn(CHANNEL)[0]?.body)).toContain('Kids Online Safety Act');
    // However many times it tried to lead meanwhile, it said so once and never connected.
    expect(count(follower.stderr(), STANDS_BY)).toBe(1);
    expect(count(follower.stderr(), LEADS)).toBe(0);
    expect(fake.identifies.length).toBe(1);
    expect(fake.gatewayConnections).toBe(1);
  }, 60_000);
});
