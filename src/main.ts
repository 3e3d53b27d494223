#!/usr/bin/env node
import { Command } from 'commander';
import { VERSION } from './app/version.js';
import { exitQuietlyOnClosedPipe } from './cli/closed-pipe.js';
import { registerCommands } from './cli/index.js';
import { ConfigError, UserError } from './errors.js';
import { LOG_LEVELS, parseLogLevel } from './log-level.js';

exitQuietlyOnClosedPipe();
const program = new Command();
program
  .name('watchdesk')
  .description('Watches news feeds for a policy beat and posts summarized, clustered digests to Discord and Slack.')
  .version(VERSION, '-V, --version', 'print the version and exit')
  .option('-c, --config <file>', 'config file (default: $WATCHDESK_CONFIG or config/default.yaml)')
  .option(
    '--log-level <level>',
    `${LOG_LEVELS.join(', ')}; beats $WATCHDESK_LOG_LEVEL and log.level (default: info for start, warn otherwise)`,
    logLevelArg,
  )
  .showHelpAfterError();
registerCommands(program);

function logLevelArg(value: string) {
  const level = parseLogLevel(value);
  if (!level) {
    throw new UserError(
      'bad_argument',
      `--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return level;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
  } else if (err instanceof UserError) {
    process.stderr.write(`error: ${err.message}${err.hint ? `\n${err.hint}` : ''}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
});
