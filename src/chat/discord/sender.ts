import { DiscordAPIError, HTTPError, RateLimitError, REST } from 'discord.js';
import type { DiscordMessage } from '../../render/types.js';
import type { ChannelTarget, ChatSender, SendOptions } from '../types.js';
import { NONCE_MAX_CHARS, SendError } from '../types.js';
import { botIdentity, findPostedPart, mustLookFirst, withMarker } from './posted-parts.js';

export interface DiscordSenderOptions {
  /** Bot token from config secrets. Handed to the REST client only; never logged or echoed. */
  token: string;
  /** Base without version, e.g. https://discord.com/api or http://127.0.0.1:PORT/api in tests. */
  apiUrl?: string;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** The clock that tells a late retry (past the nonce window) from an early one; tests inject it. */
  now?: () => number;
}

/**
 * Posts with POST /channels/{id}/messages through @discordjs/rest. The client is told never to
 * wait out a 429 and never to retry a 5xx itself: the outbox owns retries, so that a crash
 * between attempts loses nothing and the backoff is visible in the store.
 *
 * Idempotency: every body carries the part's `nonce` with `enforce_nonce: true`. When the same
 * nonce arrives again within Discord's window (a few minutes), Discord returns the message it
 * already created instead of creating another. A digest part also carries a marker line with its nonce, and a
 * retry later than the nonce can be trusted first looks for that marker among the bot's latest messages in the
 * channel (posted-parts.ts), so a part is not posted twice after a long outage or a long-dead process either.
 */
export function createDiscordSender(opts: DiscordSenderOptions): ChatSender<'discord'> & { rest: REST } {
  const rest = new REST({
    api: opts.apiUrl ?? 'https://discord.com/api',
    version: '10',
    retries: 0,
    timeout: opts.timeoutMs ?? 15_000,
    rejectOnRateLimit: () => true,
  }).setToken(opts.token);

  const forums = forumChannels(rest);
  const botId = botIdentity(rest);
  const now = opts.now ?? Date.now;
  return {
    platform: 'discord',
    rest,
    async send(target: ChannelTarget, payload: DiscordMessage, { nonce, firstMessageId, part }: SendOptions) {
      if (nonce.length > NONCE_MAX_CHARS) {
        throw new SendError('permanent', `nonce "${nonce}" is longer than Discord's 25 characters`);
      }
      const { thread_name: threadName, ...message } = payload;
      const body = {
        ...message,
        ...(part ? { content: withMarker(message.content, nonce) } : {}),
        nonce,
        enforce_nonce: true,
        // Feed text is untrusted: whatever the renderer did, no mention may ping anyone.
        allowed_mentions: { parse: [] },
      };
      // A thread is a channel on Discord: posting into it uses the thread's own id.
      let channelId = target.thread || target.channel;
      try {
        if (!target.thread && (await forums.isForum(channelId))) {
          // In a forum each digest is a post of its own; its later parts go into that post.
          if (!firstMessageId) return await createForumPost(rest, channelId, forumPostName(threadName), body);
          channelId = firstMessageId;
        }
        if (mustLookFirst(part, now())) {
          const found = await findPostedPart(rest, { channelId, botId: await botId(), part, nonce });
          if (found) return { messageId: found };
        }
        const posted = (await rest.post(`/channels/${channelId}/messages`, { body })) as { id?: unknown };
        if (typeof posted?.id !== 'string') {
          throw new SendError('transient', 'Discord answered without a message id');
        }
        return { messageId: posted.id };
      } catch (err) {
        throw classifyDiscordError(err, channelId);
      }
    },
  };
}

/** Forum (15) and media (16) channels take posts (threads), not messages. */
const FORUM_TYPES = new Set([15, 16]);

/** Which channels are forums, asked once per channel (GET /channels/{id}) and remembered. */
function forumChannels(rest: REST): { isForum(channelId: string): Promise<boolean> } {
  const known = new Map<string, boolean>();
  return {
    async isForum(channelId) {
      const hit = known.get(channelId);
      if (hit !== undefined) return hit;
      const channel = (await rest.get(`/channels/${channelId}`)) as { type?: number };
      const forum = FORUM_TYPES.has(channel.type ?? 0);
      known.set(channelId, forum);
      return forum;
    },
  };
}

