/**
 * Answers to a slash command or a button after the ack go to its response_url (Slack allows 5 posts within 30
 * minutes). A command reply is the one place the adapter itself waits out a 429: the person is waiting for it,
 * and it has no outbox to retry it later. Digest posts never come here.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../../errors.js';

export interface RespondOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** The longest Retry-After honoured; a longer one gives up, as the person has long stopped waiting. */
  maxWaitMs?: number;
  timeoutMs?: number;
}

export class RespondError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespondError';
  }
}

/** Posts one message to a response_url; retries a 429 after its Retry-After and a 5xx or network error once. */
export async function postToResponseUrl(url: string, body: object, opts: RespondOptions = {}): Promise<void> {
  const attempts = opts.attempts ?? 3;
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    let waitMs = 1_000;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (res.ok) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
      if (res.status === 429) waitMs = retryAfterMs(res.headers.get('retry-after'));
      else if (res.status < 500) throw new RespondError(`Slack refused the reply (${last})`);
    } catch (err) {
      if (err instanceof RespondError) throw err;
      last = errorMessage(err);
    }
    if (i === attempts || waitMs > (opts.maxWaitMs ?? 30_000)) break;
    await sleep(waitMs);
  }
  throw new RespondError(`could not deliver the reply to Slack (${last})`);
}

/** Retry-After in seconds (Slack sends whole seconds); 1 s when absent or unreadable. */
function retryAfterMs(header: string | null): number {
  const s = Number(header);
  return Number.isFinite(s) && s >= 0 ? Math.ceil(s * 1000) : 1_000;
}
