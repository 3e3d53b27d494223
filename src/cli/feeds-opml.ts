import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { withApp, withStoreReadOnly } from './context.js';

/** `feeds import <file.opml>` and `feeds export [--out file.opml]`. */
export function registerFeedsOpml(feeds: Command): void {
  feeds
    .command('import <file>')
    .description(
      'Add every feed of an OPML file (from another feed reader), each checked by one fetch; duplicates and bad entries are reported and skipped',
    )
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const { parseOpml } = await import('../feeds/opml.js');
      const doc = parseOpml(readOpml(file));
      if (!doc) {
        throw new UserError(
          'bad_opml',
          `${file} is not an OPML file (no <opml> element with a <body>)`,
          'Export the subscription list from your feed reader as OPML, and import that file.',
        );
      }
      await withApp(cmd, async (app) => {
        const { addFeedDeps } = await import('../app/feed-admin.js');
        const { importFeeds } = await import('../pipeline/import-feeds.js');
        const { createProgress } = await import('./progress.js');
        // the total is known once duplicates are set aside, at the first step
        let bar: ReturnType<typeof createProgress> | undefined;
        const report = await importFeeds(addFeedDeps(app), doc.feeds, (p) => {
          bar ??= createProgress({ label: 'import', total: p.total });
          bar.tick(`${p.entry}: ${p.outcome}`);
        });
        bar?.done();
        const lines: string[] = [];
        for (const a of report.added) lines.push(`added    feed ${a.feedId}: ${a.entry} (${a.items} items)`);
        for (const d of report.duplicates) lines.push(`skipped  ${d.entry}: ${d.reason}`);
        for (const f of [...doc.problems, ...report.failed]) lines.push(`bad      ${f.entry}: ${f.reason}`);
        const bad = doc.problems.length + report.failed.length;
        lines.push(
          '',
          `${report.added.length} added, ${report.duplicates.length} duplicate${report.duplicates.length === 1 ? '' : 's'} skipped, ${bad} bad entr${bad === 1 ? 'y' : 'ies'} skipped.`,
        );
        if (report.added.length > 0) {
          lines.push(
            'Their first polls store items without announcing them; the running bot polls them within a minute.',
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
        // a script sees that something was left out
        if (bad > 0) process.exitCode = 1;
      });
    });
  feeds
    .command('export')
    .description('Write the watched feeds as OPML (titles and folders kept), for another feed reader or a backup')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: { out?: string }, cmd: Command) => {
      await withStoreReadOnly(cmd, async (app) => {
        const { writeOpml } = await import('../feeds/opml.js');
        const { listFeeds } = await import('../store/feeds.js');
        const { watchedFeedsAsConfigured } = await import('../app/feed-admin.js');
        const feeds = watchedFeedsAsConfigured(await listFeeds(app.db), app.config).map((f) => ({
          url: f.url,
          title: f.name ?? f.title,
          category: f.category,
        }));
        const text = writeOpml(`${app.config.bot.name} feeds`, feeds, new Date(app.clock.now()));
        if (!opts.out) {
          process.stdout.write(text);
          return;
        }
        writeFileSync(opts.out, text);
        process.stdout.write(`wrote ${feeds.length} feed${feeds.length === 1 ? '' : 's'} to ${opts.out}\n`);
      });
    });
}

function readOpml(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError('bad_argument', `cannot read ${file} (${code})`, 'Check the path of the OPML file.');
  }
}
