import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSender } from '../../src/chat/discord/sender.js';
import { type ChannelTarget, SendError } from '../../src/chat/types.js';
import type { DiscordMessage } from '../../src/render/types.js';
import { FakeDiscord } from '../helpers/fake-discord.js';

const CHANNEL = '1300000000000000001';
const THREAD = '1300000000000000099';
const target: ChannelTarget = { platform: 'discord', workspace: '1200000000000000001', channel: CHANNEL, thread: '' };
const message: DiscordMessage = {
  content: 'Digest (1/2)',
  embeds: [{ title: 'KOSA markup', description: 'text' }],
  allowed_mentions: { parse: [] },
};

describe('Discord sender against the fake Discord REST API', () => {
  const fake = new FakeDiscord();
  let sender: ReturnType<typeof createDiscordSender>;

  beforeAll(async () => {
    await fake.start();
    fake.addChannel(THREAD, { type: 11, name: 'digest-thread' });
    sender = createDiscordSender({ token: fake.token, apiUrl: fake.restApi });
  });
  afterAll(() => fake.stop());

  it('posts the message with nonce, enforce_nonce and no-ping allowed_mentions', async () => {
    const { messageId } = await sender.send(target, message, { nonce: 'wd1p1-aaaa' });
    const req = fake.messagePosts(CHANNEL).at(-1);
    expect(req?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(req?.body).toMatchObject({
      content: 'Digest (1/2)',
      nonce: 'wd1p1-aaaa',
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
    });
    expect(fake.messagesIn(CHANNEL).map((m) => m.id)).toContain(messageId);
  });

  it('forces allowed_mentions to parse nothing even when the payload asks for pings', async () => {
    // Not a DiscordMessage (its type allows no pings), as a render bug or a hand-edited row could be.
    const pinging = { ...message, allowed_mentions: { parse: ['everyone'] } } as unknown as DiscordMessage;
    await sender.send(target, pinging, { nonce: 'wd1p2-aaaa' });
    expect(fake.messagePosts(CHANNEL).at(-1)?.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('posts into a thread by using the thread id as the channel', async () => {
    await sender.send({ ...target, thread: THREAD }, message, { nonce: 'wd1p3-aaaa' });
    expect(fake.messagesIn(THREAD)).toHaveLength(1);
  });

  it('returns the same message for a repeated nonce and creates no second one', async () => {
    const before = fake.messagesIn(CHANNEL).length;
    const a = await sender.send(target, message, { nonce: 'wd7p1-bbbb' });
    const b = await sender.send(target, message, { nonce: 'wd7p1-bbbb' });
    expect(b.messageId).toBe(a.messageId);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(before + 1);
  });

  it.each([
    [{ kind: 'missing_access' } as const, 'permanent', /^missing access \(Discord 50001\): /],
    [{ kind: 'missing_permissions' } as const, 'permanent', /^missing permissions \(Discord 50013\): /],
    [{ kind: 'unknown_channel' } as const, 'permanent', /^channel not found \(Discord 10003\): /],
    [{ kind: 'server_error', status: 502 } as const, 'transient', /502/],
  ])('classifies %o as %s', async (failure, kind, reason) => {
    fake.failNext(failure);
    const err = await sender.send(target, message, { nonce: 'wd9p1-cccc' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).kind).toBe(kind);
    expect((err as SendError).reason).toMatch(reason);
    // A channel out of reach pauses its subscription; a server error is only retried.
    expect((err as SendError).pause).toBe(kind === 'permanent');
  });

  it('drops thread_name outside forums; in a forum, part 1 becomes a post titled with it and later parts go inside', async () => {
    await sender.send(target, { ...message, thread_name: 'watchdesk digest — 2026-01-03' }, { nonce: 'wd20p1-ffff' });
    expect(fake.messagePosts(CHANNEL).at(-1)?.body).not.toHaveProperty('thread_name');

    const FORUM = '1300000000000000150';
    fake.addChannel(FORUM, { type: 15, name: 'digests' });
    const forum = { ...target, channel: FORUM };
    const first = await sender.send(
      forum,
      { ...message, thread_name: 'watchdesk digest — 2026-01-03' },
      { nonce: 'wd21p1-ffff' },
    );
    expect(fake.forumPosts).toEqual([
      { threadId: first.messageId, forumId: FORUM, name: 'watchdesk digest — 2026-01-03' },
    ]);
    const second = await sender.send(
      forum,
      { ...message, content: 'Digest (2/2)' },
      { nonce: 'wd21p2-ffff', firstMessageId: first.messageId },
    );
    expect(fake.messagesIn(first.messageId).map((m) => m.id)).toEqual([first.messageId, second.messageId]);
    expect(fake.messagePosts(FORUM)).toEqual([]);
  });

  it('reports a deleted channel as permanent with a readable reason', async () => {
    const err = (await sender
      .send({ ...target, channel: '1300000000000000404' }, message, { nonce: 'x' })
      .catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('permanent');
    expect(err.reason).toMatch(/^channel not found \(Discord 10003\): the channel was deleted/);
  });

  it('turns a 429 into rate_limited with Retry-After, without waiting it out', async () => {
    // A fresh client: the 429 exhausts the bucket, which the shared client would remember.
    const own = createDiscordSender({ token: fake.token, apiUrl: fake.restApi });
    fake.failNext({ kind: 'rate_limit', retryAfterSec: 30 });
    const posts = fake.messagePosts().length;
    const err = (await own.send(target, message, { nonce: 'wd10p1-dddd' }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(30_000);
    // The client neither waited nor retried: one request reached Discord, and nothing was created.
    expect(fake.messagePosts().length).toBe(posts + 1);
    expect(fake.messages.some((m) => m.nonce === 'wd10p1-dddd')).toBe(false);
  });

  it('reports a wrong token as permanent and never echoes the token', async () => {
    const bad = createDiscordSender({ token: 'not-the-real-token-123', apiUrl: fake.restApi });
    const err = (await bad.send(target, message, { nonce: 'n1' }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('permanent');
    expect(err.reason).toContain('DISCORD_TOKEN');
    expect(err.reason).not.toContain('not-the-real-token-123');
  });

  it('rejects a nonce longer than 25 characters before sending', async () => {
    const err = (await sender.send(target, message, { nonce: 'x'.repeat(26) }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('permanent');
  });

  it('reports an unreachable API as transient', async () => {
    const port = await closedPort();
    const offline = createDiscordSender({ token: 't0ken', apiUrl: `http://127.0.0.1:${port}/api` });
    const err = (await offline.send(target, message, { nonce: 'n2' }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('transient');
    expect(err.reason).toMatch(/could not reach Discord/);
  });
});

/** A port that was just free: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
