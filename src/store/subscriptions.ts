import type { SubscriptionConfig } from '../config/schema.js';
import { maxAnnounceSeq } from './digest-stories.js';
import type { Sql } from './sql.js';

export interface SubscriptionRow {
  id: number;
  source: 'config' | 'command';
  platform: 'console' | 'discord' | 'slack';
  workspace: string;
  channel: string;
  /** '' when the subscription posts to the channel itself. */
  thread: string;
  topics: 'all' | string[];
  schedule: string;
  timezone: string;
  mode: 'digest' | 'instant';
  maxItems: number;
  minScore: number;
  /** announce_seq of the newest story covered by the last confirmed digest. */
  cursor: number;
  lastDigestAt: number | null;
  /** When the schedule last fired (a skipped empty digest still counts), for catch-up. */
  lastRunAt: number | null;
  active: boolean;
  /** Why delivery stopped (the channel is gone, or the bot lost access); null while the subscription runs. */
  pausedReason: string | null;
  pausedAt: number | null;
  createdAt: number;
}

/**
 * Makes the store match the config file: config subscriptions are upserted by channel, those
 * gone from the file are deactivated (their cursor kept, should they return). Subscriptions
 * created by commands are left alone.
 */
export async function syncConfigSubscriptions(sql: Sql, subs: SubscriptionConfig[], now: number): Promise<void> {
  const keep = new Set<number>();
  await sql.write(async () => {
    for (const sub of subs) keep.add(await upsertSubscription(sql, sub, { source: 'config', now }));
    for (const row of await listSubscriptions(sql)) {
      if (row.source === 'config' && row.active && !keep.has(row.id)) await setActive(sql, row.id, false);
    }
  });
}

/**
 * Inserts or updates the subscription for this channel; a new one starts at the current newest story. With
 * `resume`, a paused subscription runs again (a person asked for it); a restart syncing the config does not.
 */
export async function upsertSubscription(
  sql: Sql,
  sub: SubscriptionConfig,
  p: { source: 'config' | 'command'; now: number; resume?: boolean },
): Promise<number> {
  const key = { platform: sub.platform, workspace: sub.workspace, channel: sub.channel, thread: sub.thread ?? '' };
  const existing = await sql.value<number>(
    'SELECT id FROM subscriptions WHERE platform = @platform AND workspace = @workspace AND channel = @channel AND thread = @thread',
    key,
  );
  const values = {
    ...key,
    source: p.source,
    topics: JSON.stringify(sub.topics),
    schedule: sub.schedule,
    timezone: sub.timezone,
    mode: sub.mode,
    maxItems: sub.maxItems,
    minScore: sub.minScore,
  };
  if (existing !== undefined) {
    await sql.run(
      `UPDATE subscriptions SET source = @source, topics = @topics, schedule = @schedule, timezone = @timezone, mode = @mode,
         max_items = @maxItems, min_score = @minScore, active = 1,
         paused_reason = CASE WHEN @resume = 1 THEN NULL ELSE paused_reason END,
         paused_at = CASE WHEN @resume = 1 THEN NULL ELSE paused_at END
       WHERE id = @id`,
      { ...values, id: existing, resume: p.resume ? 1 : 0 },
    );
    return existing;
  }
  const cursor = await maxAnnounceSeq(sql);
  const id = await sql.value<number>(
    `INSERT INTO subscriptions (source, platform, workspace, channel, thread, topics, schedule, timezone, mode, max_items, min_score, cursor, created_at)
     VALUES (@source, @platform, @workspace, @channel, @thread, @topics, @schedule, @timezone, @mode, @maxItems, @minScore, @cursor, @now)
     RETURNING id`,
    { ...values, cursor, now: p.now },
  );
  return Number(id);
}

/** The subscription of this channel (and thread), if there is one. */
export async function findSubscription(
  sql: Sql,
  key: { platform: string; workspace: string; channel: string; thread?: string },
): Promise<SubscriptionRow | undefined> {
  const row = await sql.get<RawSubscription>(
    'SELECT * FROM subscriptions WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ?',
    [key.platform, key.workspace, key.channel, key.thread ?? ''],
  );
  return row ? toRow(row) : undefined;
}

export async function listSubscriptions(sql: Sql, opts: { activeOnly?: boolean } = {}): Promise<SubscriptionRow[]> {
  const rows = await sql.all<RawSubscription>(
    `SELECT * FROM subscriptions ${opts.activeOnly ? 'WHERE active = 1' : ''} ORDER BY id`,
  );
  return rows.map(toRow);
}

/**
 * Active instant subscriptions with a story announced past all they were offered: past their
 * cursor and past their newest digest's reservation (a dead digest's stories are offered again
 * with the next announcement, not at every check). Those with a digest still being sent wait for
 * it, and paused ones wait for a person. It does not matter which process announced the stories. One query, cheap enough for every
 * scheduler tick.
 */
