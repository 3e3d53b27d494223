import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../src/chat/slack/sender.js';
import { type ChannelTarget, type PartInfo, SendError } from '../../src/chat/types.js';
import type { SlackMessage } from '../../src/render/types.js';
import { FakeSlack } from '../helpers/fake-slack.js';

const target: ChannelTarget = { platform: 'slack', workspace: 'T0FAKETEAM', channel: 'C0DIGEST', thread: '' };
const message: SlackMessage = {
  text: 'Policy digest (1/2)',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*KOSA markup* moved forward' } }],
  unfurl_links: false,
  unfurl_media: false,
};

describe('Slack sender against the fake Slack Web API', () => {
  const fake = new FakeSlack();
  let sender: ReturnType<typeof createSlackSender>;

  beforeAll(async () => {
    await fake.start();
    sender = createSlackSender({ token: fake.token, apiUrl: fake.slackApiUrl });
  });
  afterAll(() => fake.stop());

  it('posts channel, text and blocks and returns the message ts', async () => {
    const { messageId } = await sender.send(target, message, { nonce: 'wd1p1' });
    const post = fake.posts.at(-1);
    expect(post).toMatchObject({ channel: 'C0DIGEST', text: 'Policy digest (1/2)', blocks: message.blocks });
    expect(post?.threadTs).toBeUndefined();
    expect(messageId).toBe(post?.ts);
  });

  it('posts into a thread with thread_ts', async () => {
    await sender.send({ ...target, thread: '1700000000.000100' }, message, { nonce: 'wd1p2' });
    expect(fake.posts.at(-1)?.threadTs).toBe('1700000000.000100');
  });

  it('turns ratelimited into rate_limited with Retry-After and makes exactly one call', async () => {
    fake.failNext({ kind: 'ratelimited', retryAfterSec: 7 });
    const calls = fake.calls.length;
    const err = (await sender.send(target, message, { nonce: 'n' }).catch((e: unknown) => e)) as SendError;
    expect(err).toBeInstanceOf(SendError);
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(7_000);
    expect(fake.calls.length).toBe(calls + 1);
  });

  it.each([
    ['channel_not_found', 'permanent', /^channel not found \(Slack channel_not_found\): /],
    ['is_archived', 'permanent', /archived/],
    ['invalid_auth', 'permanent', /SLACK_BOT_TOKEN/],
    ['missing_scope', 'permanent', /watchdesk slack manifest/],
    ['internal_error', 'transient', /internal_error/],
  ])('classifies %s as %s', async (error, kind, reason) => {
    fake.failNext({ kind: 'error', error });
    const err = (await sender.send(target, message, { nonce: 'n' }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe(kind);
    expect(err.reason).toMatch(reason);
  });

  it('reports a deleted channel from the fake itself as permanent', async () => {
    fake.deleteChannel('C0GONE');
    const err = (await sender
      .send({ ...target, channel: 'C0GONE' }, message, { nonce: 'n' })
      .catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('permanent');
    expect(err.reason).toContain('channel C0GONE');
  });

  it('treats HTTP 500 as transient without retrying inside the client', async () => {
    fake.failNext({ kind: 'http', status: 500 });
    const calls = fake.calls.length;
    const err = (await sender.send(target, message, { nonce: 'n' }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('transient');
    expect(err.reason).toContain('500');
    expect(fake.calls.length).toBe(calls + 1);
  });

  it('reports a wrong token as permanent without echoing it', async () => {
    const bad = createSlackSender({ token: 'xoxb-wrong-token-999', apiUrl: fake.slackApiUrl });
    const err = (await bad.send(target, message, { nonce: 'n' }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('permanent');
    expect(err.reason).not.toContain('xoxb-wrong-token-999');
  });

  it('reports an unreachable API as transient', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const offline = createSlackSender({ token: 'xoxb-x', apiUrl: `http://127.0.0.1:${port}/api/` });
    const err = (await offline.send(target, message, { nonce: 'n' }).catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('transient');
    expect(err.reason).toMatch(/could not reach Slack/);
  });
});

describe('Slack sender: parts, threads, joining, and finding a part posted before a crash', () => {
  const fake = new FakeSlack();
  const refused: string[] = [];
  const lookups: string[] = [];
  let sender: ReturnType<typeof createSlackSender>;
  const part = (seq: number, extra: Partial<PartInfo> = {}): PartInfo => ({
    digestId: 7,
    seq,
    count: 3,
    attempt: 1,
    createdAt: Date.now(),
    ...extra,
  });

  beforeAll(async () => {
    await fake.start();
    sender = createSlackSender({
      token: fake.token,
      apiUrl: fake.slackApiUrl,
      botName: 'policybot',
      onTokenRefused: (code) => refused.push(code),
      onLookupFailed: (reason) => lookups.push(reason),
    });
  });
  afterAll(() => fake.stop());

  it('tags every part with watchdesk_digest_part metadata and threads later parts under the first', async () => {
    const chan = { ...target, channel: 'C0PARTS' };
    const first = await sender.send(chan, message, { nonce: 'wd7p1-aa', part: part(1) });
    await sender.send(chan, message, { nonce: 'wd7p2-aa', firstMessageId: first.messageId, part: part(2) });
    const [p1, p2] = fake.postsIn('C0PARTS');
    expect(p1?.metadata).toEqual({
      event_type: 'watchdesk_digest_part',
      event_payload: { digest_id: 7, part: 1, parts: 3, nonce: 'wd7p1-aa' },
    });
    expect(p1?.threadTs).toBeUndefined();
    expect(p2?.threadTs).toBe(first.messageId);
    expect(p2?.metadata?.event_payload).toMatchObject({ part: 2, nonce: 'wd7p2-aa' });
  });

  it('a retry finds the part it posted before (in the channel or the thread) and does not post it again', async () => {
    const chan = { ...target, channel: 'C0RETRY' };
    const first = await sender.send(chan, message, { nonce: 'wd8p1-bb', part: part(1, { digestId: 8 }) });
    const second = await sender.send(chan, message, {
      nonce: 'wd8p2-bb',
      firstMessageId: first.messageId,
      part: part(2, { digestId: 8 }),
    });
    const posts = fake.postsIn('C0RETRY').length;
    const again1 = await sender.send(chan, message, { nonce: 'wd8p1-bb', part: part(1, { digestId: 8, attempt: 2 }) });
    const again2 = await sender.send(chan, message, {
      nonce: 'wd8p2-bb',
      firstMessageId: first.messageId,
      part: part(2, { digestId: 8, attempt: 3 }),
    });
    expect([again1.messageId, again2.messageId]).toEqual([first.messageId, second.messageId]);
    expect(fake.postsIn('C0RETRY')).toHaveLength(posts);
    expect(fake.callsOf('conversations.history').at(-1)?.args).toMatchObject({
      channel: 'C0RETRY',
      include_all_metadata: 'true',
    });
    expect(fake.callsOf('conversations.replies').at(-1)?.args).toMatchObject({ ts: first.messageId });
    // A retry of a part that never reached Slack finds nothing and posts it.
    await sender.send(chan, message, {
      nonce: 'wd8p3-bb',
      firstMessageId: first.messageId,
      part: part(3, { digestId: 8, attempt: 2 }),
    });
    expect(fake.postsIn('C0RETRY')).toHaveLength(posts + 1);
  });

  it('a lookup Slack refuses (no history scope) is told, and the part is posted', async () => {
    fake.failNext({ kind: 'error', error: 'missing_scope' }, { method: 'conversations.history' });
    const chan = { ...target, channel: 'C0NOSCOPE' };
    await sender.send(chan, message, { nonce: 'wd9p1-cc', part: part(1, { digestId: 9, attempt: 2 }) });
    expect(fake.postsIn('C0NOSCOPE')).toHaveLength(1);
    expect(lookups.at(-1)).toMatch(/could not read channel C0NOSCOPE .*missing_scope.*may repeat it once/);
  });

  it('a lookup that is rate limited throws rate_limited without posting', async () => {
    fake.failNext({ kind: 'ratelimited', retryAfterSec: 3 }, { method: 'conversations.history' });
    const err = (await sender
      .send({ ...target, channel: 'C0BUSY' }, message, { nonce: 'wd10p1', part: part(1, { attempt: 2 }) })
      .catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('rate_limited');
    expect(fake.postsIn('C0BUSY')).toHaveLength(0);
  });

  it('not_in_channel in a public channel: joins, then posts', async () => {
    fake.removeBot('C0PUBLIC', { private: false });
    await sender.send({ ...target, channel: 'C0PUBLIC' }, message, { nonce: 'wd11p1', part: part(1) });
    expect(fake.callsOf('conversations.join').at(-1)?.args.channel).toBe('C0PUBLIC');
    expect(fake.postsIn('C0PUBLIC')).toHaveLength(1);
  });

  it('not_in_channel in a private channel: pauses, saying how to invite the bot', async () => {
    fake.removeBot('G0PRIVATE', { private: true });
    const err = (await sender
      .send({ ...target, channel: 'G0PRIVATE' }, message, { nonce: 'wd12p1', part: part(1) })
      .catch((e: unknown) => e)) as SendError;
    expect(err.pause).toBe(true);
    expect(err.reason).toMatch(/private.*\/invite @policybot in that channel; channel G0PRIVATE/);
    expect(fake.postsIn('G0PRIVATE')).toHaveLength(0);
  });

  it.each(['channel_not_found', 'is_archived'])('%s pauses the subscription', async (error) => {
    fake.failNext({ kind: 'error', error });
    const err = (await sender
      .send(target, message, { nonce: 'n', part: part(1) })
      .catch((e: unknown) => e)) as SendError;
    expect(err.kind).toBe('permanent');
    expect(err.pause).toBe(true);
  });

  it('a refused token is reported to onTokenRefused, and is not a pause', async () => {
    fake.failNext({ kind: 'error', error: 'token_revoked' });
    const err = (await sender
      .send(target, message, { nonce: 'n', part: part(1) })
      .catch((e: unknown) => e)) as SendError;
    expect(err.pause).toBe(false);
    expect(err.reason).toMatch(/token revoked.*SLACK_BOT_TOKEN/);
    expect(refused).toEqual(['token_revoked']);
  });
});
