/**
 * The outbox stores a part as its platform (a column) and its payload as JSON; here the JSON
 * becomes a typed RenderedPart again. A row that does not fit its platform (hand-edited, or left
 * by a render bug) fails here with a permanent SendError, so it is parked with a readable reason
 * and reaches no sender.
 */
import { SendError } from '../chat/types.js';
import type { DiscordMessage, Platform, RenderedPart, SlackMessage } from '../render/types.js';

export function isPlatform(v: string): v is Platform {
  return v === 'discord' || v === 'slack' || v === 'console';
}

/** A stored payload as its platform's typed part; throws a permanent SendError when it does not fit. */
export function readStoredPart(platform: Platform, payloadJson: string): RenderedPart {
  const stored: unknown = JSON.parse(payloadJson);
  switch (platform) {
    case 'console':
      if (typeof stored === 'string') return { platform, payload: stored };
      throw new SendError('permanent', 'console payload is not Markdown text (render bug)');
    case 'discord':
      if (isDiscordMessage(stored)) return { platform, payload: stored };
      throw new SendError('permanent', 'Discord payload is not a message object (render bug)');
    case 'slack':
      if (isSlackMessage(stored)) return { platform, payload: stored };
      throw new SendError('permanent', 'Slack payload is not a message object (render bug)');
  }
}

/** The fields every renderDiscord message has; enough to tell a message from anything else. */
function isDiscordMessage(v: unknown): v is DiscordMessage {
  return isObject(v) && Array.isArray(v.embeds);
}

/** The fields every renderSlack message has. */
function isSlackMessage(v: unknown): v is SlackMessage {
  return isObject(v) && typeof v.text === 'string' && Array.isArray(v.blocks);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
