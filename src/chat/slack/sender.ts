import { type ChatPostMessageArguments, ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { errorMessage } from '../../errors.js';
import type { SlackMessage } from '../../render/types.js';
import type { ChannelTarget, ChatSender } from '../types.js';
import { SendError } from '../types.js';

export interface SlackSenderOptions {
  /** Bot token (xoxb-…) from config secrets. Handed to the WebClient only; never logged. */
  token: string;
  /** e.g. https://slack.com/api/ or http://127.0.0.1:PORT/api/ in tests. */
  apiUrl?: string;
  timeoutMs?: number;
}

/**
 * Posts with chat.postMessage through @slack/web-api. The WebClient's own retries are off and
 * rate-limited calls are rejected, so the outbox decides when to try again.
 *
 * Idempotency: Slack has no nonce for chat.postMessage. Exactly-once on Slack rests on the
 * outbox marking the part sent right after the post returns. The window: if the process dies
 * (or the response is lost: timeout, connection reset) after Slack accepted the message but
 * before the mark is committed, the part is still pending and the next attempt posts it a
 * second time. That is at most one duplicate per such event, never a lost part.
 */
export function createSlackSender(opts: SlackSenderOptions): ChatSender<'slack'> & { client: WebClient } {
  const client = new WebClient(opts.token, {
    slackApiUrl: opts.apiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 15_000,
    // The WebClient would print request failures itself; the outbox logs them once, classified.
    logLevel: LogLevel.ERROR,
  });

  return {
    platform: 'slack',
    client,
    async send(target: ChannelTarget, payload: SlackMessage) {
      const args: ChatPostMessageArguments = {
        ...payload,
        channel: target.channel,
        ...(target.thread ? { thread_ts: target.thread } : {}),
      };
      try {
        const res = await client.chat.postMessage(args);
        if (typeof res.ts !== 'string') throw new SendError('transient', 'Slack answered without a message ts');
        return { messageId: res.ts };
      } catch (err) {
        throw classifySlackError(err, target.channel);
      }
    },
  };
}

/** Maps @slack/web-api errors onto the outbox's kinds, with a reason an operator can act on. */
function classifySlackError(err: unknown, channel: string): SendError {
  if (err instanceof SendError) return err;
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (e?.code) {
    case ErrorCode.RateLimitedError: {
      const retryAfterMs = Math.max(0, Math.round((e.retryAfter ?? 1) * 1000));
      return new SendError('rate_limited', `Slack rate limit (ratelimited): retry in ${retryAfterMs / 1000} s`, {
        retryAfterMs,
        cause: err,
      });
    }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      const known = PERMANENT[code];
      if (known) {
        return new SendError('permanent', `${known[0]} (Slack ${code}): ${known[1]}; channel ${channel}`, {
          cause: err,
          auth: AUTH_ERRORS.has(code),
        });
      }
      return new SendError('transient', `Slack error ${code} (channel ${channel})`, { cause: err });
    }
    case ErrorCode.HTTPError:
      return new SendError('transient', `Slack server error ${e.statusCode ?? ''}`.trim(), { cause: err });
    case ErrorCode.RequestError: {
      const original = (err as { original?: Error & { cause?: { code?: string } } }).original;
      const what =
        original?.name === 'TimeoutError' ? 'request timed out' : (original?.cause?.code ?? original?.message);
      return new SendError('transient', `could not reach Slack: ${what ?? 'request failed'}`, { cause: err });
    }
    default:
      return new SendError('transient', `Slack send failed: ${errorMessage(err)}`, {
        cause: err,
      });
  }
}

/** Errors about the token itself, not the channel: the adapter cannot post anywhere. */
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'account_inactive']);

/** [what happened, what to do] per Slack error string; anything else is treated as transient. */
const PERMANENT: Record<string, [string, string]> = {
  channel_not_found: ['channel not found', 'the channel was deleted, or it is private and the bot is not in it'],
  not_in_channel: ['bot not in channel', '/invite the app into the channel'],
  is_archived: ['channel archived', 'unarchive it or move the subscription'],
  invalid_auth: ['invalid token', 'Slack rejected the bot token; check SLACK_BOT_TOKEN'],
  not_authed: ['no token', 'set SLACK_BOT_TOKEN'],
  token_revoked: ['token revoked', 'reinstall the app and update SLACK_BOT_TOKEN'],
  account_inactive: ['app deactivated', 'reinstall the app and update SLACK_BOT_TOKEN'],
  missing_scope: ['missing scope', 'add the chat:write scope and reinstall the app'],
  restricted_action: ['posting restricted', 'the workspace does not let the bot post in this channel'],
  // Payload errors do not heal by retrying: they point at a render bug.
  invalid_blocks: ['invalid blocks', 'Slack rejected the Block Kit payload (render bug)'],
  msg_too_long: ['message too long', 'Slack rejected the message length (render bug)'],
  no_text: ['empty message', 'the rendered message had no text (render bug)'],
  invalid_arguments: ['invalid arguments', 'Slack rejected the call arguments (render bug)'],
};
