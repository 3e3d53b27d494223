import { describe, expect, it } from 'vitest';
import { SendError } from '../../src/chat/types.js';
import { backoffDelay, DEFAULT_BACKOFF, decideRetry } from '../../src/delivery/retry.js';

describe('backoffDelay', () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [6, 960_000],
    [7, 1_800_000],
    [50, 1_800_000],
    [10_000, 1_800_000],
  ])('after %i failed attempts waits %i ms by default', (attempts, ms) => {
    expect(backoffDelay(attempts, DEFAULT_BACKOFF)).toBe(ms);
  });
});

describe('decideRetry', () => {
  const base = { attempts: 1, maxAttempts: 8, now: 1_000, backoff: { baseMs: 100, maxMs: 1_000 } };

  it.each([
    ['a permanent error parks at once', new SendError('permanent', 'gone'), base, { action: 'dead', reason: 'gone' }],
    [
      'a 429 waits exactly Retry-After, even beyond the backoff ceiling',
      new SendError('rate_limited', 'slow down', { retryAfterMs: 5_000 }),
      base,
      { action: 'retry', at: 6_000, reason: 'slow down' },
    ],
    [
      'a 429 without Retry-After follows the backoff',
      new SendError('rate_limited', 'slow down'),
      { ...base, attempts: 3 },
      { action: 'retry', at: 1_400, reason: 'slow down' },
    ],
    [
      'a transient error follows the backoff',
      new SendError('transient', '502'),
      { ...base, attempts: 2 },
      { action: 'retry', at: 1_200, reason: '502' },
    ],
    [
      'the last allowed attempt parks with the last reason',
      new SendError('transient', '502'),
      { ...base, attempts: 8 },
      { action: 'dead', reason: 'gave up after 8 attempts; last error: 502' },
    ],
    [
      'rate limits get four times the attempts before a part is parked',
      new SendError('rate_limited', 'slow down', { retryAfterMs: 2_000 }),
      { ...base, attempts: 8 },
      { action: 'retry', at: 3_000, reason: 'slow down' },
    ],
    [
      'a rate limit that never lifts still ends',
      new SendError('rate_limited', 'slow down', { retryAfterMs: 2_000 }),
      { ...base, attempts: 32 },
      { action: 'dead', reason: 'gave up after 32 attempts; last error: slow down' },
    ],
  ])('%s', (_label, err, p, expected) => {
    expect(decideRetry(err, p)).toEqual(expected);
  });
});
