import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/chat/console/sender.js';
import { createDiscordSender } from '../../src/chat/discord/sender.js';
import { createSlackSender } from '../../src/chat/slack/sender.js';
import { fixedClock } from '../../src/clock.js';
import {
  type DeliverDeps,
  deliverPending,
  enqueueDigest,
  getDigest,
  getParts,
  hasPendingDigest,
  listDeadParts,
  outboxStatus,
  retryDead,
  targetFromStore,
} from '../../src/delivery/outbox.js';
import type { RenderedPart } from '../../src/render/types.js';
import { tempDb } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { addSubscription, consoleParts, cursorOf, discordParts, partNo, slackParts, T0 } from './fixtures.js';

const CHANNEL = '1300000000000000001';
const BACKOFF = { baseMs: 10_000, maxMs: 60_000 };

describe('delivery outbox', () => {
  const discord = new FakeDiscord();
  const slack = new FakeSlack();
  let t: ReturnType<typeof tempDb>;
  let clock: ReturnType<typeof fixedClock>;
  let subId: number;
  let deps: DeliverDeps;

  beforeAll(async () => {
    await discord.start();
    await slack.start();
  });
  afterAll(async () => {
    await discord.stop();
    await slack.stop();
  });
  beforeEach(async () => {
    t = tempDb();
    clock = fixedClock(T0);
    subId = await addSubscription(t.sql, {
      platform: 'discord',
      workspace: '1200000000000000001',
      channel: CHANNEL,
      thread: '',
    });
    deps = {
      db: t.sql,
      // A fresh client per test: @discordjs/rest remembers rate-limit buckets between calls.
      senders: { discord: createDiscordSender({ token: discord.token, apiUrl: discord.restApi }) },
      now: clock.now,
      targetFor: targetFromStore(t.sql),
      backoff: BACKOFF,
    };
  });
  afterEach(() => t.close());

  const enqueue = (n: number, cursorTo = 40, label?: string) =>
    enqueueDigest(t.sql, {
      subscriptionId: subId,
      parts: discordParts(n, label),
      cursorFrom: 0,
      cursorTo,
      storyCount: n * 3,
      now: clock.now(),
    });
  const postsOf = async (digestId: number) => {
    const nonces = new Set((await getParts(t.sql, digestId)).map((p) => p.nonce));
    return discord.messagePosts(CHANNEL).filter((r) => nonces.has(r.body?.nonce));
  };

  describe('enqueue', () => {
    it('writes the digest and every part with a unique nonce of at most 25 characters', async () => {
      const id = await enqueue(3);
      const parts = await getParts(t.sql, id);
      expect(parts.map((p) => p.seq)).toEqual([1, 2, 3]);
      expect(parts.every((p) => p.status === 'pending' && p.nonce.length <= 25)).toBe(true);
      expect(new Set(parts.map((p) => p.nonce)).size).toBe(3);
      expect(JSON.parse(parts[1]?.payload ?? '{}').content).toBe('Policy digest (2/3)');
      expect(await getDigest(t.sql, id)).toMatchObject({
        status: 'pending',
        cursorFrom: 0,
        cursorTo: 40,
        storyCount: 9,
      });
      expect(await hasPendingDigest(t.sql, subId)).toBe(true);
    });

    it.each([
      ['a payload that cannot be serialized', { big: 10n }],
      ['a missing payload', undefined],
    ])('is atomic: %s half-way leaves nothing behind', async (_label, bad) => {
      // Not a DiscordMessage: the cast stands for a render bug the types did not catch.
      const parts = [...discordParts(2), { platform: 'discord', payload: bad } as unknown as RenderedPart];
      await expect(
        enqueueDigest(t.sql, {
          subscriptionId: subId,
          parts,
          cursorFrom: 0,
          cursorTo: 5,
          storyCount: 3,
          now: T0,
        }),
      ).rejects.toThrow();
      expect(await outboxStatus(t.sql)).toEqual({ pendingDigests: 0, pendingParts: 0, deadParts: 0 });
      expect(await hasPendingDigest(t.sql, subId)).toBe(false);
      // The rolled-back attempt does not block a good digest afterwards.
      expect(await getParts(t.sql, await enqueue(1))).toHaveLength(1);
    });

    it('refuses a second digest while one is pending, and allows it once delivered', async () => {
      await enqueue(1);
      await expect(enqueue(1)).rejects.toThrow(/already has a pending digest/);
      await deliverPending(deps);
      expect(await hasPendingDigest(t.sql, subId)).toBe(false);
      await expect(enqueue(1, 50)).resolves.toBeGreaterThan(0);
    });

    it('refuses an empty digest and a platform that does not match the subscription', async () => {
      await expect(
        enqueueDigest(t.sql, {
          subscriptionId: subId,
          parts: [],
          cursorFrom: 0,
          cursorTo: 1,
          storyCount: 0,
          now: T0,
        }),
      ).rejects.toThrow(/at least one/);
      await expect(
        enqueueDigest(t.sql, {
          subscriptionId: subId,
          parts: slackParts(1),
          cursorFrom: 0,
          cursorTo: 1,
          storyCount: 1,
          now: T0,
        }),
      ).rejects.toThrow(/is on discord/);
    });
  });

  describe('deliverPending', () => {
    it('posts the parts in order, marks each with its message id, then moves the cursor', async () => {
      const id = await enqueue(3, 42, 'In order');
      clock.advance(1_000);
      expect(await deliverPending(deps)).toEqual({ sent: 3, failed: 0, dead: 0 });
      const posted = discord.messagesIn(CHANNEL).filter((m) => m.body.content.startsWith('In order'));
      expect(posted.map((m) => partNo(m.body.content))).toEqual([1, 2, 3]);
      const parts = await getParts(t.sql, id);
      expect(parts.map((p) => p.platformMessageId)).toEqual(posted.map((m) => m.id));
      expect(parts.every((p) => p.status === 'sent' && p.sentAt === T0 + 1_000)).toBe(true);
      expect(await getDigest(t.sql, id)).toMatchObject({ status: 'delivered', deliveredAt: T0 + 1_000 });
      expect(await cursorOf(t.sql, subId)).toEqual({ cursor: 42, lastDigestAt: T0 + 1_000 });
      expect(await outboxStatus(t.sql)).toEqual({ pendingDigests: 0, pendingParts: 0, deadParts: 0 });
    });

    it('never posts part 2 before part 1 is confirmed', async () => {
      const id = await enqueue(2);
      discord.failNext({ kind: 'server_error' });
      expect(await deliverPending(deps)).toEqual({ sent: 0, failed: 1, dead: 0 });
      expect((await postsOf(id)).map((r) => partNo(r.body.content))).toEqual([1]);
      clock.advance(BACKOFF.baseMs);
      await deliverPending(deps);
      expect((await postsOf(id)).map((r) => partNo(r.body.content))).toEqual([1, 1, 2]);
    });

    it('keeps the cursor until every part is confirmed', async () => {
      const id = await enqueue(3, 77);
      discord.failNext({ kind: 'server_error', status: 503 }, { when: (b) => partNo(b?.content) === 2 });
      expect(await deliverPending(deps)).toEqual({ sent: 1, failed: 1, dead: 0 });
      expect((await getParts(t.sql, id)).map((p) => p.status)).toEqual(['sent', 'pending', 'pending']);
      expect((await getDigest(t.sql, id))?.status).toBe('pending');
      expect(await cursorOf(t.sql, subId)).toEqual({ cursor: 0, lastDigestAt: null });
      expect(await outboxStatus(t.sql)).toEqual({ pendingDigests: 1, pendingParts: 2, deadParts: 0 });

      clock.advance(BACKOFF.baseMs);
      expect(await deliverPending(deps)).toEqual({ sent: 2, failed: 0, dead: 0 });
      expect(await cursorOf(t.sql, subId)).toEqual({ cursor: 77, lastDigestAt: clock.now() });
    });

    it('honours a 429 Retry-After before trying again, then sends', async () => {
      const id = await enqueue(1);
      discord.failNext({ kind: 'rate_limit', retryAfterSec: 20 });
      expect(await deliverPending(deps)).toEqual({ sent: 0, failed: 1, dead: 0 });
      const [part] = await getParts(t.sql, id);
      expect(part?.nextAttemptAt).toBeGreaterThanOrEqual(T0 + 20_000);
      expect(part?.lastError).toMatch(/rate limit/);

      clock.advance(19_000); // before Retry-After: nothing is attempted
      expect(await deliverPending(deps)).toEqual({ sent: 0, failed: 0, dead: 0 });
      expect(await postsOf(id)).toHaveLength(1);

      clock.set(part?.nextAttemptAt ?? 0);
      expect(await deliverPending(deps)).toEqual({ sent: 1, failed: 0, dead: 0 });
      expect((await getDigest(t.sql, id))?.status).toBe('delivered');
    });

    it('retries 5xx with exponential backoff, then sends', async () => {
      const id = await enqueue(1);
      discord.failNext({ kind: 'server_error' }, { times: 2 });
      await deliverPending(deps);
      expect((await getParts(t.sql, id))[0]?.nextAttemptAt).toBe(T0 + BACKOFF.baseMs);
      clock.set(T0 + BACKOFF.baseMs);
      await deliverPending(deps);
      expect((await getParts(t.sql, id))[0]?.nextAttemptAt).toBe(T0 + 3 * BACKOFF.baseMs);
      clock.set(T0 + 3 * BACKOFF.baseMs);
      expect(await deliverPending(deps)).toEqual({ sent: 1, failed: 0, dead: 0 });
      expect((await getParts(t.sql, id))[0]).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
      const nonce = (await getParts(t.sql, id))[0]?.nonce;
      expect(discord.messages.filter((m) => m.nonce === nonce)).toHaveLength(1);
    });

    it('parks a part as dead at once on a permanent error, with the reason, and keeps the cursor', async () => {
      const id = await enqueue(2, 30);
      discord.deleteChannel(CHANNEL);
      try {
        expect(await deliverPending(deps)).toEqual({ sent: 0, failed: 0, dead: 1 });
      } finally {
        discord.addChannel(CHANNEL);
      }
      expect((await getDigest(t.sql, id))?.status).toBe('dead');
      expect((await cursorOf(t.sql, subId)).cursor).toBe(0);
      const dead = await listDeadParts(t.sql);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ digestId: id, seq: 1, partCount: 2, channel: CHANNEL, attempts: 1 });
      expect(dead[0]?.lastError).toMatch(/^channel not found \(Discord 10003\): the channel was deleted/);
      expect(await outboxStatus(t.sql)).toEqual({ pendingDigests: 0, pendingParts: 0, deadParts: 1 });
      // A dead digest no longer blocks composing the next one.
      expect(await hasPendingDigest(t.sql, subId)).toBe(false);

      // The operator fixes the channel and re-queues it: both parts go out and the cursor moves.
      expect(await retryDead(t.sql, id)).toBe(1);
      expect(await deliverPending(deps)).toEqual({ sent: 2, failed: 0, dead: 0 });
      expect((await cursorOf(t.sql, subId)).cursor).toBe(30);
      expect(await listDeadParts(t.sql)).toEqual([]);
    });

    it('gives up after maxAttempts with the last reason', async () => {
      const id = await enqueue(1);
      discord.failNext({ kind: 'server_error' }, { times: 3 });
      for (let i = 0; i < 3; i++) {
        await deliverPending({ ...deps, maxAttempts: 3 });
        clock.advance(BACKOFF.maxMs);
      }
      expect((await getParts(t.sql, id))[0]).toMatchObject({ status: 'dead', attempts: 3 });
      expect((await getParts(t.sql, id))[0]?.lastError).toMatch(
        /^gave up after 3 attempts; last error: Discord server error 500/,
      );
      expect((await getDigest(t.sql, id))?.status).toBe('dead');
    });

    it('does not revive a dead digest that a newer digest superseded', async () => {
      const first = await enqueue(1);
      discord.failNext({ kind: 'missing_access' });
      await deliverPending(deps);
      expect((await listDeadParts(t.sql))[0]?.lastError).toMatch(/^missing access \(Discord 50001\)/);
      await enqueue(1, 60);
      await expect(retryDead(t.sql, first)).rejects.toThrow(/superseded/);
    });

    it('parks a part whose subscription is gone or whose platform has no sender', async () => {
      const id = await enqueue(1);
      expect(await deliverPending({ ...deps, senders: {} })).toEqual({ sent: 0, failed: 0, dead: 1 });
      expect((await getParts(t.sql, id))[0]?.lastError).toMatch(/no discord sender is configured/);
      await retryDead(t.sql, id);
      expect(await deliverPending({ ...deps, targetFor: () => undefined })).toEqual({ sent: 0, failed: 0, dead: 1 });
      expect((await getParts(t.sql, id))[0]?.lastError).toMatch(/no longer exists or is inactive/);
    });

    it('does not post a part twice when two passes overlap', async () => {
      const id = await enqueue(3);
      const [a, b] = await Promise.all([deliverPending(deps), deliverPending(deps)]);
      expect(a).toEqual({ sent: 3, failed: 0, dead: 0 });
      expect(b).toEqual(a);
      expect(await postsOf(id)).toHaveLength(3);
    });

    it('delivers to Slack threads and to the console through the same outbox', async () => {
      const slackSub = await addSubscription(t.sql, {
        platform: 'slack',
        workspace: 'T0FAKETEAM',
        channel: 'C0DESK',
        thread: '1700000000.000100',
      });
      const consoleSub = await addSubscription(t.sql, { platform: 'console', channel: 'stdout', thread: '' });
      const out = new PassThrough();
      const chunks: string[] = [];
      out.on('data', (c: Buffer) => chunks.push(c.toString()));
      const s = await enqueueDigest(t.sql, {
        subscriptionId: slackSub,
        parts: slackParts(2, 'Slack'),
        cursorFrom: 0,
        cursorTo: 9,
        storyCount: 2,
        now: T0,
      });
      await enqueueDigest(t.sql, {
        subscriptionId: consoleSub,
        parts: consoleParts('# Digest (1/1)'),
        cursorFrom: 0,
        cursorTo: 9,
        storyCount: 1,
        now: T0,
      });
      const result = await deliverPending({
        ...deps,
        senders: {
          slack: createSlackSender({ token: slack.token, apiUrl: slack.slackApiUrl }),
          console: createConsoleSender({ out }),
        },
      });
      expect(result).toEqual({ sent: 3, failed: 0, dead: 0 });
      const posts = slack.postsIn('C0DESK');
      expect(posts.map((p) => [partNo(p.text), p.threadTs])).toEqual([
        [1, '1700000000.000100'],
        [2, '1700000000.000100'],
      ]);
      expect((await getParts(t.sql, s)).map((p) => p.platformMessageId)).toEqual(posts.map((p) => p.ts));
      expect(chunks.join('')).toContain('# Digest (1/1)');
      expect((await cursorOf(t.sql, slackSub)).cursor).toBe(9);
      expect((await cursorOf(t.sql, consoleSub)).cursor).toBe(9);
    });
  });
});
