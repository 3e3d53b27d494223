import type { ChannelTarget, ChatSender } from '../types.js';
import { SendError } from '../types.js';

export interface ConsoleSenderOptions {
  /** Where digests go; stdout by default (logs go to stderr, so stdout stays clean). */
  out?: NodeJS.WritableStream;
}

/**
 * Writes the Markdown payload to a stream. The message id is derived from the nonce, so a part
 * has the same id however often it is written; a crash between the write and the mark prints
 * the part again, which is harmless on a terminal.
 */
export function createConsoleSender(opts: ConsoleSenderOptions = {}): ChatSender<'console'> {
  const out = opts.out ?? process.stdout;
  return {
    platform: 'console',
    async send(target: ChannelTarget, payload: string, { nonce }: { nonce: string }) {
      const text = payload.endsWith('\n') ? payload : `${payload}\n`;
      await new Promise<void>((resolve, reject) => {
        out.write(`${text}\n`, (err) => (err ? reject(err) : resolve()));
      }).catch((err: unknown) => {
        throw new SendError('transient', `could not write to the console: ${String(err)}`, { cause: err });
      });
      return { messageId: `console:${target.channel}:${nonce}` };
    },
  };
}
