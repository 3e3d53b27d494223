import type { Command } from 'commander';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run one whole cycle offline on bundled demo feeds (poll → classify → cluster → summarize → compose → ' +
        'render) and print the digest',
    )
    .option('--db <file>', 'keep the demo database in this file (default: a temp file, removed afterwards)')
    .action(async (opts: { db?: string }) => {
      const { runDemo } = await import('../app/demo.js');
      await runDemo({ dbPath: opts.db });
    });
}
