import { type AdapterHealth, type ChatSender, type ChatSenders, type Platform, SendError } from './types.js';

/**
 * Whether each configured chat adapter can post, as /readyz and the operator alerts see it. The
 * REST senders have no connection of their own: a post that goes through says "connected", a
 * token the platform refuses says down until a later post goes through.
 */
export interface AdapterHealthBoard {
  all(): Record<string, AdapterHealth>;
  set(platform: Platform, health: AdapterHealth): void;
  /** The same senders, each reporting its posts' outcome to this board. */
  watchAll(senders: ChatSenders): ChatSenders;
}

export function createHealthBoard(platforms: Platform[]): AdapterHealthBoard {
  const board = new Map<Platform, AdapterHealth>();
  for (const p of platforms) {
    board.set(p, { ok: true, detail: p === 'console' ? 'connected' : 'token set; not yet used' });
  }
  return {
    all: () => Object.fromEntries(board),
    set: (platform, health) => board.set(platform, health),
    watchAll: (senders) => {
      // One line per platform: each keeps its own payload type.
      const watched: ChatSenders = {};
      if (senders.console) watched.console = watch(board, senders.console);
      if (senders.discord) watched.discord = watch(board, senders.discord);
      if (senders.slack) watched.slack = watch(board, senders.slack);
      return watched;
    },
  };
}

function watch<P extends Platform>(board: Map<Platform, AdapterHealth>, sender: ChatSender<P>): ChatSender<P> {
  return {
    ...sender,
    async send(target, payload, opts) {
      try {
        const r = await sender.send(target, payload, opts);
        board.set(sender.platform, { ok: true, detail: 'connected: the last post went through' });
        return r;
      } catch (err) {
        if (err instanceof SendError && err.auth) board.set(sender.platform, { ok: false, detail: err.reason });
        throw err;
      }
    },
  };
}
