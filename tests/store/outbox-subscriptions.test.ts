import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubscriptionConfig } from '../../src/config/schema.js';
import type { RenderedPart } from '../../src/render/types.js';
import * as outbox from '../../src/store/outbox.js';
import type { Sql } from '../../src/store/sql.js';
import * as subs from '../../src/store/subscriptions.js';
import { type TempStore, tempStore } from '../helpers/db.js';

/**
 * Issue 16: the outbox and subscription queries through Sql, on the backend WATCHDESK_TEST_DB picks (SQLite by
 * default, PostgreSQL with `postgres`): the same answers, transactions and cursor rules on both.
 */
let store: TempStore;
let sql: Sql;
beforeEach(async () => {
  store = await tempStore();
  sql = store.sql;
});
afterEach(() => store.close());

const desk = (over: Partial<SubscriptionConfig> = {}): SubscriptionConfig => ({
  platform: 'console',
  workspace: '',
  channel: 'desk',
  topics: 'all',
  schedule: 'daily 09:00',
  timezone: 'UTC',
  mode: 'digest',
  maxItems: 10,
  minScore: 0,
  ...over,
});
const part = (text: string): RenderedPart => ({ platform: 'console', payload: { text } }) as unknown as RenderedPart;
const digest = (subscriptionId: number, parts: RenderedPart[], cursorTo: number, now = 100) =>
  outbox.insertDigest(sql, {
    subscriptionId,
    parts,
    nonceFor: (id, seq) => `n${id}-${seq}-${now}`,
    cursorFrom: 0,
    cursorTo,
    storyCount: parts.length,
    now,
  });
async function announce(...seqs: number[]): Promise<void> {
  for (const seq of seqs) {
    await sql.run('INSERT INTO stories (title, first_seen_at, updated_at, announce_seq) VALUES (?, 1, 1, ?)', [
      `story ${seq}`,
      seq,
    ]);
  }
}

