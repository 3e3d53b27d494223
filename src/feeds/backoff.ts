/**
 * When to poll a feed next. Pure functions of time and counts, so the schedule is testable
 * without waiting.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * After a good poll: the feed's interval, raised to the publisher's own hints (Cache-Control
 * max-age, RSS <ttl>) when those ask for longer. The hints only ever slow polling down, and
 * their effect is capped at one day so a silly max-age cannot silence a feed.
 */
export function nextPollAfterSuccess(p: {
  now: number;
  intervalMs: number;
  maxAgeMs: number | null;
  ttlMinutes: number | null;
}): number {
  return p.now + Math.max(p.intervalMs, lowerBoundMs(p.maxAgeMs, p.ttlMinutes) ?? 0);
}

/** The publisher's requested minimum interval (max of max-age and ttl, capped at a day), or null. */
export function lowerBoundMs(maxAgeMs: number | null, ttlMinutes: number | null): number | null {
  const hints = [maxAgeMs, ttlMinutes === null ? null : ttlMinutes * 60_000].filter(
    (v): v is number => v !== null && Number.isFinite(v) && v > 0,
  );
  if (hints.length === 0) return null;
  return Math.min(Math.max(...hints), DAY_MS);
}

/**
 * After a failed poll: the interval doubled per consecutive failure (1st failure → interval,
 * 2nd → 2×, 3rd → 4×, …) and capped at maxBackoffMs. A server's Retry-After is honoured as a
 * floor, itself capped at maxBackoffMs so that an absurd value cannot stall the feed forever.
 * No jitter: the per-host limiter already spreads requests, and a deterministic schedule is
 * one a person can predict from `feeds list`.
 */
export function nextPollAfterFailure(p: {
  now: number;
  intervalMs: number;
  consecutiveFailures: number;
  maxBackoffMs: number;
  retryAfterMs?: number;
}): number {
  const failures = Math.max(1, Math.floor(p.consecutiveFailures));
  // 2^40 intervals is far past any cap; clamping the exponent avoids Infinity arithmetic.
  const exponential = p.intervalMs * 2 ** Math.min(failures - 1, 40);
  const backoff = Math.min(exponential, p.maxBackoffMs);
  const retryAfter =
    p.retryAfterMs !== undefined && Number.isFinite(p.retryAfterMs) && p.retryAfterMs > 0
      ? Math.min(p.retryAfterMs, p.maxBackoffMs)
      : 0;
  return p.now + Math.max(backoff, retryAfter);
}

/** A feed that has failed maxFailures times in a row is disabled until someone re-enables it. */
export function stateAfterFailure(consecutiveFailures: number, maxFailures: number): 'failing' | 'disabled' {
  return consecutiveFailures >= maxFailures ? 'disabled' : 'failing';
}
