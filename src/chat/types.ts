import type { PayloadOf, Platform } from '../render/types.js';

export type { Platform } from '../render/types.js';

/**
 * The boundary between delivery and the chat platforms. A sender posts one rendered payload
 * into one channel and either returns the platform's message id or throws a SendError that
 * says whether trying again can help.
 */
export interface ChannelTarget {
  platform: Platform;
  /** Discord guild id or Slack team id; '' for the console. */
  workspace: string;
  channel: string;
  /** Discord thread id (itself a channel id) or Slack thread_ts; '' when none. */
  thread: string;
}

/** "slack:T1/C2#thread": where a subscription posts, as listings and the status page show it. */
export function channelLabel(c: { platform: string; workspace: string; channel: string; thread: string }): string {
  return `${c.platform}:${c.workspace ? `${c.workspace}/` : ''}${c.channel}${c.thread ? `#${c.thread}` : ''}`;
}

/** The environment variable that enables each chat platform's sender (the console needs none). */
export const TOKEN_VARIABLE: Partial<Record<string, string>> = { discord: 'DISCORD_TOKEN', slack: 'SLACK_BOT_TOKEN' };

/** The longest nonce a part may carry: Discord's limit, the only platform that takes one. */
export const NONCE_MAX_CHARS = 25;

/** Which digest part a post is, for senders that thread a long digest or must find a post whose answer was lost. */
export interface PartInfo {
  digestId: number;
  /** 1-based, and the number of parts. */
  seq: number;
  count: number;
  /** 1 on the first try; more means an earlier try may have posted without being confirmed. */
  attempt: number;
  /** When the digest was composed (ms): none of its parts can be older. */
  createdAt: number;
}

/** A sender for one platform: it takes only that platform's payload (render/types.ts). */
export interface ChatSender<P extends Platform> {
  platform: P;
  /**
   * Posts one message. `nonce` is stable across retries of the same part, so a platform that
   * supports idempotent creates (Discord) can return the earlier message instead of a new one.
   */
  send: (target: ChannelTarget, payload: PayloadOf[P], opts: SendOptions) => Promise<{ messageId: string }>;
}

export interface SendOptions {
  nonce: string;
  /**
   * The platform's id for part 1 of the same digest, once it is sent. A Discord forum post is created by part 1
   * (its starter message has the post's id), and the later parts go into that post; on Slack they go in its thread.
   */
  firstMessageId?: string;
  /** Which digest part this is; absent for messages that are not digest parts (operator alerts). */
  part?: PartInfo;
}

/** Whether a configured chat adapter can post: what /readyz shows and what token alerts watch. */
export interface AdapterHealth {
  ok: boolean;
  /** "connected", or what is wrong and what to do. */
  detail: string;
}

/** The configured senders, each under its own platform; a platform without a token has none. */
export type ChatSenders = { [P in Platform]?: ChatSender<P> };

export type SendErrorKind = 'rate_limited' | 'transient' | 'permanent';

/**
 * A classified send failure. `reason` is written for the operator who reads the dead-letter
 * list: what happened and what to do, never a token or a raw stack.
 */
export class SendError extends Error {
  readonly kind: SendErrorKind;
  readonly retryAfterMs?: number;
  readonly reason: string;
  /** The platform refused the token itself: the adapter cannot post anywhere until it is fixed. */
  readonly auth: boolean;

  /**
   * The channel cannot be reached until a person acts (it was deleted, the bot lost access, it was archived):
   * delivery pauses the subscription instead of trying it again at every schedule.
   */
  readonly pause: boolean;

  constructor(
    kind: SendErrorKind,
    reason: string,
    opts: { retryAfterMs?: number; cause?: unknown; auth?: boolean; pause?: boolean } = {},
  ) {
    super(reason, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SendError';
    this.kind = kind;
    this.reason = reason;
    this.auth = opts.auth ?? false;
    this.pause = opts.pause ?? false;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}
