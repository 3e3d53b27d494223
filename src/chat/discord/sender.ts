import { DiscordAPIError, HTTPError, RateLimitError, REST } from 'discord.js';
import type { ChannelTarget, ChatSender } from '../types.js';
import { NONCE_MAX_CHARS, SendError } from '../types.js';

export interface DiscordSenderOptions {
  /** Bot token from config secrets. Handed to the REST client only; never logged or echoed. */
  token: string;
  /** Base without version, e.g. https://discord.com/api or http://127.0.0.1:PORT/api in tests. */
  apiUrl?: string;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
}

/**
 * Posts with POST /channels/{id}/messages through @discordjs/rest. The client is told never to
 * wait out a 429 and never to retry a 5xx itself: the outbox owns retries, so that a crash
 * between attempts loses nothing and the backoff is visible in the store.
 *
 * Idempotency: every body carries the part's `nonce` with `enforce_nonce: true`. When the same
 * nonce arrives again within Discord's window (a few minutes), Discord returns the message it
 * already created instead of creating another.
 */
export function createDiscordSender(opts: DiscordSenderOptions): ChatSender & { rest: REST } {
  const rest = new REST({
    api: opts.apiUrl ?? 'https://discord.com/api',
    version: '10',
    retries: 0,
    timeout: opts.timeoutMs ?? 15_000,
    rejectOnRateLimit: () => true,
  }).setToken(opts.token);

  return {
    platform: 'discord',
    rest,
    async send(target: ChannelTarget, payload: unknown, { nonce }: { nonce: string }) {
      if (nonce.length > NONCE_MAX_CHARS) {
        throw new SendError('permanent', `nonce "${nonce}" is longer than Discord's 25 characters`);
      }
      if (typeof payload !== 'object' || payload === null) {
        throw new SendError('permanent', 'Discord payload is not a message object (render bug)');
      }
      // A thread is a channel on Discord: posting into it uses the thread's own id.
      const channelId = target.thread || target.channel;
      const body = {
        ...(payload as Record<string, unknown>),
        nonce,
        enforce_nonce: true,
        // Feed text is untrusted: whatever the renderer did, no mention may ping anyone.
        allowed_mentions: { parse: [] },
      };
      try {
        const message = (await rest.post(`/channels/${channelId}/messages`, { body })) as { id?: unknown };
        if (typeof message?.id !== 'string') {
          throw new SendError('transient', 'Discord answered without a message id');
        }
        return { messageId: message.id };
      } catch (err) {
        throw classifyDiscordError(err, channelId);
      }
    },
  };
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
      return new SendError('permanent', reason, { cause: err });
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