export async function instantSubscriptionsBehind(sql: Sql): Promise<SubscriptionRow[]> {
  // "max(a, b) < newest" written as "a < newest AND b < newest": SQLite's two-argument max() is not PostgreSQL's.
  const rows = await sql.all<RawSubscription>(
    `SELECT s.* FROM subscriptions s
     WHERE s.active = 1 AND s.mode = 'instant' AND s.paused_reason IS NULL
       AND s.cursor < (SELECT coalesce(max(announce_seq), 0) FROM stories)
       AND coalesce((SELECT d.cursor_to FROM digests d WHERE d.subscription_id = s.id ORDER BY d.id DESC LIMIT 1), 0)
           < (SELECT coalesce(max(announce_seq), 0) FROM stories)
       AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.subscription_id = s.id AND d.status = 'pending')
     ORDER BY s.id`,
  );
  return rows.map(toRow);
}

export async function getSubscription(sql: Sql, id: number): Promise<SubscriptionRow | undefined> {
  const row = await sql.get<RawSubscription>('SELECT * FROM subscriptions WHERE id = ?', [id]);
  return row ? toRow(row) : undefined;
}

/** Removes a subscription and its outbox history. Returns false when there was none. */
export async function removeSubscription(sql: Sql, id: number): Promise<boolean> {
  return (await sql.run('DELETE FROM subscriptions WHERE id = ?', [id])).changes > 0;
}

/** Every subscription of a channel, its threads' included. */
export async function channelSubscriptions(
  sql: Sql,
  key: { platform: string; workspace: string; channel: string },
): Promise<SubscriptionRow[]> {
  const rows = await sql.all<RawSubscription>(
    'SELECT * FROM subscriptions WHERE platform = ? AND workspace = ? AND channel = ? ORDER BY thread, id',
    [key.platform, key.workspace, key.channel],
  );
  return rows.map(toRow);
}

/** Stops a subscription until a person resumes it. True when it was running: the caller says so once. */
export async function pauseSubscription(sql: Sql, id: number, reason: string, now: number): Promise<boolean> {
  const { changes } = await sql.run(
    'UPDATE subscriptions SET paused_reason = ?, paused_at = ? WHERE id = ? AND paused_reason IS NULL',
    [reason, now, id],
  );
  return changes > 0;
}

/** True when it was paused. */
export async function resumeSubscription(sql: Sql, id: number): Promise<boolean> {
  const { changes } = await sql.run(
    'UPDATE subscriptions SET paused_reason = NULL, paused_at = NULL WHERE id = ? AND paused_reason IS NOT NULL',
    [id],
  );
  return changes > 0;
}

export async function setActive(sql: Sql, id: number, active: boolean): Promise<void> {
  await sql.run('UPDATE subscriptions SET active = ? WHERE id = ?', [active ? 1 : 0, id]);
}

export async function markScheduleRun(sql: Sql, id: number, at: number): Promise<void> {
  await sql.run('UPDATE subscriptions SET last_run_at = ? WHERE id = ?', [at, id]);
}

interface RawSubscription {
  id: number;
  source: 'config' | 'command';
  platform: 'console' | 'discord' | 'slack';
  workspace: string;
  channel: string;
  thread: string;
  topics: string;
  schedule: string;
  timezone: string;
  mode: 'digest' | 'instant';
  max_items: number;
  min_score: number;
  cursor: number;
  last_digest_at: number | null;
  last_run_at: number | null;
  active: number;
  paused_reason: string | null;
  paused_at: number | null;
  created_at: number;
}

function toRow(r: RawSubscription): SubscriptionRow {
  return {
    id: r.id,
    source: r.source,
    platform: r.platform,
    workspace: r.workspace,
    channel: r.channel,
    thread: r.thread,
    topics: JSON.parse(r.topics) as 'all' | string[],
    schedule: r.schedule,
    timezone: r.timezone,
    mode: r.mode,
    maxItems: r.max_items,
    minScore: r.min_score,
    cursor: r.cursor,
    lastDigestAt: r.last_digest_at,
    lastRunAt: r.last_run_at,
    active: r.active === 1,
    pausedReason: r.paused_reason,
    pausedAt: r.paused_at,
    createdAt: r.created_at,
  };
}

/**
 * Moves the cursor without a delivery: only for stories that matched nothing the subscription
 * wants, so there is nothing to lose by skipping them.
 */
export async function skipCursor(sql: Sql, id: number, to: number): Promise<void> {
  // Never backwards; the CASE is a max() both dialects read.
  await sql.run('UPDATE subscriptions SET cursor = CASE WHEN cursor > @to THEN cursor ELSE @to END WHERE id = @id', {
    to,
    id,
  });
}
