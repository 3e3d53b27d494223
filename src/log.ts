/**
 * The logger: pino, one JSON object per line on stderr (stdout stays for command output and
 * console digests), formatted by pino-pretty when stderr is a terminal. Known secret values are
 * replaced in every line before it is written, wherever they hide (a message, a field, an error's
 * stack); fields named like credentials are censored too. Callers see the small Logger interface,
 * not pino.
 */
import { createRequire } from 'node:module';
import { pino, stdSerializers } from 'pino';
import type { LogLevel } from './log-level.js';

export { LOG_LEVELS, type LogLevel, parseLogLevel } from './log-level.js';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  secrets?: string[];
  /** Where each line goes (tests); stderr by default. */
  write?: (line: string) => void;
  /** Human-readable lines instead of JSON; by default, when stderr is a terminal. */
  pretty?: boolean;
}

export const REDACTED = '[redacted]';

/** Field paths censored whatever their value: credentials that are not among the known secrets. */
const CREDENTIAL_PATHS = ['token', 'password', 'authorization', '*.token', '*.password', '*.authorization'];

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 4);
  const out = opts.write ? { write: opts.write } : stderrStream(opts.pretty ?? process.stderr.isTTY === true);
  const dest = { write: (line: string) => out.write(redactSecrets(line, secrets)) };
  const base = pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      serializers: { err: stdSerializers.err },
      redact: { paths: CREDENTIAL_PATHS, censor: REDACTED },
    },
    dest,
  );
  return wrap(base);
}

/** Replaces each known secret value, and its JSON-escaped form, with [redacted]. */
export function redactSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    out = out.split(s).join(REDACTED);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) out = out.split(escaped).join(REDACTED);
  }
  return out;
}

export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });

function wrap(p: pino.Logger): Logger {
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(level)) return;
    if (fields) p[level](serializeErrors(fields), msg);
    else p[level](msg);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => wrap(p.child(serializeErrors(fields))),
  };
}

/** Errors under any key keep their type, message and stack (pino only does this for `err`). */
function serializeErrors(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error && k !== 'err') {
      out ??= { ...fields };
      out[k] = stdSerializers.err(v);
    }
  }
  return out ?? fields;
}

/** Synchronous, so that the last lines before an exit are never lost. */
function stderrStream(human: boolean): { write(line: string): void } {
  if (!human) return { write: (line) => void process.stderr.write(line) };
  // Loaded only for a terminal: commands piped into files or other tools never pay for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({ destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
