import type { Command } from 'commander';
import { redactUrlsIn } from '../feeds/redact-url.js';
import type { FeedPollReport } from '../pipeline/poll-cycle.js';
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
          const { pollAndIngest } = await import('../pipeline/poll-cycle.js');
          const { retryUnfinished } = await import('../pipeline/ingest.js');
          const { listFeeds } = await import('../store/feeds.js');
          const now = app.clock.now();
          const feeds = (await listFeeds(app.db)).filter(
            (f) => f.watched && f.state !== 'disabled' && (opts.once || f.nextPollAt <= now),
          );
          // A feed without a name is labelled by its URL, which may carry a token: mask it, as
          // this output is what people paste into chats and bug reports.
          const { createProgress } = await import('./progress.js');
          const bar = createProgress({ label: 'poll', total: feeds.length });
          const polled = await pollAndIngest(app, feeds, (r) =>
            bar.tick(
              `${redactUrlsIn(r.feed)}: ${r.status === 'error' ? `error ${r.error?.kind}` : `${r.newItems} new`}`,
            ),
          );
          bar.done();
          const reports = polled.map((r) => ({ ...r, feed: redactUrlsIn(r.feed) }));
          // Items an earlier run (or the bot) left unfinished get another go.
          const retried = await retryUnfinished(app.ingestDeps);
          const failedFeeds = reports.filter((r) => r.status === 'error').length;
          const failedItems = reports.reduce((n, r) => n + r.failedItems, 0) + retried.failed;
          // A script (cron, CI) must see a failure without reading the table.
          if (failedFeeds + failedItems > 0) process.exitCode = 1;
          if (opts.json) {
            for (const r of reports) process.stdout.write(`${JSON.stringify(r)}\n`);
            return;
          }
          process.stdout.write(`${table(['status', 'new', 'on-topic', 'failed', 'time', 'feed'], rows(reports))}\n`);
          const fresh = reports.reduce((n, r) => n + r.newItems, 0);
          process.stdout.write(
            `\n${plural(reports.length, 'feed')} polled: ${fresh} new items; ${plural(failedFeeds, 'feed')} failed, ` +
              `${plural(failedItems - retried.failed, 'item')} failed.\n`,
          );
          if (retried.retried > 0) {
            process.stdout.write(
              `${plural(retried.retried, 'unfinished item')} from earlier taken up again: ${retried.finished} finished, ${retried.failed} failed.\n`,
            );
          }
          if (reports.some((r) => r.firstPoll)) {
            process.stdout.write(
              'First polls store items without announcing them, so a new feed never floods a channel.\n',
            );
          }
          if (failedFeeds > 0) {
            process.stderr.write(
              'Some feeds failed (reasons above); each is polled again after a back-off, and `watchdesk feeds list` shows its state.\n',
            );
          }
          if (failedItems > 0) {
            process.stderr.write(
              'Some items were stored but not finished (topics, summary or story); the next poll, or the running bot, tries them again.\n',
            );
          }
        },
        // the table reports each feed's failure itself
        { logLevel: 'error' },
      );
    });
}

function rows(reports: FeedPollReport[]): (string | number)[][] {
  return reports.map((r) => [
    r.status === 'error'
      ? `error: ${r.error?.kind}`
      : r.status === 'not_modified'
        ? '304 not modified'
        : r.firstPoll
          ? 'ok (first poll)'
          : 'ok',
    r.newItems,
    r.matched,
    r.failedItems,
    `${Math.round(r.elapsedMs)} ms`,
    r.error ? `${r.feed} — ${r.error.message}` : r.feed,
  ]);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
