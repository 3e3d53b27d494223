import { createLogger, type Logger, type LogLevel } from '../../src/log.js';

/** One pino line: numeric level (debug 20, info 30, warn 40, error 50), msg, and the fields. */
export interface LogRecord {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** The JSON log lines in a process's stderr; anything else (a CLI error message) is skipped. */
export function logRecords(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as LogRecord);
    } catch {
      // a line cut by the read so far; the next read completes it
    }
  }
  return out;
}

/** A real logger whose lines are kept in memory. */
export function captureLog(level: LogLevel = 'debug', secrets: string[] = []) {
  const lines: string[] = [];
  const log: Logger = createLogger({ level, secrets, write: (l) => lines.push(l) });
  return { log, lines, records: () => logRecords(lines.join('')) };
}
