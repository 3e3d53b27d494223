import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  lowerBoundMs,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  stateAfterFailure,
} from '../../src/feeds/backoff.js';

const NOW = 1_770_000_000_000;
const MIN = 60_000;

describe('nextPollAfterSuccess', () => {
  it.each([
    ['no hints: the interval', 15 * MIN, null, null, 15 * MIN],
    ['max-age shorter than the interval is ignored', 15 * MIN, 5 * MIN, null, 15 * MIN],
    ['max-age longer than the interval wins', 15 * MIN, 60 * MIN, null, 60 * MIN],
    ['ttl longer than the interval wins', 15 * MIN, null, 90, 90 * MIN],
    ['the larger of max-age and ttl', 15 * MIN, 120 * MIN, 30, 120 * MIN],
    ['a year of max-age is capped at a day', 15 * MIN, 365 * DAY_MS, null, DAY_MS],
    ['a huge ttl is capped at a day', 15 * MIN, null, 100_000, DAY_MS],
    ['an interval longer than a day is kept', 2 * DAY_MS, 365 * DAY_MS, null, 2 * DAY_MS],
    ['zero and negative hints are ignored', 15 * MIN, 0, -5, 15 * MIN],
  ])('%s', (_name, intervalMs, maxAgeMs, ttlMinutes, delay) => {
    expect(nextPollAfterSuccess({ now: NOW, intervalMs, maxAgeMs, ttlMinutes })).toBe(NOW + delay);
  });

  it('lowerBoundMs is null without hints', () => {
    expect(lowerBoundMs(null, null)).toBeNull();
    expect(lowerBoundMs(3 * MIN, 2)).toBe(3 * MIN);
  });
});

describe('nextPollAfterFailure', () => {
  const base = { now: NOW, intervalMs: 15 * MIN, maxBackoffMs: DAY_MS };
  it.each([
    [1, 15 * MIN],
    [2, 30 * MIN],
    [3, 60 * MIN],
    [4, 120 * MIN],
    [7, 960 * MIN],
    [8, DAY_MS], // 1920 min is past the cap
    [500, DAY_MS], // no overflow for absurd counts
  ])('after %i consecutive failures waits %i ms', (consecutiveFailures, delay) => {
    expect(nextPollAfterFailure({ ...base, consecutiveFailures })).toBe(NOW + delay);
  });

  it('never polls earlier than Retry-After', () => {
    expect(nextPollAfterFailure({ ...base, consecutiveFailures: 1, retryAfterMs: 2 * 3_600_000 })).toBe(
      NOW + 2 * 3_600_000,
    );
  });

  it('keeps the backoff when it is later than Retry-After', () => {
    expect(nextPollAfterFailure({ ...base, consecutiveFailures: 5, retryAfterMs: 60_000 })).toBe(NOW + 240 * MIN);
  });

  it('caps an absurd Retry-After at the maximum backoff', () => {
    expect(nextPollAfterFailure({ ...base, consecutiveFailures: 1, retryAfterMs: 30 * DAY_MS })).toBe(NOW + DAY_MS);
  });

  it('respects a smaller configured cap', () => {
    expect(nextPollAfterFailure({ ...base, consecutiveFailures: 6, maxBackoffMs: 3_600_000 })).toBe(NOW + 3_600_000);
  });
});

describe('stateAfterFailure', () => {
  it.each([
    [1, 10, 'failing'],
    [9, 10, 'failing'],
    [10, 10, 'disabled'],
    [11, 10, 'disabled'],
    [1, 1, 'disabled'],
  ] as const)('%i of %i → %s', (failures, max, state) => {
    expect(stateAfterFailure(failures, max)).toBe(state);
  });
});
