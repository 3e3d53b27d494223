import type { SubscriptionConfig } from '../config/schema.js';
import type { SubscriptionRow } from '../store/subscriptions.js';

/** A subscription as listed: `id` is null for one the config file adds that no writing command has stored yet. */
export type ListedSubscription = Omit<SubscriptionRow, 'id'> & { id: number | null };

/**
 * The stored subscriptions with the config file laid over them in memory, as the sync a writing
 * command runs (syncConfigSubscriptions) would leave them, so a read-only `subscriptions list`
 * shows the file as it is now without writing: a channel's settings come from the file, a channel
 * new in the file is listed without an id, and a config subscription gone from the file is inactive.
 */
export function subscriptionsAsConfigured(
  rows: SubscriptionRow[],
  configured: SubscriptionConfig[],
  now: number,
): ListedSubscription[] {
  const keyOf = (s: { platform: string; workspace: string; channel: string; thread?: string }) =>
    JSON.stringify([s.platform, s.workspace, s.channel, s.thread ?? '']);
  const byKey = new Map(configured.map((s) => [keyOf(s), s]));
  const listed: ListedSubscription[] = rows.map((row) => {
    const sub = byKey.get(keyOf(row));
    if (!sub) return row.source === 'config' ? { ...row, active: false } : row;
    byKey.delete(keyOf(row));
    return { ...row, ...settingsOf(sub), source: 'config', active: true };
  });
  for (const sub of byKey.values()) {
    listed.push({
      id: null,
      source: 'config',
      platform: sub.platform,
      workspace: sub.workspace,
      channel: sub.channel,
      thread: sub.thread ?? '',
      ...settingsOf(sub),
      cursor: 0,
      lastDigestAt: null,
      lastRunAt: null,
      active: true,
      pausedReason: null,
      pausedAt: null,
      createdAt: now,
    });
  }
  return listed;
}

function settingsOf(sub: SubscriptionConfig) {
  return {
    topics: sub.topics,
    schedule: sub.schedule,
    timezone: sub.timezone,
    mode: sub.mode,
    maxItems: sub.maxItems,
    minScore: sub.minScore,
  };
}