describe(`outbox and subscriptions on ${process.env.WATCHDESK_TEST_DB || 'sqlite'}`, () => {
  it('starts a new subscription at the newest announcement, and updates it in place by channel', async () => {
    await announce(3, 7);
    const id = await subs.upsertSubscription(sql, desk(), { source: 'command', now: 5 });
    expect(await subs.getSubscription(sql, id)).toMatchObject({ cursor: 7, active: true, topics: 'all', createdAt: 5 });
    await subs.pauseSubscription(sql, id, 'channel gone', 6);
    // a restart syncing the config keeps the pause; a person subscribing again lifts it
    expect(await subs.upsertSubscription(sql, desk({ maxItems: 3 }), { source: 'config', now: 8 })).toBe(id);
    expect(await subs.findSubscription(sql, desk())).toMatchObject({ maxItems: 3, pausedReason: 'channel gone' });
    await subs.upsertSubscription(sql, desk({ topics: ['eu-dsa'] }), { source: 'command', now: 9, resume: true });
    expect(await subs.findSubscription(sql, desk())).toMatchObject({ topics: ['eu-dsa'], pausedReason: null });
    expect(await subs.listSubscriptions(sql)).toHaveLength(1);
  });

  it('syncs the config: upserts its subscriptions and deactivates those gone from the file, in one write', async () => {
    await subs.syncConfigSubscriptions(sql, [desk(), desk({ channel: 'night' })], 1);
    const manual = await subs.upsertSubscription(sql, desk({ channel: 'manual' }), { source: 'command', now: 2 });
    await subs.syncConfigSubscriptions(sql, [desk()], 3);
    const active = await subs.listSubscriptions(sql, { activeOnly: true });
    expect(active.map((s) => s.channel)).toEqual(['desk', 'manual']);
    expect(active.find((s) => s.id === manual)?.source).toBe('command');
    expect(
      await subs.channelSubscriptions(sql, { platform: 'console', workspace: '', channel: 'night' }),
    ).toMatchObject([{ active: false }]);
  });

  it('moves the cursor only when the last part is confirmed, and never backwards', async () => {
    const sub = await subs.upsertSubscription(sql, desk(), { source: 'command', now: 1 });
    const id = await digest(sub, [part('one'), part('two')], 9);
    await expect(digest(sub, [part('again')], 12)).rejects.toMatchObject({ code: 'pending_exists' });
    expect(await outbox.outboxStatus(sql)).toEqual({ pendingDigests: 1, pendingParts: 2, deadParts: 0 });
    const [first, second] = await outbox.unsentParts(sql, id);
    expect(await outbox.recordAttempt(sql, first!)).toBe(1);
    expect(await outbox.markPartSent(sql, first!, 'm1', 10)).toBe(false);
    expect((await subs.getSubscription(sql, sub))?.cursor).toBe(0);
    expect(await outbox.markPartSent(sql, second!, 'm2', 11)).toBe(true);
    expect(await subs.getSubscription(sql, sub)).toMatchObject({ cursor: 9, lastDigestAt: 11 });
    expect(await outbox.getDigest(sql, id)).toMatchObject({ status: 'delivered', deliveredAt: 11, cursorTo: 9 });
    await subs.skipCursor(sql, sub, 4);
    expect((await subs.getSubscription(sql, sub))?.cursor).toBe(9);
    await subs.skipCursor(sql, sub, 15);
    expect((await subs.getSubscription(sql, sub))?.cursor).toBe(15);
  });

  it('rolls the whole digest back when a part cannot be stored', async () => {
    const sub = await subs.upsertSubscription(sql, desk(), { source: 'command', now: 1 });
    const unstorable = { platform: 'console', payload: { big: 10n } } as unknown as RenderedPart;
    await expect(digest(sub, [part('one'), unstorable], 5)).rejects.toThrow();
    expect(await outbox.outboxStatus(sql)).toEqual({ pendingDigests: 0, pendingParts: 0, deadParts: 0 });
    expect(await outbox.hasPendingDigest(sql, sub)).toBe(false);
  });

  it('parks a dead part with its digest, revives it, and refuses to revive a superseded one', async () => {
    const sub = await subs.upsertSubscription(sql, desk(), { source: 'command', now: 1 });
    const id = await digest(sub, [part('one'), part('two')], 5);
    const [first] = await outbox.getParts(sql, id);
    await outbox.markPartDead(sql, first!, 'channel not found');
    expect(await outbox.latestDigestStatus(sql, sub)).toBe('dead');
    expect(await outbox.listDeadParts(sql)).toMatchObject([
      { digestId: id, seq: 1, partCount: 2, channel: 'desk', lastError: 'channel not found' },
    ]);
    expect(await outbox.reviveDeadDigest(sql, id)).toBe(1);
    expect(await outbox.pendingDigests(sql)).toMatchObject([{ id, subscriptionId: sub, cursorTo: 5 }]);
    await outbox.markPartDead(sql, first!, 'again');
    const newer = await digest(sub, [part('three')], 6, 200);
    await expect(outbox.reviveDeadDigest(sql, id)).rejects.toMatchObject({ code: 'superseded' });
    expect(await outbox.subscriptionTargetRow(sql, sub)).toMatchObject({ platform: 'console', channel: 'desk' });
    expect(await subs.removeSubscription(sql, sub)).toBe(true);
    expect(await outbox.getDigest(sql, newer)).toBeUndefined();
  });

  it('lists instant subscriptions behind the newest announcement, not those waiting or already offered', async () => {
    const instant = await subs.upsertSubscription(sql, desk({ mode: 'instant' }), { source: 'command', now: 1 });
    await subs.upsertSubscription(sql, desk({ channel: 'daily' }), { source: 'command', now: 1 });
    expect(await subs.instantSubscriptionsBehind(sql)).toEqual([]);
    await announce(1, 2);
    expect((await subs.instantSubscriptionsBehind(sql)).map((s) => s.id)).toEqual([instant]);
    const id = await digest(instant, [part('news')], 2);
    expect(await subs.instantSubscriptionsBehind(sql)).toEqual([]); // its digest is pending
    await outbox.markPartDead(sql, (await outbox.getParts(sql, id))[0]!, 'down');
    expect(await subs.instantSubscriptionsBehind(sql)).toEqual([]); // offered already, until the next story
    await announce(3);
    expect((await subs.instantSubscriptionsBehind(sql)).map((s) => s.id)).toEqual([instant]);
    await subs.pauseSubscription(sql, instant, 'gone', 4);
    expect(await subs.instantSubscriptionsBehind(sql)).toEqual([]);
    expect(await subs.resumeSubscription(sql, instant)).toBe(true);
    await subs.setActive(sql, instant, false);
    expect(await subs.instantSubscriptionsBehind(sql)).toEqual([]);
  });
});
