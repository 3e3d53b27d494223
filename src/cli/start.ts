import type { Command } from 'commander';
import type { App } from '../app/app.js';
import type { SubscriptionRow } from '../store/subscriptions.js';
import { ago, channelLabel, withApp } from './context.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'Run the bot: poll feeds on their schedules, compose digests on each subscription schedule and deliver them ' +
        '(to the console when no chat tokens are set)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const { createMetrics } = await import('../http/metrics.js');
      await withApp(
        cmd,
        async (app) => {
          const { listFeeds } = await import('../store/feeds.js');
          const { listSubscriptions } = await import('../store/subscriptions.js');
          const { storeLocation } = await import('../config/load.js');
          const feeds = (await listFeeds(app.db)).filter((f) => f.watched);
          const subs = await listSubscriptions(app.db, { activeOnly: true });
          app.log.info('watchdesk starting', {
            config: app.config.file,
            db: storeLocation(app.config),
            feeds: feeds.length,
            disabledFeeds: feeds.filter((f) => f.state === 'disabled').length,
            topics: app.topics.length,
            subscriptions: subs.length,
            chat: Object.keys(app.senders).join(','),
          });
          // Counted from the store: feeds and subscriptions added at run time count as much as the file's.
          const { emptySetupWarnings } = await import('../config/empty-setup.js');
          const counts = { feeds: feeds.length, topics: app.topics.length, subscriptions: subs.length };
          for (const warning of emptySetupWarnings(counts, app.config.file)) app.log.warn(warning);
          if (!app.senders.discord && !app.senders.slack) {
            app.log.info('no chat tokens set: digests print to stdout as Markdown (console mode)');
          }
          const signal = firstSignal(app);
          const { runBot } = await import('../app/run.js');
          const bot = await runBot(app);
          await logNextRuns(app, subs);
          await bot.stop(await signal);
        },
        { defaultLogLevel: 'info', metrics: createMetrics, exclusive: true },
      );
      // Everything is closed; should a library still hold the event loop open, do not wait on it.
      setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
    });
}

/**
 * Resolves with the first SIGTERM or SIGINT. A second one exits at once (status 128 + signal
 * number, as a shell reports it), for a shutdown that takes longer than the person will wait.
 * Losing the instance lease to another bot also stops this one (status 1): two bots on one
 * database would post every digest twice.
 */
function firstSignal(app: App): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    const on = (signal: 'SIGTERM' | 'SIGINT') => {
      if (stopping) {
        app.log.warn('second signal: exiting at once', { signal });
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      stopping = true;
      resolve(signal);
    };
    process.on('SIGTERM', () => on('SIGTERM'));
    process.on('SIGINT', () => on('SIGINT'));
    app.lease?.onLost(() => {
      process.exitCode = 1;
      stopping = true;
      resolve('lease lost');
    });
  });
}

/** One line per subscription at start, so whoever starts the bot knows when the first digest will come. */
async function logNextRuns(app: App, subs: SubscriptionRow[]): Promise<void> {
  const { nextRunOf } = await import('../schedule/schedule.js');
  const { TOKEN_VARIABLE } = await import('../chat/types.js');
  const now = app.clock.now();
  for (const sub of subs) {
    const where = `subscription ${sub.id} (${channelLabel(sub)})`;
    const waits = app.senders[sub.platform]
      ? ''
      : `; it waits until ${TOKEN_VARIABLE[sub.platform] ?? 'its chat token'} is set`;
    if (sub.mode === 'instant') {
      app.log.info(`${where}: posts each new story as it arrives${waits}`);
      continue;
    }
    const next = nextRunOf(sub, now);
    const when =
      next === null
        ? 'has no next run (its schedule cannot be read)'
        : `next digest at ${new Date(next).toISOString().replace('.000', '')} (${ago(next, now)})`;
    app.log.info(`${where}: ${when}${waits}`, { schedule: sub.schedule, timezone: sub.timezone });
  }
}
