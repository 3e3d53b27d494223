import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { redactUrl } from '../feeds/redact-url.js';
import { ago, parsePositiveInt, table, withApp, withStoreReadOnly } from './context.js';
import { registerFeedsAdd } from './feeds-add.js';
import { registerFeedsOpml } from './feeds-opml.js';

export function registerFeeds(program: Command): void {
  const feeds = program.command('feeds').description('Show and manage the feeds being watched');
  feeds
    .command('list')
    .description(
      'List the watched feeds: where each comes from (config, cli, opml, chat), state, consecutive failures, last error, last and next poll',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStoreReadOnly(cmd, async (app) => {
        const { feedSource, listFeeds } = await import('../store/feeds.js');
        const { watchedFeedsAsConfigured } = await import('../app/feed-admin.js');
        const now = app.clock.now();
        const rows = watchedFeedsAsConfigured(await listFeeds(app.db), app.config);
        if (opts.json) {
          const json = rows.map((f) => ({ ...f, source: feedSource(f) }));
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `${table(
            ['id', 'source', 'state', 'fails', 'last poll', 'next poll', 'last error', 'feed'],
            rows.map((f) => [
              f.id,
              feedSource(f),
              f.state,
              f.consecutiveFailures,
              ago(f.lastPolledAt, now),
              f.state === 'disabled' ? '—' : ago(f.nextPollAt, now),
              f.lastErrorKind ? `${f.lastErrorKind}: ${truncate(f.lastErrorMessage ?? '', 60)}` : '',
              // a private feed's URL may carry a token; this table gets pasted into chats and issues
              f.name ?? f.title ?? redactUrl(f.url),
            ]),
          )}\n`,
        );
        const disabled = rows.filter((f) => f.state === 'disabled').length;
        if (disabled > 0)
          process.stdout.write(`\n${disabled} disabled; re-enable one with: watchdesk feeds enable <id>\n`);
        // A read-only list cannot store them, so it says they exist rather than leave them out without a word.
        const listed = new Set(rows.map((f) => f.url));
        const unstored = app.config.feeds.filter((f) => !listed.has(f.url)).length;
        if (unstored > 0) {
          process.stdout.write(
            `\n${unstored} more in the config file, not stored yet: listed once the bot next starts or polls (watchdesk poll --once)\n`,
          );
        }
      });
    });
  feeds
    .command('enable <id>')
    .description('Re-enable a feed that was disabled after repeated failures; it is polled at the next cycle')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const feedId = parsePositiveInt('feed id')(id);
      await withApp(cmd, async (app) => {
        const { enableFeed, getFeed } = await import('../store/feeds.js');
        if (!(await getFeed(app.db, feedId)))
          throw new UserError('not_found', `no feed with id ${feedId}`, 'See: watchdesk feeds list');
        await enableFeed(app.db, feedId, app.clock.now());
        process.stdout.write(`feed ${feedId} enabled\n`);
      });
    });
  registerFeedsAdd(feeds);
  registerFeedsOpml(feeds);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
