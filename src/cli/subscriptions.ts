import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { SubscriptionRow } from '../store/subscriptions.js';
import { ago, channelLabel, parsePositiveInt, table, topicList, withApp, withStoreReadOnly } from './context.js';

interface AddOptions {
  platform: string;
  workspace?: string;
  channel: string;
  thread?: string;
  topics: string;
  schedule: string;
  timezone: string;
  mode: string;
  maxItems: string;
  minScore: string;
  replace?: boolean;
}

export function registerSubscriptions(program: Command): void {
  const subs = program.command('subscriptions').description('List, add and remove channel subscriptions');
  registerList(subs);
  registerAdd(subs);
  registerResumeAndRemove(subs);
}

/** `subscriptions list`: only reads the store, with the config file's subscriptions laid over it as they are now. */
function registerList(subs: Command): void {
  subs
    .command('list')
    .description('List subscriptions with their schedule, next run and last delivered digest')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStoreReadOnly(cmd, async (app) => {
        const { listSubscriptions } = await import('../store/subscriptions.js');
        const { subscriptionsAsConfigured } = await import('../app/subscriptions-view.js');
        const { nextRunOf } = await import('../schedule/schedule.js');
        const now = app.clock.now();
        const listed = subscriptionsAsConfigured(await listSubscriptions(app.db), app.config.subscriptions, now);
        // A paused subscription has no next run until a person resumes it.
        const rows = listed.map((s) => ({
          ...s,
          nextRunAt: s.pausedReason ? null : nextRunOf(s, now),
        }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write(
            'No subscriptions. Add one with: watchdesk subscriptions add --platform … --channel …\n',
          );
          return;
        }
        process.stdout.write(
          `${table(
            ['id', 'source', 'channel', 'topics', 'schedule', 'next run', 'last digest'],
            rows.map((s) => [
              s.id ?? 'new',
              s.active ? s.source : `${s.source} (inactive)`,
              channelLabel(s),
              s.topics === 'all' ? 'all' : s.topics.join(','),
              s.mode === 'instant' ? 'instant' : `${s.schedule} (${s.timezone})`,
              nextRunCell(s, now),
              ago(s.lastDigestAt, now),
            ]),
          )}\n`,
        );
        if (rows.some((s) => s.id === null)) {
          process.stdout.write('\nnew: in the config file, stored when the bot next starts or polls\n');
        }
        const paused = rows.filter((s) => s.pausedReason);
        if (paused.length > 0) {
          process.stdout.write(
            `\n${paused.length} paused: fix the channel, then resume with: watchdesk subscriptions resume <id>\n`,
          );
        }
      });
    });
}

