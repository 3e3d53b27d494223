import type { Command } from 'commander';

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('Parse feed files or URLs (RSS, Atom, JSON Feed) and print the normalized items.')
    .argument('<inputs...>', 'feed files and/or http(s) URLs; - reads stdin')
    .option('--json', 'with one input: print a JSON array of items')
    .addHelpText(
      'after',
      `
Output:
  one input, --json   a JSON array of {id, url, title, published, author, categories, content, enclosures}
  one input           a readable listing
  several inputs      one JSON line per input: {"input", "items"} or {"input", "error": {"kind", "message"}}
Exit code: 0 when at least one input parsed, 1 when every input failed.`,
    )
    .action(async (inputs: string[], opts: { json?: boolean }, cmd: Command) => {
      const configFile = cmd.optsWithGlobals<{ config?: string }>().config;
      const { ParseSession, runParse } = await import('./parse-run.js');
      const session = new ParseSession(configFile);
      try {
        process.exitCode = await runParse(inputs, Boolean(opts.json), session);
      } finally {
        await session.close();
      }
    });
}
