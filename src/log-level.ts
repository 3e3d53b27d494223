/** The log levels, apart from the logger itself so that reading them (the CLI's options, the config) never loads pino. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Parses a level name as the CLI, the environment and the config give it; undefined when unknown. */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  const v = value?.trim().toLowerCase();
  return LOG_LEVELS.find((l) => l === v);
}
