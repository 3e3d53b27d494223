/**
 * Issue 15, exactly once beyond Discord's nonce window. A part is created on Discord but its answer never comes
 * back; the bot then stays down for 30 minutes of the fake's time, far past the 5-minute nonce window, so the
 * same nonce would now make a second message. The retry must look for the part's marker among the bot's recent
 * messages first, find it, and mark it sent without posting it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSender } from '../../src/chat/discord/sender.js';
import { fixedClock } from '../../src/clock.js';
import { deliverPending, enqueueDigest, getDigest, getParts, targetFromStore } from '../../src/delivery/outbox.js';
import { addSubscription, cursorOf, discordParts, partNo, T0 } from '../delivery/fixtures.js';
import { tempDb } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { recordCounts } from './counts.js';

const CHANNEL = '1300000000000000001';
const MINUTE = 60_000;

describe('exactly once beyond the nonce window (Discord)', () => {
  const clock = fixedClock(T0);
  const fake = new FakeDiscord({ now: clock.now, nonceWindowMs: 5 * MINUTE });
  let t: ReturnType<typeof tempDb>;
  beforeAll(async () => {
    await fake.start();
    t = tempDb();
  });
  afterAll(async () => {
    t.close();
    await fake.stop();
  });

  it('a part created but unconfirmed for 30 minutes is found by its marker, not posted again', async () => {
    const sub = await addSubscription(t.sql, {
      platform: 'discord',
      workspace: '1200000000000000001',
      channel: CHANNEL,
      thread: '',
    });
    const digestId = await enqueueDigest(t.sql, {
      subscriptionId: sub,
      parts: discordParts(3),
      cursorFrom: 0,
      cursorTo: 30,
      storyCount: 3,
      now: clock.now(),
    });
    const deps = (timeoutMs: number) => ({
      db: t.sql,
      senders: { discord: createDiscordSender({ token: fake.token, apiUrl: fake.restApi, timeoutMs, now: clock.now }) },
      now: clock.now,
      targetFor: targetFromStore(t.sql),
    });
    // part 2 is created on Discord, and its answer is lost: the sender gives up waiting
    fake.failNext({ kind: 'hang_after_create' }, { when: (b) => partNo(b?.content) === 2 });
    const first = await deliverPending(deps(300));
    expect(first.sent).toBe(1);
    expect((await getParts(t.sql, digestId)).map((p) => p.status)).toEqual(['sent', 'pending', 'pending']);
    expect(fake.messagesIn(CHANNEL).map((m) => partNo(m.body.content))).toEqual([1, 2]);
    // every part names itself in its last line
    expect(fake.messagesIn(CHANNEL)[1]!.body.content).toMatch(/\n-# ref \S+$/);

    // the bot is down past the window: the nonce alone would now create a second message
    clock.advance(30 * MINUTE);
    const second = await deliverPending(deps(5_000));
    expect(second).toMatchObject({ sent: 2, failed: 0, dead: 0 });
    expect(fake.messagesIn(CHANNEL).map((m) => partNo(m.body.content))).toEqual([1, 2, 3]);
    expect(fake.messagePosts(CHANNEL).map((r) => partNo(r.body.content))).toEqual([1, 2, 3]);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/channels/${CHANNEL}/messages`)).toBe(true);
    const parts = await getParts(t.sql, digestId);
    expect(parts.map((p) => p.platformMessageId)).toEqual(fake.messagesIn(CHANNEL).map((m) => m.id));
    expect((await getDigest(t.sql, digestId))?.status).toBe('delivered');
    expect((await cursorOf(t.sql, sub)).cursor).toBe(30);
    recordCounts('nonce window', { inputs: 1, lost: 0, duplicates: 0 });
  });

  it('the fake really forgets the nonce after its window, so without the lookup part 2 would be there twice', async () => {
    const rest = createDiscordSender({ token: fake.token, apiUrl: fake.restApi, now: clock.now });
    const target = { platform: 'discord' as const, workspace: '', channel: CHANNEL, thread: '' };
    const payload = discordParts(1, 'Control')[0]!.payload;
    const a = await rest.send(target, payload, { nonce: 'control-nonce' });
    clock.advance(6 * MINUTE);
    const b = await rest.send(target, payload, { nonce: 'control-nonce' });
    expect(b.messageId).not.toBe(a.messageId);
  });
});
