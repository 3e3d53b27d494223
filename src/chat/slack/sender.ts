import { type ChatPostMessageArguments, LogLevel, WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../render/types.js';
import type { ChannelTarget, ChatSender, PartInfo, SendOptions } from '../types.js';
import { SendError } from '../types.js';
import { findPostedPart, partMetadata } from './posted-parts.js';
import { classifySlackError, inviteNeeded, slackErrorCode, TOKEN_ERRORS } from './send-errors.js';

export interface SlackSenderOptions {
  /** Bot token (xoxb-…) from config secrets. Handed to the WebClient only; never logged. */
  token: string;
  /** e.g. https://slack.com/api/ or http://127.0.0.1:PORT/api/ in tests. */
  apiUrl?: string;
  timeoutMs?: number;
  /** The bot's name in Slack (config bot.name, as the manifest names it), for "/invite @name". */
  botName?: string;
  /** Told when Slack refuses the token itself (invalid_auth, token_revoked…), so it can be said once. */
  onTokenRefused?: (slackError: string) => void;
  /** A lookup that failed before a re-post: the part is posted anyway (at least once beats never). */
  onLookupFailed?: (reason: string) => void;
}

/**
 * Posts with chat.postMessage through @slack/web-api. The WebClient's own retries are off and
 * rate-limited calls are rejected, so the outbox decides when to try again (the WebClient would
 * otherwise retry for about 30 minutes behind its back).
 *
 * - Every part carries message metadata (`watchdesk_digest_part`: digest id, part, nonce). On a
 *   retry, the channel's (or thread's) recent history is read first and a message carrying the part
 *   is returned instead of posting again: a crash or a lost answer between Slack accepting the post
 *   and the outbox marking it no longer makes a duplicate.
 * - A long digest's later parts go in the thread of its first part (or all in the subscription's thread).
 * - `not_in_channel`: a public channel is joined (conversations.join) and the post retried once;
 *   one the bot cannot join pauses the subscription with how to invite the bot.
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
  const botName = opts.botName ?? 'watchdesk';

  const post = async (args: ChatPostMessageArguments): Promise<string> => {
    const res = await client.chat.postMessage(args);
    if (typeof res.ts !== 'string') throw new SendError('transient', 'Slack answered without a message ts');
    return res.ts;
  };

  const joinThenPost = async (args: ChatPostMessageArguments, channel: string, cause: unknown): Promise<string> => {
    try {
      await client.conversations.join({ channel });
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === 'method_not_supported_for_channel_type' || code === 'missing_scope') {
        throw inviteNeeded(channel, botName, code, cause);
      }
      throw err;
    }
    return post(args);
  };

  return {
    platform: 'slack',
    client,
    async send(target: ChannelTarget, payload: SlackMessage, sendOpts: SendOptions) {
      const part = sendOpts.part;
      const thread = threadOf(target, part, sendOpts.firstMessageId);
      const args: ChatPostMessageArguments = {
        ...payload,
        channel: target.channel,
        ...(thread ? { thread_ts: thread } : {}),
        ...(part ? { metadata: partMetadata(part, sendOpts.nonce) } : {}),
      };
      try {
        if (part && part.attempt > 1) {
          const found = await lookup(target.channel, thread, part, sendOpts.nonce);
          if (found) return { messageId: found };
        }
        try {
          return { messageId: await post(args) };
        } catch (err) {
          if (slackErrorCode(err) !== 'not_in_channel') throw err;
          return { messageId: await joinThenPost(args, target.channel, err) };
        }
      } catch (err) {
        const code = slackErrorCode(err);
        if (code && TOKEN_ERRORS.has(code)) opts.onTokenRefused?.(code);
        throw classifySlackError(err, target.channel);
      }
    },
  };

  /**
   * A message already carrying this part, else undefined. Slack being down or rate-limited throws (posting blind
   * could repeat the part); a refused read (no history scope) is told and the part posted, at least once.
   */
  async function lookup(channel: string, thread: string | undefined, part: PartInfo, nonce: string) {
    try {
      return await findPostedPart(client, { channel, thread, part, nonce });
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === undefined) throw err;
      // The token or the channel itself is the problem: the post that follows fails the same way and says so.
      if (TOKEN_ERRORS.has(code) || code === 'not_in_channel' || code === 'channel_not_found') return undefined;
      opts.onLookupFailed?.(
        `could not read channel ${channel} to look for part ${part.seq} of digest ${part.digestId} (Slack ${code}); posting it, which may repeat it once`,
      );
      return undefined;
    }
  }
}

/** The subscription's own thread, else the first part's thread for the later parts of a long digest. */
function threadOf(target: ChannelTarget, part: PartInfo | undefined, firstMessageId: string | undefined) {
  if (target.thread) return target.thread;
  if (part && part.seq > 1 && firstMessageId) return firstMessageId;
  return undefined;
}
