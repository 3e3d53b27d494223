import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionSchema } from '../../src/config/schema.js';
import { enqueueDigest } from '../../src/delivery/outbox.js';
import { upsertSubscription } from '../../src/store/subscriptions.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { spawnCli } from '../helpers/cli.js';
import { storeSetting, type TempStore, tempStore } from '../helpers/db.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { LEVEL, logRecords } from '../helpers/log.js';
import { until } from '../helpers/wait.js';

/** Every secret the bot reads, each with a value that cannot appear by chance. */
const SECRETS = {
  DISCORD_TOKEN: 'dtok-MTIzNDU2Nzg5MDEy.secret-aa11',
  DISCORD_PUBLIC_KEY: 'dpub-5f4e3d2c1b0a-secret-bb22',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-secret-cc33',
  SLACK_SIGNING_SECRET: 'ssig-9a8b7c6d-secret-dd44',
  SLACK_APP_TOKEN: 'xapp-1-A0-secret-ee55',
  LLM_API_KEY: 'sk-llm-secret-ff66',
  WATCHDESK_HTTP_PASSWORD: 'http-pw-secret-gg77',
};

/**
 * `watchdesk start` as an operator runs it: the HTTP endpoints answer while it polls a real (local)
 * feed, and SIGTERM ends it with status 0. With every token set and logs at debug, no secret
 * appears anywhere: stdout, stderr, the status page, /metrics or /readyz.
 */
describe('watchdesk start: health, readiness, metrics, status page, graceful stop', () => {
  let server: FeedServer;
  let dir: string;
  // The bots' stores, on the backend WATCHDESK_TEST_DB picks.
  const stores: TempStore[] = [];
  let config: string;
  const newStore = async () => {
    const store = await tempStore();
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startFeedServer();
    const date = new Date(Date.now() - 3_600_000).toISOString();
    server.route('/desk.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Desk', [
        {
          guid: 'd1',
          title: 'Senators revive the Kids Online Safety Act',
          link: 'https://desk.example/d1',
          date,
          text: 'A bipartisan group of senators reintroduced the Kids Online Safety Act on Tuesday.',
        },
      ]),
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-operate-'));
    config = writeBeatConfig(dir, {
      feeds: [{ name: 'Desk Wire', url: server.url('/desk.xml') }],
      extra: { http: { port: 0, host: '127.0.0.1' }, store: storeSetting((await newStore()).location) },
    });
  });

  afterAll(async () => {
    await server.close();
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the bot and waits for its HTTP address in the log. */
  async function start(env: Record<string, string> = {}, file = config) {
    const run = spawnCli(['--config', file, 'start'], env);
    const logs = () => logRecords(run.output().stderr);
    const listening = () => logs().find((r) => r.msg === 'http server listening');
    expect(await until(() => listening() !== undefined || run.child.exitCode !== null, 60_000, 50)).toBe(true);
    const url = String(listening()?.url);
    const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
    return { ...run, logs, url, exited };
  }

  it('answers /healthz, /readyz, /metrics and /, then exits 0 on SIGTERM within 10 s', async () => {
    const bot = await start();
    expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { store: { ok: true }, 'chat:console': { ok: true } },
    });
    // the poll of the local feed shows up in the metrics and on the page (a poll is counted when its feed
    // answers, its items once they are stored: wait for both)
    let metrics = '';
    const counted = (m: string) =>
      /watchdesk_polls_total\{result="ok"\} [1-9]/.test(m) && /^watchdesk_items_ingested_total [1-9]/m.test(m);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
      metrics = await (await fetch(`${bot.url}/metrics`)).text();
      if (counted(metrics)) break;
    }
    expect(metrics).toMatch(/watchdesk_polls_total\{result="ok"\} [1-9]/);
    expect(metrics).toMatch(/^watchdesk_items_ingested_total [1-9]/m);
    for (const line of metrics.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^watchdesk_/);
    const page = await fetch(`${bot.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Desk Wire');
    expect(html).toContain('Kids Online Safety Act');

    const signalled = Date.now();
    bot.child.kill('SIGTERM');
    const code = await Promise.race([
      bot.exited,
      new Promise<string>((r) => setTimeout(() => r('still running'), 10_000)),
    ]);
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    const stopped = bot.logs().find((r) => r.msg === 'stopped');
    expect(stopped).toMatchObject({ signal: 'SIGTERM', level: LEVEL.info });
    expect(bot.output().stdout).not.toContain('{"level"');
  }, 90_000);

  it('with every token set and logs at debug, no secret value appears anywhere it writes or serves', async () => {
    // Each token gets used: a digest waits for Discord and one for Slack (the posts fail: no
    // internet), the LLM summarizes the new item (its server refuses), the page needs the password.
    const secretDir = mkdtempSync(path.join(tmpdir(), 'watchdesk-secrets-'));
    const secretStore = await newStore();
    const secretConfig = writeBeatConfig(secretDir, {
      feeds: [{ name: 'Desk Wire', url: server.url('/desk.xml') }],
      extra: {
        http: { port: 0 },
        store: storeSetting(secretStore.location),
        llm: { enabled: true, baseUrl: 'http://127.0.0.1:9/v1', timeout: '2s' },
        summarize: { useLlm: true },
      },
    });
    const db = secretStore.sql;
    for (const platform of ['discord', 'slack'] as const) {
      const sub = await upsertSubscription(db, subscriptionSchema.parse({ platform, workspace: 'W1', channel: 'C1' }), {
        source: 'command',
        now: Date.now(),
      });
      await enqueueDigest(db, {
        subscriptionId: sub,
        parts:
          platform === 'discord'
            ? [{ platform, payload: { content: 'x', embeds: [], allowed_mentions: { parse: [] } } }]
            : [{ platform, payload: { text: 'x', blocks: [], unfurl_links: false, unfurl_media: false } }],
        cursorFrom: 0,
        cursorTo: 0,
        storyCount: 1,
        now: Date.now(),
      });
    }
    const bot = await start({ ...SECRETS, WATCHDESK_LOG_LEVEL: 'debug' }, secretConfig);
    const auth = { authorization: `Basic ${btoa(`ops:${SECRETS.WATCHDESK_HTTP_PASSWORD}`)}` };
    expect((await fetch(`${bot.url}/`)).status).toBe(401);
    const tried = (platform: string) =>
      bot.logs().some((r) => r.msg === 'digest part failed; will retry' && String(r.reason).includes(platform));
    expect(await until(() => tried('Discord') && tried('Slack'), 45_000, 100)).toBe(true);
    const served = await Promise.all(
      ['/', '/metrics', '/readyz', '/healthz'].map(async (p) =>
        (await fetch(`${bot.url}${p}`, { headers: auth })).text(),
      ),
    );
    expect(served[0]).toContain('Desk Wire');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    rmSync(secretDir, { recursive: true, force: true });
    const everything = [bot.output().stdout, bot.output().stderr, ...served].join('\n');
    expect(everything).toContain('"msg":"stopped"');
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(everything.includes(value), `${name} leaked`).toBe(false);
    }
  }, 90_000);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
