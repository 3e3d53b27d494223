/**
 * Issue 15, injection: mentions, markdown and Slack control sequences in every feed field that reaches a digest
 * (the title, the summary, the outlet name and the link text) arrive inert at both fake platforms, through the
 * real pipeline and the real senders. tests/app/chat-delivery.test.ts does this for a title; the escaping rules
 * themselves are in tests/render/escape.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { deliverPending } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/log.js';
import { runSubscription } from '../../src/pipeline/digests.js';
import { pollAndIngest } from '../../src/pipeline/poll-cycle.js';
import { listFeeds } from '../../src/store/feeds.js';
import { listSubscriptions } from '../../src/store/subscriptions.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { recordCounts } from './counts.js';

const GUILD = '1200000000000000001';
const DISCORD_CHANNEL = '1300000000000000001';
const SLACK_CHANNEL = 'C0INJECT';
const ATTACK =
  '@everyone @here <!channel> <!here> <@U123> <@&456> **bold** [click](http://evil.example) ||spoiler|| `code`';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('feed text that tries to ping, format or inject reaches both platforms inert', () => {
  let server: FeedServer;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let dir: string;
  let app: App;
  let round = 0;

  beforeAll(async () => {
    discord = await new FakeDiscord().start();
    slack = await new FakeSlack().start();
    server = await startFeedServer();
    server.route('/inject.xml', (_q, res) => {
      const items =
        round === 0
          ? ''
          : `<item><guid>inject-1</guid><title>${esc(`Section 230 ruling ${ATTACK}`)}</title><link>https://inject.example/a?x=${encodeURIComponent('<!channel>')}</link><pubDate>${new Date().toUTCString()}</pubDate><description>${esc(`<p>The Section 230 appeal was decided. ${ATTACK}. Read <a href="https://inject.example/b">${ATTACK}</a> now.</p>`)}</description></item>`;
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>${esc(ATTACK)}</title><link>https://inject.example/</link>${items}</channel></rss>`,
        );
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-inject-'));
    const sub = { topics: 'all', schedule: 'daily 09:00', timezone: 'UTC', maxItems: 20 };
    const file = writeBeatConfig(dir, {
      // the outlet name from the config file is untrusted too: it may be copied from the feed's own title
      feeds: [{ name: `Outlet ${ATTACK}`, url: server.url('/inject.xml') }],
      extra: {
        subscriptions: [
          { platform: 'discord', workspace: GUILD, channel: DISCORD_CHANNEL, ...sub },
          { platform: 'slack', workspace: slack.team.id, channel: SLACK_CHANNEL, ...sub },
        ],
      },
    });
    const config = loadConfig({ file, env: { secrets: { discordToken: discord.token, slackBotToken: slack.token } } });
    app = await createApp(config, {
      log: silentLogger,
      discordApiUrl: discord.restApi,
      slackApiUrl: slack.slackApiUrl,
    });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), discord?.stop(), slack?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('title, summary, outlet name and link text: shown, but nothing pings, formats or links', async () => {
    await pollAndIngest(app, await listFeeds(app.db));
    round = 1;
    await pollAndIngest(
      app,
      (await listFeeds(app.db)).map((f) => ({ ...f, nextPollAt: 0 })),
    );
    for (const sub of await listSubscriptions(app.db, { activeOnly: true })) await runSubscription(app.digestDeps, sub);
    await deliverPending(app.deliverDeps);

    const dBodies = discord.messagesIn(DISCORD_CHANNEL).map((m) => m.body);
    const sPosts = slack.postsIn(SLACK_CHANNEL);
    expect(dBodies.length).toBeGreaterThan(0);
    expect(sPosts.length).toBeGreaterThan(0);
    // embed footers are plain text on Discord (no markdown, no mentions), so they are checked for mentions only
    const dText = JSON.stringify(dBodies, (k, v) => (k === 'footer' ? undefined : v));
    const dAll = JSON.stringify(dBodies);
    const sText = JSON.stringify(sPosts.map((p) => [p.text, p.blocks]));
    // the story is there (so the fields were rendered), with the outlet named
    expect(dText).toContain('Section 230 ruling');
    expect(sText).toContain('Section 230 ruling');
    expect(dAll).toContain('Outlet');

    // Discord: no mention can fire, no markdown of ours can be forged
    for (const b of dBodies) expect(b.allowed_mentions).toEqual({ parse: [] });
    expect(dAll).not.toMatch(/(?<![\\\u200b])@(everyone|here)/);
    expect(dAll).not.toMatch(/<@&?\d+>/);
    expect(dText).not.toMatch(/(?<!\\\\)\*\*bold(?<!\\\\)\*\*/);
    expect(dText).not.toMatch(/(?<!\\\\)\|\|spoiler/);
    expect(dText).not.toContain('](http://evil.example)');
    // Slack: no control sequence survives unescaped, no link to the attacker's page
    expect(sText).not.toMatch(/<!(channel|here|everyone)/);
    expect(sText).not.toMatch(/<@U123>/);
    expect(sText).not.toMatch(/<http:\/\/evil\.example/);
    recordCounts('injection', { inputs: 4 * 2, refused: 4 * 2 });
  }, 60_000);
});
