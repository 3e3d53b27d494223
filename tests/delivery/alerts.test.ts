import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/chat/console/sender.js';
import { createDiscordSender } from '../../src/chat/discord/sender.js';
import type { AdapterHealth, ChannelTarget } from '../../src/chat/types.js';
import { type AlertDeps, checkAlerts } from '../../src/delivery/alerts.js';
import { enableFeed, getFeedByUrl, recordPollFailure, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { tempDb } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { captureLog } from '../helpers/log.js';
import { fillStatusStore, statusFeeds } from '../helpers/status-store.js';
import { maskedLinks, unescapedMarkdown } from '../render/inspect.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const MIN = 60_000;
const HOSTILE = '@everyone <@123> **Sale** [x](http://evil.example)';
const ALERTS: ChannelTarget = {
  platform: 'discord',
  workspace: '1200000000000000001',
  channel: '1300000000000000001',
  thread: '',
};

describe('operator alerts in chat', () => {
  const t = tempDb();
  let discord: FakeDiscord;
  let now = T0;
  let adapters: Record<string, AdapterHealth> = {};
  let deps: AlertDeps;
  const hostileUrl = 'http://127.0.0.1:9/hostile.xml';
  const posted = () => discord.messages.map((m) => m.body as { content: string; allowed_mentions: unknown });

  beforeAll(async () => {
    discord = await new FakeDiscord().start();
    const feeds = [...statusFeeds(), { name: HOSTILE, url: hostileUrl, fullText: 'never' as const }];
    await fillStatusStore(t.sql, T0, feeds);
    await syncFeedsFromConfig(t.sql, feeds, { intervalMs: 15 * MIN }, T0);
    await disableHostile();
    deps = {
      db: t.sql,
      channel: ALERTS,
      senders: { discord: createDiscordSender({ token: discord.token, apiUrl: discord.restApi }) },
      pausedReason: (s) => (s.platform === 'discord' ? 'no DISCORD_TOKEN set' : null),
      adapters: () => adapters,
      now: () => now,
      log: captureLog().log,
    };
  });

  afterAll(async () => {
    await discord.stop();
    t.close();
  });

  async function disableHostile() {
    const id = (await getFeedByUrl(t.sql, hostileUrl))!.id;
    await recordPollFailure(t.sql, id, {
      now,
      nextPollAt: now + MIN,
      kind: 'dns',
      message: 'no such host',
      state: 'disabled',
    });
  }

  it('posts each problem once: a disabled feed, a dead part, a paused subscription', async () => {
    const said = await checkAlerts(deps);
    expect(said.map((a) => a.subject).sort()).toEqual([
      expect.stringMatching(/^digest \d+ for discord:111222333\/222333444 could not be delivered$/),
      `feed "${HOSTILE}" is disabled`,
      'feed "Gone Daily" is disabled',
      expect.stringMatching(/^subscription \d+ \(discord:111222333\/222333444\) is paused$/),
    ]);
    expect(posted()).toHaveLength(4);
    const gone = posted().find((m) => m.content.includes('Gone Daily'))!;
    expect(gone.content).toContain('watchdesk feeds enable');
    expect(posted().find((m) => m.content.includes('could not be delivered'))!.content).toContain('outbox retry');
    expect(await checkAlerts(deps)).toEqual([]);
    expect(posted()).toHaveLength(4);
  });

  it('never lets feed text ping or format the alert', () => {
    const m = posted().find((p) => p.content.includes('Sale'))!;
    expect(m.allowed_mentions).toEqual({ parse: [] });
    expect(m.content).not.toContain('@everyone');
    expect(m.content).not.toContain('<@123>');
    expect(m.content).not.toContain('**Sale**');
    expect(maskedLinks(m.content)).toEqual([]);
    expect(unescapedMarkdown(m.content, ['**'])).toBe('');
  });

  it('says when a thing recovers, once, and at most one alert an hour per thing when it flaps', async () => {
    await enableFeed(t.sql, (await getFeedByUrl(t.sql, hostileUrl))!.id, now);
    now = T0 + 10 * MIN;
    expect(await checkAlerts(deps)).toEqual([]); // the problem alert went out 10 minutes ago
    now = T0 + 61 * MIN;
    const back = await checkAlerts(deps);
    expect(back).toEqual([
      expect.objectContaining({ state: 'recovered', subject: expect.stringContaining('polled again') }),
    ]);
    expect(posted().at(-1)!.content).toMatch(/recovered/);
    // it fails again within the hour: no alert yet
    now = T0 + 70 * MIN;
    await disableHostile();
    expect(await checkAlerts(deps)).toEqual([]);
    now = T0 + 122 * MIN;
    expect((await checkAlerts(deps)).map((a) => a.state)).toEqual(['problem']);
    expect(posted()).toHaveLength(6);
  });

  it('reports a chat adapter that cannot post, and remembers what it said across a restart', async () => {
    adapters = { slack: { ok: false, detail: 'SLACK_BOT_TOKEN was rejected (invalid_auth): set a valid bot token' } };
    const said = await checkAlerts(deps);
    expect(said).toEqual([
      expect.objectContaining({ subject: 'slack cannot post', detail: expect.stringContaining('invalid_auth') }),
    ]);
    // a new process on the same store repeats nothing
    expect(
      await checkAlerts({
        ...deps,
        senders: { discord: createDiscordSender({ token: discord.token, apiUrl: discord.restApi }) },
      }),
    ).toEqual([]);
  });

  it('keeps an alert whose post failed and posts it at the next check', async () => {
    adapters = { ...adapters, console: { ok: false, detail: 'stdout is closed' } };
    discord.failNext({ kind: 'server_error' });
    expect(await checkAlerts(deps)).toEqual([]);
    const retried = await checkAlerts(deps);
    expect(retried.map((a) => a.subject)).toEqual(['console cannot post']);
  });

  it('posts to the console as Markdown when alerts.channel is the console', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    adapters = { ...adapters, discord: { ok: false, detail: 'DISCORD_TOKEN was rejected (401)' } };
    const said = await checkAlerts({
      ...deps,
      channel: { platform: 'console', workspace: '', channel: 'ops', thread: '' },
      senders: { console: createConsoleSender({ out }) },
    });
    expect(said).toHaveLength(1);
    expect(text).toContain('**watchdesk alert: discord cannot post**');
    expect(text).toContain('DISCORD\\_TOKEN was rejected (401)');
  });

  it('with no alerts.channel, alerts are logged only', async () => {
    const { log, records } = captureLog();
    adapters = { ...adapters, extra: { ok: false, detail: 'down' } };
    const said = await checkAlerts({ ...deps, channel: undefined, log });
    expect(said.map((a) => a.subject)).toEqual(['extra cannot post']);
    expect(records().find((r) => r.msg === 'operator alert')).toMatchObject({
      subject: 'extra cannot post',
      level: 40,
    });
  });
});
