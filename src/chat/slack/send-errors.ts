/**
 * Slack Web API failures → the outbox's kinds, each with a reason an operator can act on (what happened, then
 * what to do). A channel that refuses the bot pauses its subscription; a refused token is told once.
 */
import { ErrorCode } from '@slack/web-api';
import { errorMessage } from '../../errors.js';
import { SendError } from '../types.js';

/** Errors about the token itself: nothing can be posted anywhere until it is replaced. */
export const TOKEN_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/** The Slack error string of a Web API platform error (`{ok: false, error}`), else undefined. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e?.code === ErrorCode.PlatformError ? (e.data?.error ?? 'unknown_error') : undefined;
}

export function classifySlackError(err: unknown, channel: string): SendError {
  if (err instanceof SendError) return err;
  const e = err as { code?: string; retryAfter?: number; statusCode?: number };
  switch (e?.code) {
    case ErrorCode.RateLimitedError: {
      const retryAfterMs = Math.max(0, Math.round((e.retryAfter ?? 1) * 1000));
      return new SendError('rate_limited', `Slack rate limit (ratelimited): retry in ${retryAfterMs / 1000} s`, {
        retryAfterMs,
        cause: err,
      });
    }
    case ErrorCode.PlatformError: {
      const code = slackErrorCode(err) ?? 'unknown_error';
      const known = PERMANENT[code];
      if (known) {
        return new SendError('permanent', `${known[0]} (Slack ${code}): ${known[1]}; channel ${channel}`, {
          cause: err,
          auth: TOKEN_ERRORS.has(code),
          pause: PAUSE.has(code),
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
      return new SendError('transient', `Slack send failed: ${errorMessage(err)}`, { cause: err });
  }
}

/** The bot is not in a channel it cannot join itself (private, or no channels:join scope): a person must invite it. */
export function inviteNeeded(channel: string, botName: string, joinError: string, cause: unknown): SendError {
  const why =
    joinError === 'missing_scope'
      ? 'the app lacks the channels:join scope to join it'
      : 'it is private, so the bot cannot join by itself';
  return new SendError(
    'permanent',
    `bot not in channel (Slack not_in_channel; ${why}): type /invite @${botName} in that channel; channel ${channel}`,
    { cause, pause: true },
  );
}

/** The channel refuses the bot, not the message: the subscription pauses until a person fixes the channel. */
const PAUSE = new Set(['channel_not_found', 'is_archived', 'not_in_channel']);

/** [what happened, what to do] per Slack error string; anything else is treated as transient. */
const PERMANENT: Record<string, [string, string]> = {
  channel_not_found: [
    'channel not found',
    'the channel was deleted, or it is private and the bot is not in it (/invite the bot there)',
  ],
  not_in_channel: ['bot not in channel', '/invite the app into the channel'],
  is_archived: ['channel archived', 'unarchive it or move the subscription'],
  invalid_auth: ['invalid token', 'Slack rejected the bot token; check SLACK_BOT_TOKEN'],
  not_authed: ['no token', 'set SLACK_BOT_TOKEN'],
  token_revoked: ['token revoked', 'reinstall the app and update SLACK_BOT_TOKEN'],
  token_expired: ['token expired', 'reinstall the app and update SLACK_BOT_TOKEN'],
  account_inactive: ['app deactivated', 'reinstall the app and update SLACK_BOT_TOKEN'],
  missing_scope: ['missing scope', 'add the scopes of `watchdesk slack manifest` and reinstall the app'],
  restricted_action: ['posting restricted', 'the workspace does not let the bot post in this channel'],
  // Payload errors do not heal by retrying: they point at a render bug.
  invalid_blocks: ['invalid blocks', 'Slack rejected the Block Kit payload (render bug)'],
  invalid_metadata_format: ['invalid metadata', 'Slack rejected the message metadata (bug)'],
  msg_too_long: ['message too long', 'Slack rejected the message length (render bug)'],
  no_text: ['empty message', 'the rendered message had no text (render bug)'],
  invalid_arguments: ['invalid arguments', 'Slack rejected the call arguments (render bug)'],
};
