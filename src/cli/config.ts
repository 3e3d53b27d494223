import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { storeLocation } from '../config/load.js';
import { configFor } from './context.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('Check the config file, or print its JSON Schema');
  config
    .command('check')
    .description('Validate the config (the --config file, $WATCHDESK_CONFIG, or config/default.yaml) and summarize it')
    .action(async (_opts: unknown, cmd: Command) => {
      const c = await configFor(cmd);
      const platforms = [
        'console',
        ...(c.secrets.discordToken ? ['discord'] : []),
        ...(c.secrets.slackBotToken ? ['slack'] : []),
      ];
      const lines = [
        `config ok: ${c.file}`,
        `  feeds:         ${c.feeds.length}`,
        `  topics:        ${Object.keys(c.topics).length}${Object.keys(c.topics).length > 0 ? ` (${Object.keys(c.topics).join(', ')})` : ''}`,
        `  subscriptions: ${c.subscriptions.length}`,
        `  database:      ${storeLocation(c)}`,
        `  chat:          ${platforms.join(', ')}${platforms.length === 1 ? ' (no chat tokens set: digests print to stdout)' : ''}`,
        `  summaries:     ${c.summarize.useLlm && c.llm.enabled ? `LLM (${c.llm.model}) with extractive fallback` : 'extractive (offline)'}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      // Valid, but nothing would happen: feeds and subscriptions may still be added at run time, hence warnings.
      const counts = {
        feeds: c.feeds.length,
        topics: Object.keys(c.topics).length,
        subscriptions: c.subscriptions.length,
      };
      const { emptySetupWarnings } = await import('../config/empty-setup.js');
      for (const warning of emptySetupWarnings(counts, c.file)) process.stderr.write(`warning: ${warning}\n`);
    });
  config
    .command('schema')
    .description('Print the JSON Schema of the config file (for editor autocomplete)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (opts: { output?: string }) => {
      const { configJsonSchema } = await import('../config/json-schema.js');
      const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
      if (opts.output) writeFileSync(opts.output, text);
      else process.stdout.write(text);
    });
}
