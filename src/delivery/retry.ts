import type { SendError } from '../chat/types.js';

export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs: number;
  /** Ceiling for any one delay. */
  maxMs: number;
}

/**
 * 30 s doubling to 30 min: with the default 8 attempts a part keeps trying for about an hour,
 * which rides out a typical platform incident. Discord's nonce window is a few minutes, so the
 * early retries (where a lost response is most likely) stay inside it.
 */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 30_000, maxMs: 30 * 60_000 };
export const DEFAULT_MAX_ATTEMPTS = 8;
export const RATE_LIMIT_ATTEMPT_FACTOR = 4;

/**
 * Delay before the next attempt after `attempts` failed ones (1-based): base, 2·base, 4·base…
 * No jitter: one process sends, and parts for different channels do not fail in lock-step, so
 * there is no herd to spread; a deterministic schedule is also easier to read in the store.
 */
export function backoffDelay(attempts: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.max(0, attempts - 1);
  // 2^30 already dwarfs any sane ceiling; capping the exponent keeps the number finite.
  return Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(exp, 30));
}

export type RetryDecision = { action: 'dead'; reason: string } | { action: 'retry'; at: number; reason: string };

/**
 * What to do with a part after a failed attempt. A permanent error parks it at once; otherwise
 * it is retried until maxAttempts (four times that for rate limits). A 429 waits exactly as long as the platform asked; other
 * failures follow the backoff.
 */
export function decideRetry(
  err: SendError,
  p: { attempts: number; maxAttempts: number; now: number; backoff?: BackoffOptions },
): RetryDecision {
  if (err.kind === 'permanent') return { action: 'dead', reason: err.reason };
  // A 429 says "later", not "broken": a busy channel gets four times the attempts before a part
  // is parked, and the cap still ends a rate limit that never lifts.
  const limit = err.kind === 'rate_limited' ? p.maxAttempts * RATE_LIMIT_ATTEMPT_FACTOR : p.maxAttempts;
  if (p.attempts >= limit) {
    return { action: 'dead', reason: `gave up after ${p.attempts} attempts; last error: ${err.reason}` };
  }
  const wait =
    err.kind === 'rate_limited' && err.retryAfterMs !== undefined
      ? err.retryAfterMs
      : backoffDelay(p.attempts, p.backoff ?? DEFAULT_BACKOFF);
  return { action: 'retry', at: p.now + wait, reason: err.reason };
}