/**
 * POST /channels/{forum}/threads: a new post whose starter message is the part, so the message id is the post's.
 * Discord takes no nonce here, so a crash between this post and its mark can leave one duplicate post (as on
 * Slack); the parts after it carry their nonces as usual.
 */
async function createForumPost(
  rest: REST,
  forumId: string,
  name: string,
  body: Record<string, unknown>,
): Promise<{ messageId: string }> {
  const { nonce: _nonce, enforce_nonce: _enforce, ...message } = body;
  const thread = (await rest.post(`/channels/${forumId}/threads`, { body: { name, message } })) as {
    id?: unknown;
    message?: { id?: unknown };
  };
  const id = thread?.message?.id ?? thread?.id;
  if (typeof id !== 'string') throw new SendError('transient', 'Discord answered without a post id');
  return { messageId: id };
}

/** A post title of 1 to 100 characters: the renderer's (the digest and its date), else a plain one. */
function forumPostName(name: string | undefined): string {
  const text = name?.replace(/\s+/g, ' ').trim() ?? '';
  return (text || 'watchdesk digest').slice(0, 100);
}

/** Maps whatever @discordjs/rest threw onto the outbox's three kinds, with a reason an operator can act on. */
function classifyDiscordError(err: unknown, channelId: string): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof RateLimitError) {
    const scope = err.global ? 'global rate limit' : `rate limit on ${err.route}`;
    const retryAfterMs = Math.max(0, Math.ceil(err.retryAfter));
    return new SendError('rate_limited', `Discord ${scope}: retry in ${(retryAfterMs / 1000).toFixed(1)} s`, {
      retryAfterMs,
      cause: err,
    });
  }
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : Number(err.code);
    const known = KNOWN_CODES[code];
    if (known) {
      const detail = code === 50035 ? ` ${err.message}` : '';
      const reason = `${known[0]} (Discord ${code}): ${known[1]}; channel ${channelId}${detail}`;
      return new SendError('permanent', reason, { cause: err, pause: LOST_CHANNEL.has(code) });
    }
    if (err.status === 403 || err.status === 404) {
      const reason = `no access to channel ${channelId} (Discord ${err.status}, code ${code}): ${err.message}; check that the channel exists and the bot can see it`;
      return new SendError('permanent', reason, { cause: err, pause: true });
    }
    if (err.status === 401) {
      return new SendError('permanent', 'Discord rejected the bot token (401): check DISCORD_TOKEN', {
        cause: err,
        auth: true,
      });
    }
    if (err.status === 408 || err.status >= 500) {
      return new SendError('transient', `Discord error ${err.status}: ${err.message}`, { cause: err });
    }
    return new SendError('permanent', `Discord refused the message (${err.status}, code ${code}): ${err.message}`, {
      cause: err,
    });
  }
  if (err instanceof HTTPError) {
    return new SendError('transient', `Discord server error ${err.status} ${err.message}`.trim(), { cause: err });
  }
  const msg = err instanceof Error ? describeNetworkError(err) : String(err);
  return new SendError('transient', `could not reach Discord: ${msg}`, { cause: err });
}

/** Codes that mean the channel is gone or out of the bot's reach: the subscription pauses until a person acts. */
const LOST_CHANNEL = new Set([10003, 50001, 50013, 50083]);

/** [what happened, what to do] per Discord JSON error code. */
const KNOWN_CODES: Record<number, [string, string]> = {
  10003: ['channel not found', 'the channel was deleted or the bot was removed from the server'],
  50001: ['missing access', 'the bot cannot see this channel; add it to the channel or grant View Channel'],
  50013: ['missing permissions', 'grant the bot Send Messages and Embed Links in this channel'],
  50083: ['thread archived', 'unarchive the thread or point the subscription at another one'],
  50035: ['invalid message', 'Discord rejected the payload (render bug or a limit exceeded)'],
  50006: ['empty message', 'the rendered message had no content (render bug)'],
};

function describeNetworkError(err: Error): string {
  if (err.name === 'AbortError') return 'request timed out';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}
