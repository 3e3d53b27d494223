/**
 * Claims for work that several watchdesk processes share through the job queue (src/jobs/). A job says what to
 * do; the row says whether it still needs doing, and one conditional UPDATE decides which process does it: the
 * server runs two of them on one row one after the other, and the second finds the condition false. A claim
 * lapses by itself (it is a time in the row), so work claimed by a process that died is taken up again.
 */
import { type FeedRow, getFeed, WATCHED } from './feeds.js';
import type { PartRef } from './outbox.js';
import type { Sql } from './sql.js';

/**
 * Claims a feed that is still due: its next poll time moves to `until`, so no other process polls it before
 * this poll records the real next time (or `until` passes). Undefined when it is not due (another process
 * polled it, or it is disabled, removed or gone).
 */
export async function claimDueFeed(
  sql: Sql,
  id: number,
  p: { now: number; until: number },
): Promise<FeedRow | undefined> {
  const { changes } = await sql.run(
    `UPDATE feeds SET next_poll_at = @until
     WHERE id = @id AND ${WATCHED} AND state != 'disabled' AND next_poll_at <= @now`,
    { id, now: p.now, until: p.until },
  );
  return changes === 1 ? getFeed(sql, id) : undefined;
}

/** Gives a claim back unused (a poll aborted at shutdown): the feed is due again from `dueAt`. */
export async function releaseFeedClaim(sql: Sql, id: number, p: { until: number; dueAt: number }): Promise<void> {
  await sql.run('UPDATE feeds SET next_poll_at = @dueAt WHERE id = @id AND next_poll_at = @until', { id, ...p });
}

/**
 * Claims a scheduled digest's slot: true for the one process whose claim moved the subscription's last run
 * from before `slot` to `now`. A slot is run once however many processes saw it due, and a catch-up of several
 * missed slots is one run (the last run is then past all of them).
 */
export async function claimScheduleSlot(sql: Sql, id: number, p: { slot: number; now: number }): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE subscriptions SET last_run_at = @now
     WHERE id = @id AND active = 1 AND coalesce(last_run_at, created_at) < @slot`,
    { id, ...p },
  );
  return changes === 1;
}

/**
 * Claims a digest part for one attempt: counts it (as recordAttempt does) and holds it until `until`, so that
 * no other process posts it meanwhile. The post then marks it sent or schedules its retry; a process that died
 * between post and mark leaves it to be taken up when the claim lapses, through the sender's checks for a part
 * already posted (src/delivery/README.md). Null when the part is not due, not pending, or gone.
 */
export async function claimPartAttempt(
  sql: Sql,
  part: PartRef,
  p: { now: number; until: number },
): Promise<number | null> {
  const attempts = await sql.value<number>(
    `UPDATE digest_parts SET attempts = attempts + 1, next_attempt_at = @until
     WHERE id = @id AND nonce = @nonce AND status = 'pending' AND next_attempt_at <= @now
     RETURNING attempts`,
    { id: part.id, nonce: part.nonce, ...p },
  );
  return attempts === undefined ? null : Number(attempts);
}

/**
 * The subscriptions (one per channel) whose pending digest has a part due now: what the deliver jobs are queued
 * for. Only a digest's first unsent part can be due to go out (parts go in order), but any due part is enough
 * to queue the job, which then finds out.
 */
export async function dueDeliveries(sql: Sql, now: number): Promise<number[]> {
  return sql.column<number>(
    `SELECT DISTINCT d.subscription_id FROM digests d JOIN digest_parts p ON p.digest_id = d.id
     WHERE d.status = 'pending' AND p.status = 'pending' AND p.next_attempt_at <= ?
     ORDER BY d.subscription_id`,
    [now],
  );
}
