/**
 * Slack has no idempotency key, so each digest part carries message metadata naming it, and a retry first reads
 * the channel (or thread) for a message that carries it: a part whose post went through but whose answer was lost
 * (a crash, a timeout) is found and marked sent instead of being posted twice.
 */
import type { WebClient } from '@slack/web-api';
import type { PartInfo } from '../types.js';

export const PART_EVENT_TYPE = 'watchdesk_digest_part';

/** How far before the digest was composed to look: clocks differ a little between us and Slack. */
const CLOCK_SLACK_S = 300;
/** Messages read per lookup: a digest's parts are posted within minutes, so they are among the latest. */
const LOOKUP_LIMIT = 200;

export interface PartMetadata {
  event_type: typeof PART_EVENT_TYPE;
  event_payload: { digest_id: number; part: number; parts: number; nonce: string };
}

export function partMetadata(part: PartInfo, nonce: string): PartMetadata {
  return {
    event_type: PART_EVENT_TYPE,
    event_payload: { digest_id: part.digestId, part: part.seq, parts: part.count, nonce },
  };
}

/**
 * The ts of the message that already carries this part, if any. `thread` is where the part goes (a thread's
 * replies are not in the channel's history). Errors propagate: the caller decides whether to post anyway.
 */
export async function findPostedPart(
  client: WebClient,
  p: { channel: string; thread: string | undefined; part: PartInfo; nonce: string },
): Promise<string | undefined> {
  const common = {
    channel: p.channel,
    oldest: String(Math.floor(p.part.createdAt / 1000) - CLOCK_SLACK_S),
    limit: LOOKUP_LIMIT,
    include_all_metadata: true,
  };
  const res = p.thread
    ? await client.conversations.replies({ ...common, ts: p.thread })
    : await client.conversations.history(common);
  const found = (res.messages ?? []).find((m) => {
    const meta = m.metadata as { event_type?: string; event_payload?: { nonce?: unknown } } | undefined;
    return meta?.event_type === PART_EVENT_TYPE && meta.event_payload?.nonce === p.nonce;
  });
  return typeof found?.ts === 'string' ? found.ts : undefined;
}
