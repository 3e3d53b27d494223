/** How subscriptions read in replies: where, what, when, and why one is paused. */
import { nextRunOf } from '../schedule/schedule.js';
import type { SubscriptionRow } from '../store/subscriptions.js';
import { when } from './common.js';
import { code, type Line } from './reply.js';
import type { CommandDeps } from './types.js';

export function topicsText(deps: CommandDeps, topics: 'all' | string[]): string {
  if (topics === 'all') return 'all topics';
  return topics.map((t) => deps.config.topics[t]?.name ?? t).join(', ');
}

export function scheduleText(sub: Pick<SubscriptionRow, 'mode' | 'schedule' | 'timezone'>): string {
  return sub.mode === 'instant' ? 'instant (each new story, as it comes)' : `${sub.schedule} (${sub.timezone})`;
}

/** "Next digest: Tue 6 Jan, 08:30 Europe/London (in 3 h)", or why there is none. */
export function nextRunLine(deps: CommandDeps, sub: SubscriptionRow): Line {
  if (sub.pausedReason)
    return ['Paused: ', sub.pausedReason, '. Type ', code('/digest subscribe'), ' here to resume it.'];
  if (sub.mode === 'instant') return 'New stories are posted within one poll cycle.';
  const now = deps.now();
  const next = nextRunOf(sub, now);
  return next === null ? 'No next run: the schedule never fires.' : `Next digest: ${when(next, now, sub.timezone)}`;
}

/** "#3 in this channel", "#4 in thread 1234" */
export function whereText(sub: Pick<SubscriptionRow, 'id' | 'thread'>, inv: { thread: string }): string {
  if (!sub.thread) return `#${sub.id} in this channel`;
  return sub.thread === inv.thread ? `#${sub.id} in this thread` : `#${sub.id} in thread ${sub.thread}`;
}
