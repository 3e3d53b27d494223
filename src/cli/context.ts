import type { Command } from 'commander';
import type { App, AppOptions } from '../app/app.js';
import type { Config } from '../config/load.js';
import { UserError } from '../errors.js';
import type { LogLevel } from '../log.js';

/**
 * The config named by the global --config option (else WATCHDESK_CONFIG, else the default). The
 * loader (zod, yaml) is imported here, not at the top, so that `--version` and `--help` never load it.
 */
export async function configFor(cmd: Command): Promise<Config> {
  const { loadConfig } = await import('../config/load.js');
  const opts = cmd.optsWithGlobals<{ config?: string }>();
  return loadConfig({ file: opts.config });
}

/**
 * The log level: --log-level, else WATCHDESK_LOG_LEVEL, else log.level in the config (both folded
 * into config.log.level by loadConfig), else the command's own default.
 */
export function logLevelFor(cmd: Command, config: Config, commandDefault: LogLevel): LogLevel {
  return cmd.optsWithGlobals<{ logLevel?: LogLevel }>().logLevel ?? config.log.level ?? commandDefault;
}

/**
 * Builds the app for one command, runs it, and always closes the store and connections. One-shot
 * commands log warnings and errors only, unless a level is asked for.
 */
export async function withApp<T>(
  cmd: Command,
  fn: (app: App) => Promise<T>,
  opts: AppOptions & { defaultLogLevel?: LogLevel } = {},
): Promise<T> {
  // Loaded on demand so that light commands (parse, classify, summarize) never load chat clients.
  const { createApp } = await import('../app/app.js');
  const config = await configFor(cmd);
  const app = await createApp(config, { ...opts, logLevel: logLevelFor(cmd, config, opts.defaultLogLevel ?? 'warn') });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/**
 * withApp for the commands that only show what is stored: the store is opened read-only and nothing is
 * written (not even the config's feeds and subscriptions); a missing store is an error that says so.
 */
export function withStoreReadOnly<T>(cmd: Command, fn: (app: App) => Promise<T>): Promise<T> {
  return withApp(cmd, fn, { readOnly: true });
}

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UserError('bad_argument', `${name} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** A --topics value: 'all', or the comma-separated topic ids. */
export function topicList(value: string): 'all' | string[] {
  if (value === 'all') return 'all';
  return value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

export { channelLabel } from '../chat/types.js';

/** Prints rows as an aligned plain-text table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export { ago } from '../clock.js';
