import type { Command } from 'commander';
import { redactUrlsIn } from '../feeds/redact-url.js';
import { table, withApp } from './context.js';

export function registerPoll(program: Command): void {
  program
    .command('poll')
    .description('Poll feeds, then store, classify, cluster and summarize what is new (no digests are sent)')
    .option('--once', 'poll every enabled feed once now, whatever its schedule, then exit')
    .option('--json', 'print one JSON object per feed instead of a table')
    .action(async (opts: { once?: boolean; json?: boolean }, cmd: Command) => {
      await withApp(
        cmd,
        async (app) => {
          const { pollAndIngest } = await import('../app/poll-cycle.js');
          const { retryUnfinished } = await import('../app/ingest.js');
          const { listFeeds } = await import('../store/feeds.js');
          const now = app.clock.now();
          const feeds = listFeeds(app.db).filter(
            (f) => f.inConfig && f.state !== 'disabled' && (opts.once || f.nextPollAt <= now),
          );
          // A feed without a name is labelled by its URL, which may carry a token: mask it, as
          // this output is what people paste into chats and bug reports.
          const reports = (await pollAndIngest(app, feeds)).map((r) => ({ ...r, feed: redactUrlsIn(r.feed) }));
          // Items an earlier run (or the bot) left unfinished get another go.
          await retryUnfinished(app.ingestDeps);
          if (opts.json) {
            for (const r of reports) process.stdout.write(`${JSON.stringify(r)}\n`);
            return;
          }
          const rows = reports.map((r) => [
            r.status === 'error'
              ? `error: ${r.error?.kind}`
              : r.status === 'not_modified'
                ? '304 not modified'
                : r.firstPoll
                  ? 'ok (first poll)'
                  : 'ok',
            r.newItems,
            r.matched,
            `${Math.round(r.elapsedMs)} ms`,
            r.error ? `${r.feed} — ${r.error.message}` : r.feed,
          ]);
          process.stdout.write(`${table(['status', 'new', 'on-topic', 'time', 'feed'], rows)}\n`);
          const failed = reports.filter((r) => r.status === 'error').length;
          const fresh = reports.reduce((n, r) => n + r.newItems, 0);
          process.stdout.write(`\n${reports.length} feeds polled: ${fresh} new items, ${failed} failed.\n`);
          if (reports.some((r) => r.firstPoll)) {
            process.stdout.write(
              'First polls store items without announcing them, so a new feed never floods a channel.\n',
            );
          }
        },
        // the table reports each feed's failure itself
        { logLevel: 'error' },
      );
    });
}
