/**
 * Discord honours a nonce for a few minutes only. A part whose post went through but whose answer was lost (a crash,
 * a timeout) and that is retried later than that would be posted twice on the nonce alone. So every digest part
 * carries a marker, a last line of small text with its nonce, and a late retry first reads the channel's latest
 * messages for the bot's own message with that marker (as the Slack sender does with message metadata).
 */
import type { REST } from 'discord.js';
import { DISCORD_LIMITS } from '../../render/limits.js';
import type { PartInfo } from '../types.js';

/** Until this long after the digest was composed, the nonce alone is trusted (Discord keeps it "a few minutes"). */
export const NONCE_TRUST_MS = 2 * 60_000;
/** How far before the digest was composed to look: clocks differ a little between us and Discord. */
const CLOCK_SLACK_MS = 5 * 60_000;
/** Discord lists at most 100 messages a request; a digest's parts are among the channel's latest. */
const LOOKUP_LIMIT = 100;

/** The line that names the part: Discord's subtext markdown, so it reads as a small grey reference. */
export function partMarker(nonce: string): string {
  return `-# ref ${nonce}`;
}

/** The content with the marker as its last line; unchanged when the marker would not fit. */
export function withMarker(content: string | undefined, nonce: string): string | undefined {
  const marker = partMarker(nonce);
  const text = content ? `${content}\n${marker}` : marker;
  return text.length <= DISCORD_LIMITS.content ? text : content;
}

/** Whether a retry must look before it posts: an earlier try may have posted, and the nonce may have expired. */
export function mustLookFirst(part: PartInfo | undefined, now: number): part is PartInfo {
  return part !== undefined && part.attempt > 1 && now - part.createdAt > NONCE_TRUST_MS;
}

interface ListedMessage {
  id?: unknown;
  content?: unknown;
  timestamp?: unknown;
  author?: { id?: unknown };
}

/**
 * The id of the bot's message in `channelId` that carries this part's marker, if any. Errors propagate: a read that
 * fails makes the attempt fail and wait for the next retry rather than post blind.
 */
export async function findPostedPart(
  rest: REST,
  p: { channelId: string; botId: string; part: PartInfo; nonce: string },
): Promise<string | undefined> {
  const listed = (await rest.get(`/channels/${p.channelId}/messages`, {
    query: new URLSearchParams({ limit: String(LOOKUP_LIMIT) }),
  })) as ListedMessage[];
  const marker = partMarker(p.nonce);
  const since = p.part.createdAt - CLOCK_SLACK_MS;
  const found = (Array.isArray(listed) ? listed : []).find(
    (m) =>
      m.author?.id === p.botId &&
      typeof m.content === 'string' &&
      m.content.split('\n').includes(marker) &&
      !(typeof m.timestamp === 'string' && Date.parse(m.timestamp) < since),
  );
  return typeof found?.id === 'string' ? found.id : undefined;
}

/** The bot's own user id (GET /users/@me), asked once per sender. */
export function botIdentity(rest: REST): () => Promise<string> {
  let id: Promise<string> | undefined;
  return () => {
    id ??= (rest.get('/users/@me') as Promise<{ id?: unknown }>).then((u) => {
      if (typeof u?.id !== 'string') throw new Error('Discord answered GET /users/@me without an id');
      return u.id;
    });
    id.catch(() => {
      id = undefined;
    });
    return id;
  };
}
