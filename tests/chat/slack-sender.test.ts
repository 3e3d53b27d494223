import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../src/chat/slack/sender.js';
import { type ChannelTarget, SendError } from '../../src/chat/types.js';
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
    ['not_in_channel', 'permanent', /invite the app/],
    ['is_archived', 'permanent', /archived/],
    ['invalid_auth', 'permanent', /SLACK_BOT_TOKEN/],
    ['missing_scope', 'permanent', /chat:write/],
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
