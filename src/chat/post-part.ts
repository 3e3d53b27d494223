import type { RenderedPart } from '../render/types.js';
import type { ChannelTarget, ChatSenders, SendOptions } from './types.js';

/**
 * Posts a rendered part through the sender of its platform; undefined when that platform has no
 * sender. The switch is what keeps each payload type with the sender that takes it.
 */
export function postPart(
  senders: ChatSenders,
  target: ChannelTarget,
  part: RenderedPart,
  opts: SendOptions,
): Promise<{ messageId: string }> | undefined {
  switch (part.platform) {
    case 'discord':
      return senders.discord?.send(target, part.payload, opts);
    case 'slack':
      return senders.slack?.send(target, part.payload, opts);
    case 'console':
      return senders.console?.send(target, part.payload, opts);
  }
}
