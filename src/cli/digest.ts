import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { UserError } from '../errors.js';
import type { Platform } from '../render/types.js';
import { parsePositiveInt, topicList, withStoreReadOnly } from './context.js';

/** Each --format is what that platform's sender would receive: md is the console's Markdown. */
type Format = 'md' | 'discord-json' | 'slack-json';
const FORMAT_PLATFORM: Record<Format, Platform> = { md: 'console', 'discord-json': 'discord', 'slack-json': 'slack' };
const FORMATS = Object.keys(FORMAT_PLATFORM) as Format[];

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description(
      'Print the digest that would be sent, as the payloads the platform would receive. Nothing is sent and no ' +
        'cursor moves.',
    )
    .option('--subscription <id>', "what this subscription's next digest would hold (new since its last delivery)")
    .option('--topics <ids>', 'comma-separated topic ids, or all (preview mode)', 'all')
    .option('--since <duration>', 'preview stories first seen within this window, e.g. 24h or 7d', '24h')
    .option('--max <n>', 'at most this many stories (preview mode)', '15')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'md')
    .action(
      async (
        opts: { subscription?: string; topics: string; since: string; max: string; format: string },
        cmd: Command,
      ) => {
        const format = FORMATS.find((f) => f === opts.format);
        if (!format) {
          throw new UserError(
            'bad_argument',
            `--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(opts.format)}`,
          );
        }
        const subscriptionId =
          opts.subscription === undefined ? undefined : parsePositiveInt('--subscription')(opts.subscription);
        const windowMs = parseDuration(opts.since);
        if (windowMs === null || windowMs <= 0) {
          throw new UserError(
            'bad_argument',
            `--since must be a duration such as 24h or 7d, got ${JSON.stringify(opts.since)}`,
          );
        }
        const max = parsePositiveInt('--max')(opts.max);
        await withStoreReadOnly(cmd, async (app) => {
          const { nextDigestOf, previewDigest, topicNames } = await import('../pipeline/digests.js');
          const { renderDigest } = await import('../render/index.js');
          const { getSubscription } = await import('../store/subscriptions.js');
          let digest: import('../digest/types.js').Digest;
          if (subscriptionId !== undefined) {
            const sub = await getSubscription(app.db, subscriptionId);
            if (!sub) {
              throw new UserError(
                'not_found',
                `no subscription with id ${subscriptionId}`,
                'See: watchdesk subscriptions list',
              );
            }
            digest = await nextDigestOf(app.digestDeps, sub);
          } else {
            const names = topicNames(app.config);
            const topics = topicList(opts.topics);
            const unknown = topics === 'all' ? [] : topics.filter((t) => !(t in names));
            if (unknown.length > 0) {
              throw new UserError(
                'bad_argument',
                `unknown topic(s): ${unknown.join(', ')}`,
                `Known topics: ${Object.keys(names).join(', ')}`,
              );
            }
            const title = `${app.config.bot.name} digest (last ${opts.since})`;
            digest = await previewDigest(app.digestDeps, { title, topics, windowMs, maxItems: max });
          }
          const payloads = renderDigest(digest, FORMAT_PLATFORM[format]).map((part) => part.payload);
          process.stdout.write(format === 'md' ? payloads.join('') : `${JSON.stringify(payloads, null, 2)}\n`);
        });
      },
    );
}
