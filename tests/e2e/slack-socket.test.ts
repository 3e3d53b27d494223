/**
 * END TO END, SOCKET MODE: a real `watchdesk start` with only SLACK_BOT_TOKEN and SLACK_APP_TOKEN set (so Socket Mode
 * by default) against the fake Slack's WebSocket. Envelopes are acked and answered; scheduled digests go out. Then
 * the crash test on the real bot: SIGKILL after Slack created a digest part but before the bot could mark it, a
 * restart, and the part is found by its metadata and exists exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDigestStatus } from '../../src/delivery/outbox.js';
import { findSubscription } from '../../src/store/subscriptions.js';
import { type TempStore, tempStore } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { validateAll } from '../helpers/payload-validator.js';
import { type SlackBot, startSlackBot } from '../helpers/slack-bot.js';
import { buttonClick, slashCommand } from '../helpers/slack-requests.js';
import { until } from '../helpers/wait.js';
import { CH, markFeedsPolledBefore, serveBeatFeed, writeSlackConfig } from './slack-fixtures.js';

const SLOW = 120_000;
const CRASH = 'C0CRASH';

describe('Slack in Socket Mode, end to end, and a crash between post and mark', () => {
  const slack = new FakeSlack();
  let feeds: FeedServer;
  let dir: string;
  let store: TempStore;
  let config: string;
  let bot: SlackBot;
  let env: Record<string, string>;

  /** Sends an envelope and waits for the bot's ack frame. */
  const envelope = async (type: 'slash_commands' | 'interactive', payload: unknown) => {
    const id = slack.socket.send(type, payload);
    await slack.waitFor(() => slack.socket.ackOf(id) !== undefined, 30_000);
    return slack.socket.ackOf(id);
  };
  const who = (responseId: string) => ({
    team: slack.team.id,
    channel: CH.commands,
    user: 'U0READER',
    responseUrl: slack.responseUrl(responseId),
  });

  beforeAll(async () => {
    await slack.start();
    feeds = await startFeedServer();
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-slack-socket-'));
    store = await tempStore();
    config = writeSlackConfig(dir, {
      feedUrl: serveBeatFeed(feeds),
      slack,
      store: store.location,
      channels: [CH.digest, CRASH],
    });
    await markFeedsPolledBefore(config);
    // The crash channel's first post is created on Slack, and the bot never hears back.
    slack.failNext({ kind: 'hang_after_post' }, { when: (a) => a.channel === CRASH });
    env = { SLACK_BOT_TOKEN: slack.token, SLACK_APP_TOKEN: slack.appToken };
    bot = await startSlackBot(config, env);
    await slack.waitFor(() => slack.socket.connections > 0, 30_000);
  }, SLOW);

  afterAll(async () => {
    expect(await bot?.stop()).toBe(0);
    await slack.stop();
    await feeds.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the app-level token, not the bot token', () => {
    const open = slack.callsOf('apps.connections.open');
    expect(open.length).toBeGreaterThan(0);
    expect(open[0]?.headers.authorization).toBe(`Bearer ${slack.appToken}`);
  });

  it('a slash command envelope is acked with the reply; a slow one is acked at once and answered via response_url', async () => {
    await slack.waitFor(() => slack.postsIn(CH.digest).length > 0, 60_000);
    const help = await envelope('slash_commands', slashCommand('help', who('s1')));
    expect(JSON.stringify(help?.payload)).toContain('/digest latest');
    expect(help?.payload.response_type).toBe('ephemeral');

    const search = await envelope('slash_commands', slashCommand('search "Digital Services Act"', who('s2')));
    expect(search?.payload ?? {}).toEqual({});
    await slack.waitFor(() => slack.responsesTo('s2').length > 0, 30_000);
    expect(JSON.stringify(slack.responsesTo('s2')[0]?.body)).toContain('marketplace');
  });

  it('a "Next page" click arrives as an interactive envelope and is answered', async () => {
    const latest = await envelope('slash_commands', slashCommand('latest 3', who('s3')));
    const button = latest?.payload.blocks.at(-1).elements[0];
    expect(button?.action_id).toBe('digest_next_page');
    const click = await envelope(
      'interactive',
      buttonClick({ ...who('s4'), actionId: button.action_id, value: button.value }),
    );
    expect(click?.envelope_id).toBeDefined();
    await slack.waitFor(() => slack.responsesTo('s4').length > 0, 30_000);
    expect(JSON.stringify(slack.responsesTo('s4')[0]?.body)).toMatch(/Stories 4–5 of 5/);
  });

  it('posts scheduled digests within the limits', () => {
    const posts = slack.postsIn(CH.digest);
    expect(validateAll('slack', posts)).toEqual([]);
    expect(JSON.stringify(posts)).toContain('Online Safety Act');
  });

  it(
    'SIGKILL after Slack created a part but before the mark; after a restart the part exists exactly once',
    async () => {
      await slack.waitFor(() => slack.postsIn(CRASH).length === 1, 30_000);
      await bot.kill();
      const db = store.sql;
      const sub = await findSubscription(db, { platform: 'slack', workspace: slack.team.id, channel: CRASH });
      expect(await latestDigestStatus(db, sub?.id ?? -1)).toBe('pending');

      bot = await startSlackBot(config, env);
      expect(await until(async () => (await latestDigestStatus(db, sub?.id ?? -1)) === 'delivered', 30_000, 100)).toBe(
        true,
      );
      // It looked before posting, found its own message by the metadata, and did not post again.
      expect(slack.callsOf('conversations.history').some((c) => c.args.channel === CRASH)).toBe(true);
      expect(slack.postsIn(CRASH)).toHaveLength(1);
      expect(slack.postsIn(CRASH)[0]?.metadata?.event_type).toBe('watchdesk_digest_part');
    },
    SLOW,
  );
});
