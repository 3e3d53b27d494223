/**
 * Bolt and its clients log through this: their chatter (connections, retries) goes to our debug level, their
 * warnings and errors to ours, all through the one redacting logger so that no token reaches a log line.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';

export function boltLogger(log: Logger): SlackLogger {
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : errorMessage(p))).join(' ');
  let level = LogLevel.DEBUG;
  return {
    debug: (...m: unknown[]) => log.debug(text(m), { from: 'bolt' }),
    info: (...m: unknown[]) => log.debug(text(m), { from: 'bolt' }),
    warn: (...m: unknown[]) => log.warn(text(m), { from: 'bolt' }),
    error: (...m: unknown[]) => log.error(text(m), { from: 'bolt' }),
    // Our logger decides what is shown; Bolt only asks what to bother formatting.
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