/** `subscriptions add`: a config-file subscription is never overwritten; an existing channel needs --replace. */
function registerAdd(subs: Command): void {
  subs
    .command('add')
    .description('Subscribe a channel to topics on a schedule (stored in the database)')
    .requiredOption('--platform <platform>', 'discord, slack or console')
    .requiredOption('--channel <id>', 'channel id')
    .option('--workspace <id>', 'Discord guild id or Slack team id')
    .option('--thread <id>', 'post into this thread')
    .option('--topics <ids>', 'comma-separated topic ids, or all', 'all')
    .option('--schedule <spec>', 'hourly, "daily 09:00", "weekdays 08:30", "weekly mon 09:00" or cron', 'daily 09:00')
    .option('--timezone <zone>', 'IANA time zone', 'UTC')
    .option('--mode <mode>', 'digest or instant', 'digest')
    .option('--max-items <n>', 'stories per digest', '10')
    .option('--min-score <x>', 'minimum topic score, from 0 to 1', '0')
    .option('--replace', "replace this channel's subscription if it has one (refused otherwise)")
    .action(async (opts: AddOptions, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const { findSubscription, upsertSubscription } = await import('../store/subscriptions.js');
        const raw = {
          platform: opts.platform,
          workspace: opts.workspace ?? '',
          channel: opts.channel,
          ...(opts.thread ? { thread: opts.thread } : {}),
          topics: topicList(opts.topics),
          schedule: opts.schedule,
          timezone: opts.timezone,
          mode: opts.mode,
          maxItems: Number(opts.maxItems),
          minScore: Number(opts.minScore),
        };
        const { checkSubscription } = await import('../config/subscription.js');
        const checked = checkSubscription(raw, Object.keys(app.config.topics));
        if (!checked.ok) {
          throw new UserError(
            'bad_argument',
            `invalid subscription:\n${checked.issues.map((i) => `  --${flagOf(i.path)}: expected ${i.expected}, found ${i.found}`).join('\n')}`,
          );
        }
        // A command would take over the file's subscription until the next start rewrote it, and
        // `remove` would then delete its cursor: the file stays the one place to change it.
        const existing = await findSubscription(app.db, checked.value);
        if (existing?.source === 'config' && existing.active) {
          throw new UserError(
            'from_config',
            `this channel already has subscription ${existing.id}, from ${app.config.file}`,
            'Change it in that file.',
          );
        }
        // One subscription per channel: adding again would silently overwrite the first one's settings.
        const replacing = existing?.active ? existing : undefined;
        if (replacing && !opts.replace) {
          throw new UserError(
            'already_subscribed',
            `${channelLabel(replacing)} already has subscription ${replacing.id} (${describeSub(replacing)})`,
            `Add --replace to replace it with these settings, or remove it first: watchdesk subscriptions remove ${replacing.id}`,
          );
        }
        const id = await upsertSubscription(app.db, checked.value, { source: 'command', now: app.clock.now() });
        const label = channelLabel({ ...checked.value, thread: checked.value.thread ?? '' });
        process.stdout.write(
          replacing
            ? `subscription ${id} replaced: ${label} (was ${describeSub(replacing)})\n`
            : `subscription ${id} saved: ${label}\n`,
        );
      });
    });
}

function registerResumeAndRemove(subs: Command): void {
  subs
    .command('resume <id>')
    .description('Resume a subscription paused because its channel was gone or the bot had lost access')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const subId = parsePositiveInt('subscription id')(id);
      await withApp(cmd, async (app) => {
        const { getSubscription, resumeSubscription } = await import('../store/subscriptions.js');
        const sub = await getSubscription(app.db, subId);
        if (!sub)
          throw new UserError('not_found', `no subscription with id ${subId}`, 'See: watchdesk subscriptions list');
        if (!(await resumeSubscription(app.db, subId))) {
          process.stdout.write(`subscription ${subId} is not paused; nothing to do\n`);
          return;
        }
        process.stdout.write(
          `subscription ${subId} resumed (it was paused: ${sub.pausedReason}); its next digest goes out on schedule\n`,
        );
      });
    });
  subs
    .command('remove <id>')
    .description('Remove a subscription created by a command (config subscriptions are removed from the file)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const subId = parsePositiveInt('subscription id')(id);
      await withApp(cmd, async (app) => {
        const { getSubscription, removeSubscription } = await import('../store/subscriptions.js');
        const sub = await getSubscription(app.db, subId);
        if (!sub)
          throw new UserError('not_found', `no subscription with id ${subId}`, 'See: watchdesk subscriptions list');
        if (sub.source === 'config') {
          throw new UserError(
            'from_config',
            `subscription ${subId} comes from ${app.config.file}`,
            'Remove it from that file; it is deactivated at the next start.',
          );
        }
        await removeSubscription(app.db, subId);
        process.stdout.write(`subscription ${subId} removed\n`);
      });
    });
}

function describeSub(s: SubscriptionRow): string {
  const topics = s.topics === 'all' ? 'all topics' : `topics ${s.topics.join(', ')}`;
  const when = s.mode === 'instant' ? 'instant' : `${s.schedule} ${s.timezone}`;
  return `${topics}, ${when}`;
}

function nextRunCell(
  s: Pick<SubscriptionRow, 'pausedReason' | 'mode'> & { nextRunAt: number | null },
  now: number,
): string {
  if (s.pausedReason) return `paused: ${s.pausedReason}`;
  if (s.nextRunAt !== null)
    return `${new Date(s.nextRunAt).toISOString().replace('.000', '')} (${ago(s.nextRunAt, now)})`;
  return s.mode === 'instant' ? 'each poll' : '—';
}

/** Maps a validation path (maxItems, topics.0) back to the flag a person typed. */
function flagOf(path: string): string {
  const head = path.split('.')[0] ?? path;
  return head.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
