import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubscriptionConfig } from '../../src/config/schema.js';
import type { RenderedPart } from '../../src/render/types.js';
import { claimPartAttempt, claimScheduleSlot, dueDeliveries } from '../../src/store/job-claims.js';
import * as outbox from '../../src/store/outbox.js';
import type { Sql } from '../../src/store/sql.js';
import * as subs from '../../src/store/subscriptions.js';
import { type TempStore, tempStore } from '../helpers/db.js';

/**
 * Issue 17: the claims that let several processes share a store's work as jobs (src/jobs/), on the backend
 * WATCHDESK_TEST_DB picks: two processes (two connections or pools) claiming the same slot or part, one wins.
 * Feed claims are in tests/jobs/poll-feed.test.ts.
 */
let store: TempStore;
let sql: Sql;
let other: Sql;
beforeEach(async () => {
  store = await tempStore();
  sql = store.sql;
  other = await store.open();
});
afterEach(() => store.close());

const desk: SubscriptionConfig = {
  platform: 'console',
  workspace: '',
  channel: 'desk',
  topics: 'all',
  schedule: 'hourly',
  timezone: 'UTC',
  mode: 'digest',
  maxItems: 10,
  minScore: 0,
};
const part = (text: string): RenderedPart => ({ platform: 'console', payload: text }) as unknown as RenderedPart;

describe(`job claims on ${process.env.WATCHDESK_TEST_DB || 'sqlite'}`, () => {
  it('gives a scheduled slot to one process, and a catch-up of several slots is one claim', async () => {
    const id = await subs.upsertSubscription(sql, desk, { source: 'config', now: 1_000 });
    const claims = await Promise.all([
      claimScheduleSlot(sql, id, { slot: 3_600_000, now: 3_600_500 }),
      claimScheduleSlot(other, id, { slot: 3_600_000, now: 3_600_700 }),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    // The next slot is another run; any slot before the last run is none.
    expect(await claimScheduleSlot(other, id, { slot: 3_600_000, now: 3_700_000 })).toBe(false);
    expect(await claimScheduleSlot(other, id, { slot: 7_200_000, now: 9 * 3_600_000 })).toBe(true);
    expect(await claimScheduleSlot(sql, id, { slot: 8 * 3_600_000, now: 9 * 3_600_000 })).toBe(false);
  });

  it('gives a due part to one process for one attempt, until the claim lapses', async () => {
    const id = await subs.upsertSubscription(sql, desk, { source: 'config', now: 1 });
    const digestId = await outbox.insertDigest(sql, {
      subscriptionId: id,
      parts: [part('one'), part('two')],
      nonceFor: (d, seq) => `n${d}-${seq}`,
      cursorFrom: 0,
      cursorTo: 0,
      storyCount: 2,
      now: 100,
    });
    expect(await dueDeliveries(sql, 100)).toEqual([id]);
    const [first] = await outbox.unsentParts(sql, digestId);
    const attempts = await Promise.all([
      claimPartAttempt(sql, first!, { now: 100, until: 1_100 }),
      claimPartAttempt(other, first!, { now: 100, until: 1_100 }),
    ]);
    expect(attempts.sort()).toEqual([1, null]);
    // Claimed: not due for anyone until it lapses; then the next attempt is the second.
    expect(await claimPartAttempt(other, first!, { now: 1_099, until: 2_000 })).toBeNull();
    expect(await claimPartAttempt(other, first!, { now: 1_100, until: 2_100 })).toBe(2);
    await outbox.markPartSent(other, first!, 'm1', 1_200);
    expect(await claimPartAttempt(sql, first!, { now: 5_000, until: 6_000 })).toBeNull();
  });
});
