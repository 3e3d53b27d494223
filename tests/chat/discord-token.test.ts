import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkDiscordToken, discordTokenRefused } from '../../src/chat/discord/token.js';
import type { AdapterHealth } from '../../src/chat/types.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { spawnCli } from '../helpers/cli.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { captureLog, LEVEL, logRecords } from '../helpers/log.js';
import { until } from '../helpers/wait.js';

// Issue 7 item 13: a bad DISCORD_TOKEN shows at start (GET /users/@me), said once, and the bot keeps running.
describe('the Discord token, checked at start', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  it('a token that works: says who the bot is and marks Discord healthy', async () => {
    fake = await new FakeDiscord().start();
    const { log, records } = captureLog('info', [fake.token]);
    const health: AdapterHealth[] = [];
    const result = await checkDiscordToken({
      token: fake.token,
      apiBaseUrl: fake.restApi,
      log,
      setHealth: (h) => health.push(h),
    });
    expect(result).toBe('works');
    const me = fake.requests.filter((r) => r.method === 'GET' && r.path === '/users/@me');
    expect(me).toHaveLength(1);
    expect(me[0]?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(records().map((r) => [r.level, r.msg])).toEqual([
      [LEVEL.info, 'Discord token works: the bot is @watchdesk (1100000000000000001)'],
    ]);
    expect(health).toEqual([{ ok: true, detail: 'token works: @watchdesk' }]);
  });

  it('a refused token: one error with what to do, however often it is met, and never the token', async () => {
    fake = await new FakeDiscord().start();
    const { log, lines, records } = captureLog('info', ['wrong-token-123']);
    const health: AdapterHealth[] = [];
    const check = () =>
      checkDiscordToken({ token: 'wrong-token-123', apiBaseUrl: fake!.restApi, log, setHealth: (h) => health.push(h) });
    expect(await check()).toBe('refused');
    expect(await check()).toBe('refused');
    discordTokenRefused(log, 'the gateway closed with 4004'); // the gateway meeting it later
    const errors = records().filter((r) => r.level === LEVEL.error);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toBe(
      'Discord refused DISCORD_TOKEN (401 Unauthorized): Discord digests and /digest are off until it is replaced',
    );
    expect(String(errors[0]?.hint)).toContain('set DISCORD_TOKEN and restart');
    expect(health.at(-1)).toEqual({ ok: false, detail: 'Discord refused DISCORD_TOKEN (401): replace it and restart' });
    expect(lines.join('')).not.toContain('wrong-token-123');
  });

  it('Discord out of reach: a warning, and the answer is unknown', async () => {
    const { log, records } = captureLog('info');
    const result = await checkDiscordToken({ token: 't', apiBaseUrl: 'http://127.0.0.1:9/api', log, timeoutMs: 2_000 });
    expect(result).toBe('unknown');
    expect(records().map((r) => [r.level, r.msg])).toEqual([
      [LEVEL.warn, 'could not check the Discord token at start; trying again at the first post'],
    ]);
  });
});

describe('watchdesk start with a bad DISCORD_TOKEN and no Discord subscription', () => {
  let feeds: FeedServer | undefined;
  let fake: FakeDiscord | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-discord-token-'));
  afterAll(async () => {
    await fake?.stop();
    await feeds?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says so once at start, before any digest, and keeps running', async () => {
    feeds = await startFeedServer();
    fake = await new FakeDiscord().start();
    feeds.route('/wire.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss('Wire', []) });
    const config = writeBeatConfig(dir, {
      feeds: [{ name: 'Wire', url: feeds.url('/wire.xml') }],
      extra: { discord: { apiBaseUrl: fake.restApi }, http: { port: 0 } },
    });
    const { child, output } = spawnCli(['--config', config, 'start'], {
      DISCORD_TOKEN: 'revoked-token-456',
      WATCHDESK_LOG_LEVEL: 'info',
    });
    try {
      const refused = () => logRecords(output().stderr).filter((r) => /Discord refused DISCORD_TOKEN/.test(r.msg));
      expect(await until(() => refused().length > 0, 45_000, 50)).toBe(true);
      expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/users/@me')).toBe(true);
      // the gateway's own login meets the same token: still said once
      expect(await until(() => feeds!.requestsTo('/wire.xml').length > 0, 30_000, 50)).toBe(true);
      expect(await until(() => fake!.requests.some((r) => r.path === '/gateway/bot'), 15_000, 50)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(refused()).toHaveLength(1);
      expect(refused()[0]?.level).toBe(LEVEL.error);
      expect(output().stderr).not.toContain('revoked-token-456');
      expect(child.exitCode).toBeNull();
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
