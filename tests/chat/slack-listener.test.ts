/**
 * The Slack listener in-process (real Bolt, the fake Slack): which mode the environment gives, saying once why
 * /digest does not answer, a refused token, a port already taken. The full command flows run end to end in
 * tests/e2e/slack-http.test.ts and slack-socket.test.ts.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackListener } from '../../src/chat/slack/listener.js';
import { slackMode } from '../../src/chat/slack/mode.js';
import { slackTokenRefused } from '../../src/chat/slack/token.js';
import { configSchema } from '../../src/config/schema.js';
import { tempDb } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { captureLog } from '../helpers/log.js';

const slackConfig = (over: Record<string, unknown> = {}) => configSchema.parse({ slack: over }).slack;

describe('slackMode: the mode follows the environment unless slack.mode says', () => {
  it.each([
    [{}, {}, 'off'],
    [{}, { slackBotToken: 'xoxb-1' }, 'digests-only'],
    [{}, { slackBotToken: 'xoxb-1', slackSigningSecret: 's' }, 'http'],
    [{}, { slackBotToken: 'xoxb-1', slackAppToken: 'xapp-1' }, 'socket'],
    [{}, { slackBotToken: 'xoxb-1', slackSigningSecret: 's', slackAppToken: 'xapp-1' }, 'http'],
    [{ mode: 'socket' }, { slackBotToken: 'xoxb-1', slackSigningSecret: 's', slackAppToken: 'xapp-1' }, 'socket'],
    [{ mode: 'socket' }, { slackBotToken: 'xoxb-1', slackSigningSecret: 's' }, 'digests-only'],
    [{ mode: 'http' }, { slackBotToken: 'xoxb-1', slackAppToken: 'xapp-1' }, 'digests-only'],
    [{}, { slackSigningSecret: 's' }, 'digests-only'],
  ])('slack %j with %j → %s', (slack, secrets, mode) => {
    expect(slackMode({ slack: slackConfig(slack), secrets }).mode).toBe(mode);
  });

  it('says what to set when /digest cannot answer', () => {
    const none = slackMode({ slack: slackConfig(), secrets: { slackBotToken: 'xoxb-1' } });
    expect(none.mode === 'digests-only' && none.why).toMatch(
      /neither SLACK_SIGNING_SECRET \(HTTP mode\) nor SLACK_APP_TOKEN \(Socket Mode\) is set: Slack only sends digests/,
    );
    const socket = slackMode({ slack: slackConfig({ mode: 'socket' }), secrets: { slackBotToken: 'xoxb-1' } });
    expect(socket.mode === 'digests-only' && socket.why).toMatch(/slack.mode is socket but SLACK_APP_TOKEN is not set/);
  });
});

describe('startSlackListener', () => {
  const fake = new FakeSlack();
  let t: ReturnType<typeof tempDb>;

  beforeAll(async () => {
    await fake.start();
    t = tempDb();
  });
  afterAll(async () => {
    t.close();
    await fake.stop();
  });

  const start = (secrets: Record<string, string>, slack: Record<string, unknown> = {}) => {
    // No secrets given to the logger: what it writes must not contain them in the first place.
    const cap = captureLog('debug');
    const config = configSchema.parse({
      slack: { apiBaseUrl: fake.slackApiUrl, host: '127.0.0.1', port: 0, ...slack },
    });
    const health: unknown[] = [];
    const listener = startSlackListener({
      config: { ...config, secrets },
      commands: { db: t.sql, config, now: Date.now, log: cap.log },
      log: cap.log,
      now: Date.now,
      setHealth: (h) => health.push(h),
    });
    return { listener, cap, health };
  };

  it('with only the bot token: the token is checked, no listener, and it says so once', async () => {
    const { listener, cap, health } = await start({ slackBotToken: fake.token });
    expect(await listener).toBeNull();
    const said = cap.records().filter((r) => r.msg.includes('Slack only sends digests'));
    expect(said).toHaveLength(1);
    expect(cap.records().some((r) => r.msg.startsWith('Slack token works: the bot is @watchdesk'))).toBe(true);
    expect(health).toEqual([{ ok: true, detail: expect.stringMatching(/token works/) }]);
  });

  it('a refused token met again by a digest post is not said a second time', async () => {
    const { listener, cap } = await start({ slackBotToken: 'xoxb-revoked-1111' });
    expect(await listener).toBeNull();
    slackTokenRefused(cap.log)('token_revoked');
    expect(cap.records().filter((r) => r.msg.startsWith('Slack refused SLACK_BOT_TOKEN'))).toHaveLength(1);
    // Nor is it told "Slack only sends digests": with that token it sends nothing.
    expect(cap.records().some((r) => r.msg.includes('Slack only sends digests'))).toBe(false);
  });

  it('a refused token: said once, clearly, without the token; no listener', async () => {
    const { listener, cap, health } = await start({ slackBotToken: 'xoxb-revoked-0000', slackSigningSecret: 'sig' });
    expect(await listener).toBeNull();
    const errors = cap.records().filter((r) => r.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
    expect(cap.lines.join('')).not.toContain('xoxb-revoked-0000');
    expect(health).toEqual([{ ok: false, detail: expect.stringMatching(/invalid_auth/) }]);
  });

  it('HTTP mode on a port already taken: a clear error, no listener, nothing thrown', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    try {
      const { listener, cap } = await start({ slackBotToken: fake.token, slackSigningSecret: 'sig' }, { port });
      expect(await listener).toBeNull();
      const error = cap.records().find((r) => r.level === 50);
      expect(error?.msg).toMatch(/Slack HTTP mode could not start/);
      expect(String(error?.hint)).toContain(`port ${port}`);
    } finally {
      taken.close();
    }
  });

  it('HTTP mode: listens at /slack/events on the port it reports, and stops', async () => {
    const { listener } = await start({ slackBotToken: fake.token, slackSigningSecret: 'sig' });
    const l = await listener;
    expect(l?.mode).toBe('http');
    expect(l?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
    const unsigned = await fetch(l?.url as string, { method: 'POST', body: 'x=1' });
    expect(unsigned.status).toBe(401);
    await l?.stop();
    await expect(fetch(l?.url as string, { method: 'POST' })).rejects.toThrow();
  });
});
