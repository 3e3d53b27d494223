import type { ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { nextRunAfter, parseSchedule, type Schedule } from '../schedule/schedule.js';
import type { Sql } from '../store/sql.js';
import { getSubscription, listSubscriptions, type SubscriptionRow } from '../store/subscriptions.js';
import { scheduleDigestCron } from './cron.js';

export interface CronRegistry {
  /** Re-reads subscriptions (command-created ones appear at run time) and (re)creates their cron jobs. */
  refresh(): Promise<void>;
  /** Runs, once, each digest that fell due while the bot was down (not once per missed slot). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One node-cron job per active digest subscription, in its own time zone, never overlapping itself;
 * a job runs the subscription as the store has it at that moment.
 */
export function createCronRegistry(
  deps: { db: Sql; clock: Clock; log: Logger },
  run: (sub: SubscriptionRow, why: 'schedule' | 'catch-up') => Promise<unknown>,
): CronRegistry {
  const tasks = new Map<number, { key: string; task: ScheduledTask }>();
  const scheduleOf = unusableSaidOnce(deps.log);

  const refresh = async () => {
    const subs = (await listSubscriptions(deps.db, { activeOnly: true })).filter((s) => s.mode === 'digest');
    const live = new Set(subs.map((s) => s.id));
    for (const [id, entry] of tasks) {
      if (!live.has(id)) {
        void entry.task.destroy();
        tasks.delete(id);
      }
    }
    for (const sub of subs) {
      const key = `${sub.schedule}|${sub.timezone}`;
      const existing = tasks.get(sub.id);
      if (existing?.key === key) continue;
      if (existing) void existing.task.destroy();
      const sched = scheduleOf(sub);
      if (!sched) continue;
      const task = scheduleDigestCron({
        cron: sched.cron,
        timezone: sched.timezone,
        name: `digest-${sub.id}`,
        // node-cron swallows what its job throws without a word: a failed read is logged here.
        // Awaited, so that node-cron's noOverlap keeps a slow run from overlapping the next slot's.
        fire: async () => {
          try {
            const fresh = await getSubscription(deps.db, sub.id);
            if (fresh?.active) await run(fresh, 'schedule');
          } catch (err) {
            deps.log.error('a scheduled digest could not start; its stories go out with the next one', {
              subscription: sub.id,
              err,
            });
          }
        },
      });
      tasks.set(sub.id, { key, task });
    }
  };

  const catchUp = async () => {
    for (const sub of await listSubscriptions(deps.db, { activeOnly: true })) {
      const sched = sub.mode === 'digest' ? scheduleOf(sub) : null;
      if (!sched) continue;
      const due = nextRunAfter(sched, sub.lastRunAt ?? sub.createdAt);
      if (due !== null && due <= deps.clock.now()) {
        deps.log.info('catching up a missed digest', { subscription: sub.id, dueAt: new Date(due).toISOString() });
        await run(sub, 'catch-up');
      }
    }
  };

  return {
    refresh,
    catchUp,
    async stop() {
      for (const { task } of tasks.values()) await task.destroy();
      tasks.clear();
    },
  };
}

/** The subscription's schedule, or null (said once) for one this runtime cannot read, e.g. a zone its ICU lacks. */
function unusableSaidOnce(log: Logger): (sub: SubscriptionRow) => Schedule | null {
  const said = new Set<string>();
  return (sub) => {
    try {
      return parseSchedule(sub.schedule, sub.timezone);
    } catch (err) {
      const key = `${sub.id}|${sub.schedule}|${sub.timezone}`;
      if (!said.has(key)) {
        said.add(key);
        log.error('subscription has an unusable schedule; it will not run', { subscription: sub.id, err });
      }
      return null;
    }
  };
}
