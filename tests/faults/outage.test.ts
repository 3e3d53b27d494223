/**
 * Issue 15, a platform outage. The fake Discord and the fake Slack answer every post with 500 for four minutes
 * of fake time, then 429 for four more. Meanwhile /digest sources and /metrics show the backlog. After recovery
 * every digest is delivered, its parts in order, with nothing lost and nothing posted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSender } from '../../src/chat/discord/sender.js';
import { createSlackSender } from '../../src/chat/slack/sender.js';
import { fixedClock } from '../../src/clock.js';
import { sources } from '../../src/commands/sources.js';
import { deliverPending, enqueueDigest, getDigest, outboxStatus, targetFromStore } from '../../src/delivery/outbox.js';
import { createMetrics } from '../../src/http/metrics.js';
import { replyText } from '../../src/render/index.js';
import { oldestPendingPartAt } from '../../src/store/status.js';
import { addSubscription, discordParts, partNo, slackParts, T0 } from '../delivery/fixtures.js';
import { commandDeps, invocation } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { recordCounts } from './counts.js';

const MINUTE = 60_000;
const GUILD = '1200000000000000001';
const DISCORD_CHANNELS = ['1300000000000000001', '1300000000000000002', '1300000000000000003'];
const SLACK_CHANNELS = ['C0DESK1', 'C0DESK2', 'C0DESK3'];
const PARTS = 3;

describe('a platform outage: 500, then 429, for minutes of fake time', () => {
  const clock = fixedClock(T0);
  const discord = new FakeDiscord({
    now: clock.now,
    guilds: [
      { id: GUILD, name: 'Policy desk', channels: DISCORD_CHANNELS.map((id, i) => ({ id, name: `desk-${i}` })) },
    ],
  });
  const slack = new FakeSlack();
  let t: ReturnType<typeof tempDb>;
  beforeAll(async () => {
    await discord.start();
    await slack.start();
    t = tempDb();
  });
  afterAll(async () => {
    t.close();
    await discord.stop();
    await slack.stop();
  });

  const inServerError = () => clock.now() < T0 + 4 * MINUTE;
  const inRateLimit = () => !inServerError() && clock.now() < T0 + 8 * MINUTE;

  it('shows the backlog meanwhile, then delivers every digest in order, once', { timeout: 60_000 }, async () => {
    discord.failNext({ kind: 'server_error', status: 500 }, { times: 1e6, when: inServerError });
    discord.failNext({ kind: 'rate_limit', retryAfterSec: 20 }, { times: 1e6, when: inRateLimit });
    slack.failNext({ kind: 'http', status: 500 }, { times: 1e6, when: inServerError });
    slack.failNext({ kind: 'ratelimited', retryAfterSec: 20 }, { times: 1e6, when: inRateLimit });

    const digests: { id: number; platform: string; channel: string }[] = [];
    for (const channel of DISCORD_CHANNELS) {
      const sub = await addSubscription(t.sql, { platform: 'discord', workspace: GUILD, channel, thread: '' });
      const id = await enqueueDigest(t.sql, {
        subscriptionId: sub,
        parts: discordParts(PARTS),
        cursorFrom: 0,
        cursorTo: 10,
        storyCount: 3,
        now: clock.now(),
      });
      digests.push({ id, platform: 'discord', channel });
    }
    for (const channel of SLACK_CHANNELS) {
      const sub = await addSubscription(t.sql, { platform: 'slack', workspace: 'T0FAKETEAM', channel, thread: '' });
      const id = await enqueueDigest(t.sql, {
        subscriptionId: sub,
        parts: slackParts(PARTS),
        cursorFrom: 0,
        cursorTo: 10,
        storyCount: 3,
        now: clock.now(),
      });
      digests.push({ id, platform: 'slack', channel });
    }
    const metrics = createMetrics({
      outbox: async () => {
        const oldest = await oldestPendingPartAt(t.sql);
        return {
          pendingParts: (await outboxStatus(t.sql)).pendingParts,
          oldestPendingSeconds: oldest === null ? 0 : (clock.now() - oldest) / 1000,
        };
      },
    });
    // A fresh client each round, as a restarted bot would have: @discordjs/rest keeps rate-limit buckets in real time.
    const deps = () => ({
      db: t.sql,
      senders: {
        discord: createDiscordSender({ token: discord.token, apiUrl: discord.restApi, now: clock.now }),
        slack: createSlackSender({ token: slack.token, apiUrl: slack.slackApiUrl, botName: 'watchdesk' }),
      },
      now: clock.now,
      targetFor: targetFromStore(t.sql),
      metrics,
    });

    let rounds = 0;
    let sawBacklog = false;
    while ((await outboxStatus(t.sql)).pendingDigests > 0 && rounds < 400) {
      rounds++;
      await deliverPending(deps());
      if (inServerError() || inRateLimit()) {
        // nothing can be posted yet: everything waits, and says so
        expect((await outboxStatus(t.sql)).pendingParts).toBe(digests.length * PARTS);
        const text = replyText(await sources.run(commandDeps(t.sql, { now: clock.now }), invocation(), {}));
        expect(text).toContain(
          `Delivery backlog: ${digests.length * PARTS} digest parts of ${digests.length} digests waiting`,
        );
        expect(await metrics.render()).toMatch(
          new RegExp(`watchdesk_outbox_pending_parts ${digests.length * PARTS}\\b`),
        );
        sawBacklog = true;
      }
      clock.advance(15_000);
    }
    expect(sawBacklog).toBe(true);
    expect(clock.now()).toBeGreaterThan(T0 + 8 * MINUTE);

    let lost = 0;
    let duplicates = 0;
    for (const d of digests) {
      expect((await getDigest(t.sql, d.id))?.status).toBe('delivered');
      const seen =
        d.platform === 'discord'
          ? discord.messagesIn(d.channel).map((m) => partNo(m.body.content))
          : slack.postsIn(d.channel).map((p) => partNo(p.text));
      expect(seen).toEqual([1, 2, 3]);
      lost += PARTS - new Set(seen).size;
      duplicates += seen.length - new Set(seen).size;
    }
    expect(await outboxStatus(t.sql)).toMatchObject({ pendingParts: 0, deadParts: 0 });
    expect(replyText(await sources.run(commandDeps(t.sql, { now: clock.now }), invocation(), {}))).not.toContain(
      'Delivery backlog',
    );
    recordCounts('platform outage', { inputs: rounds, lost, duplicates, crashes: 0 });
  });
});
