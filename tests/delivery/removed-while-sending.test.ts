import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/chat/console/sender.js';
import {
  type DeliverDeps,
  deliverPending,
  enqueueDigest,
  getDigest,
  getParts,
  targetFromStore,
} from '../../src/delivery/outbox.js';
import { getSubscription, removeSubscription } from '../../src/store/subscriptions.js';
import { tempDb } from '../helpers/db.js';
import { until } from '../helpers/wait.js';
import { addSubscription, consoleParts, T0 } from './fixtures.js';

/**
 * A stdout that holds each write until the test releases it, so that a post can be caught in
 * flight while the subscription is removed and a new one composes a digest.
 */
class HeldStream extends Writable {
  readonly held: (() => void)[] = [];
  text = '';
  override _write(chunk: Buffer, _enc: string, done: (err?: Error | null) => void): void {
    this.text += chunk.toString('utf8');
    this.held.push(() => done());
  }
}

describe('a subscription removed while its digest is being sent', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.close());

  it('deletes the digest, posts none of its remaining parts, and never marks a new digest that reused its ids', async () => {
    t = tempDb();
    const db = t.sql;
    const out = new HeldStream();
    const deps: DeliverDeps = {
      db: db,
      senders: { console: createConsoleSender({ out }) },
      now: () => T0,
      targetFor: targetFromStore(db),
    };
    const old = await addSubscription(db, { platform: 'console', channel: 'old', thread: '' });
    const oldDigest = await enqueueDigest(db, {
      subscriptionId: old,
      parts: consoleParts('old part one', 'old part two'),
      cursorFrom: 0,
      cursorTo: 5,
      storyCount: 2,
      now: T0,
    });
    const oldParts = await getParts(db, oldDigest);

    const pass = deliverPending(deps);
    await until(() => out.held.length > 0, 5_000, 5);
    expect(out.text).toContain('old part one');

    // removed mid-post: the cascade deletes its digest; a new channel composes at once
    expect(await removeSubscription(db, old)).toBe(true);
    expect(await getDigest(db, oldDigest)).toBeUndefined();
    const fresh = await addSubscription(db, { platform: 'console', channel: 'new', thread: '' });
    const freshDigest = await enqueueDigest(db, {
      subscriptionId: fresh,
      parts: consoleParts('new part one', 'new part two'),
      cursorFrom: 0,
      cursorTo: 9,
      storyCount: 2,
      now: T0,
    });
    const freshParts = await getParts(db, freshDigest);
    // SQLite hands out the freed ids again: the race is real, not hypothetical
    expect(freshDigest).toBe(oldDigest);
    expect(freshParts.map((p) => p.id)).toEqual(oldParts.map((p) => p.id));

    out.held.shift()?.();
    await pass;
    // the late answer for the old part marked nothing, and the old part two was never posted
    expect((await getParts(db, freshDigest)).map((p) => [p.status, p.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    expect(out.text).not.toContain('old part two');
    expect((await getSubscription(db, fresh))!.cursor).toBe(0);

    // the new digest goes out in full, then moves its own cursor
    const second = deliverPending(deps);
    for (let released = 0; released < 2; ) {
      const next = out.held.shift();
      if (next) {
        next();
        released++;
      } else await new Promise((r) => setTimeout(r, 5));
    }
    await second;
    expect(out.text.indexOf('new part one')).toBeLessThan(out.text.indexOf('new part two'));
    expect((await getDigest(db, freshDigest))!.status).toBe('delivered');
    expect((await getSubscription(db, fresh))!.cursor).toBe(9);
  });
});
