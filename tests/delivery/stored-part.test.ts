import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/chat/console/sender.js';
import { SendError } from '../../src/chat/types.js';
import { deliverPending, enqueueDigest, getParts, targetFromStore } from '../../src/delivery/outbox.js';
import { readStoredPart } from '../../src/delivery/stored-part.js';
import type { Platform, RenderedPart } from '../../src/render/types.js';
import { tempDb } from '../helpers/db.js';
import { addSubscription, discordParts, slackParts, T0 } from './fixtures.js';

const [discordPart] = discordParts(1);
const [slackPart] = slackParts(1);

describe('readStoredPart', () => {
  it.each([
    ['console Markdown', 'console', JSON.stringify('# Digest'), { platform: 'console', payload: '# Digest' }],
    ['a Discord message', 'discord', JSON.stringify(discordPart?.payload), discordPart],
    ['a Slack message', 'slack', JSON.stringify(slackPart?.payload), slackPart],
  ] as const)('reads %s back as the part that was stored', (_label, platform, json, expected) => {
    expect(readStoredPart(platform, json)).toEqual(expected);
  });

  it.each([
    ['an object on the console', 'console', { embeds: [] }, 'console payload is not Markdown text (render bug)'],
    ['text on Discord', 'discord', '# Digest', 'Discord payload is not a message object (render bug)'],
    ['a Slack message on Discord', 'discord', slackPart?.payload, 'Discord payload is not a message object'],
    ['a Discord message on Slack', 'slack', discordPart?.payload, 'Slack payload is not a message object'],
    ['null on Slack', 'slack', null, 'Slack payload is not a message object'],
  ] as const)('refuses %s as a permanent error', (_label, platform: Platform, payload, reason) => {
    const err = catchError(() => readStoredPart(platform, JSON.stringify(payload)));
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).kind).toBe('permanent');
    expect((err as SendError).reason).toContain(reason);
  });
});

describe('a stored part that does not fit its platform', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.close());

  it('is parked as dead with the reason and reaches no sender', async () => {
    t = tempDb();
    const sub = await addSubscription(t.sql, { platform: 'console', channel: 'desk', thread: '' });
    // Not a console part: the cast stands for a render bug or a hand-edited row.
    const bad = { platform: 'console', payload: { embeds: [] } } as unknown as RenderedPart;
    const digestId = await enqueueDigest(t.sql, {
      subscriptionId: sub,
      parts: [bad],
      cursorFrom: 0,
      cursorTo: 3,
      storyCount: 1,
      now: T0,
    });
    const out = new PassThrough();
    let written = '';
    out.on('data', (c: Buffer) => {
      written += c.toString();
    });
    const result = await deliverPending({
      db: t.sql,
      senders: { console: createConsoleSender({ out }) },
      now: () => T0,
      targetFor: targetFromStore(t.sql),
    });
    expect(result).toEqual({ sent: 0, failed: 0, dead: 1 });
    expect((await getParts(t.sql, digestId))[0]).toMatchObject({
      status: 'dead',
      lastError: 'console payload is not Markdown text (render bug)',
    });
    expect(written).toBe('');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
