import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { UserError } from '../errors.js';
import type { FullTextMode } from '../feeds/full-text.js';
import { redactUrl } from '../feeds/redact-url.js';
import { withApp } from './context.js';

/** `feeds add` and `feeds remove`: run-time feeds, kept in the database beside the config file's. */
export function registerFeedsAdd(feeds: Command): void {
  feeds
    .command('add <url>')
    .description(
      'Watch a feed without editing the config: fetches it once to check it, then saves it (kept across restarts)',
    )
    .option('--name <name>', 'outlet name shown in digests (default: the feed title)')
    .option('--interval <duration>', 'poll interval such as 15m or 2h; at least 1m (default: polling.defaultInterval)')
    .option('--full-text [mode]', 'fetch article pages: always (the flag alone), auto (the default) or never')
    .action(async (url: string, opts: { name?: string; interval?: string; fullText?: string | true }, cmd: Command) => {
      const admin = await import('../app/feed-admin.js');
      const target = admin.feedUrlArgument(url);
      const intervalMs = opts.interval === undefined ? undefined : intervalArgument(opts.interval);
      const fullText = fullTextArgument(opts.fullText);
      await withApp(cmd, async (app) => {
        const { addFeed } = await import('../pipeline/add-feed.js');
        const { previewLines } = await import('../feeds/feed-preview.js');
        const added = await addFeed(admin.addFeedDeps(app), {
          url: target,
          ...(opts.name ? { name: opts.name } : {}),
          ...(intervalMs !== undefined ? { intervalMs } : {}),
          fullText,
          addedBy: 'cli',
        }).catch((err: unknown) => {
          throw admin.notAddedError(target, err);
        });
        const lines = [admin.outcomeLine(added.outcome)];
        if (added.preview) {
          const title = added.preview.title ?? '(the feed has no title)';
          lines.push(`  title: ${title}`, ...previewLines(added.preview).map((l) => `  ${l}`));
          if (added.preview.finalUrl !== target) lines.push(`  (redirected to ${redactUrl(added.preview.finalUrl)})`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
        if (added.outcome.status === 'added' || added.outcome.status === 'readded') {
          process.stdout.write('The running bot polls it within a minute; or poll now with: watchdesk poll --once\n');
        }
      });
    });
  feeds
    .command('remove <url-or-id>')
    .description('Stop watching a feed added with feeds add, feeds import or /digest feed add (its items stay)')
    .action(async (idOrUrl: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const admin = await import('../app/feed-admin.js');
        const { findFeed, removeRuntimeFeed } = await import('../store/feed-sources.js');
        const feed = await findFeed(app.db, idOrUrl);
        if (!feed) {
          throw new UserError(
            'not_found',
            `no feed ${/^\d+$/.test(idOrUrl.trim()) ? 'with id' : 'at'} ${redactUrl(idOrUrl)}`,
            'See: watchdesk feeds list',
          );
        }
        if (!feed.addedBy) throw admin.notRuntimeError(feed);
        const after = (await removeRuntimeFeed(app.db, feed.id)) ?? feed;
        process.stdout.write(`${admin.removeFeedLine(feed, after)}\n`);
      });
    });
}

function intervalArgument(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms < 60_000) {
    throw new UserError(
      'bad_argument',
      `--interval must be a duration of at least 1m, such as 15m or 2h, got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

function fullTextArgument(value: string | true | undefined): FullTextMode {
  if (value === undefined) return 'auto';
  if (value === true) return 'always';
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new UserError('bad_argument', `--full-text takes always, auto or never, got ${JSON.stringify(value)}`);
}
