// biome-ignore-all lint/style/noExcessiveLinesPerFile: every query on the outbox tables in one file, so the exactly-once rules (src/delivery/README.md) are checked in one place
/**
 * The delivery outbox: tables digests and digest_parts, plus the subscription cursor that moves
 * only when a digest is confirmed. The rules these queries keep are described in
 * src/delivery/README.md.
 */
import type { RenderedPart } from '../render/types.js';
import type { Sql } from './sql.js';

export interface NewDigest {
  subscriptionId: number;
  /**
   * Parts in posting order, all for the subscription's platform. The platform goes to its own
   * column and the payload alone is stored as JSON (the row format every stored part has).
   */
  parts: RenderedPart[];
  /** The part's nonce, from the new digest id and the part's 1-based seq; stored, so stable across retries. */
  nonceFor: (digestId: number, seq: number) => string;
  cursorFrom: number;
  cursorTo: number;
  storyCount: number;
  now: number;
}

export interface PendingDigestRow {
  id: number;
  subscriptionId: number;
  cursorTo: number;
  createdAt: number;
}

export interface PartRow {
  id: number;
  digestId: number;
  seq: number;
  platform: string;
  payload: string;
  nonce: string;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  platformMessageId: string | null;
  lastError: string | null;
  sentAt: number | null;
}

export interface DeadPart {
  partId: number;
  digestId: number;
  subscriptionId: number;
  platform: string;
  workspace: string;
  channel: string;
  thread: string;
  seq: number;
  partCount: number;
  attempts: number;
  lastError: string | null;
  digestCreatedAt: number;
}

export interface OutboxStatus {
  pendingDigests: number;
  pendingParts: number;
  deadParts: number;
}

export class OutboxError extends Error {
  constructor(
    readonly code:
      | 'pending_exists'
      | 'no_parts'
      | 'bad_cursor'
      | 'no_subscription'
      | 'platform_mismatch'
      | 'not_dead'
      | 'not_found'
      | 'superseded',
    message: string,
  ) {
    super(message);
    this.name = 'OutboxError';
  }
}

/**
 * Inserts the digest and all its parts in ONE transaction: either every row is there or none.
 * Payloads are serialized inside the transaction, so a payload that cannot be stored rolls the
 * whole digest back.
 */
export async function insertDigest(sql: Sql, d: NewDigest): Promise<number> {
  return sql.write(async () => {
    const platform = await sql.value<string>('SELECT platform FROM subscriptions WHERE id = ?', [d.subscriptionId]);
    if (platform === undefined) {
      throw new OutboxError('no_subscription', `subscription ${d.subscriptionId} does not exist`);
    }
    const foreign = d.parts.find((part) => part.platform !== platform);
    if (foreign) {
      throw new OutboxError(
        'platform_mismatch',
        `subscription ${d.subscriptionId} is on ${platform}, not ${foreign.platform}`,
      );
    }
    if (await hasPendingDigest(sql, d.subscriptionId)) {
      throw new OutboxError(
        'pending_exists',
        `subscription ${d.subscriptionId} already has a pending digest; deliver it before composing another`,
      );
    }
    const digestId = Number(
      await sql.value<number>(
        `INSERT INTO digests (subscription_id, created_at, cursor_from, cursor_to, story_count, status)
         VALUES (?, ?, ?, ?, ?, 'pending') RETURNING id`,
        [d.subscriptionId, d.now, d.cursorFrom, d.cursorTo, d.storyCount],
      ),
    );
    for (const [i, part] of d.parts.entries()) {
      await sql.run(
        `INSERT INTO digest_parts (digest_id, seq, platform, payload, nonce, status, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, 0)`,
        [digestId, i + 1, part.platform, JSON.stringify(part.payload), d.nonceFor(digestId, i + 1)],
      );
    }
    return digestId;
  });
}

/**
 * A part as the sender read it. Every write after a post names the part by id AND nonce: when a
 * subscription is removed mid-post, its digest and parts are deleted, and SQLite may hand the same
 * ids to a newly composed digest; the nonce (salted per digest) tells the two apart, so a late
 * answer can never mark someone else's part sent.
 */
export type PartRef = Pick<PartRow, 'id' | 'nonce'>;

export interface DigestRow {
  id: number;
  subscriptionId: number;
  createdAt: number;
  cursorFrom: number;
  cursorTo: number;
  storyCount: number;
  status: 'pending' | 'delivered' | 'dead';
  deliveredAt: number | null;
}

export async function getDigest(sql: Sql, digestId: number): Promise<DigestRow | undefined> {
  return sql.get<DigestRow>(
    `SELECT id, subscription_id AS "subscriptionId", created_at AS "createdAt", cursor_from AS "cursorFrom",
            cursor_to AS "cursorTo", story_count AS "storyCount", status, delivered_at AS "deliveredAt"
     FROM digests WHERE id = ?`,
    [digestId],
  );
}

export async function hasPendingDigest(sql: Sql, subscriptionId: number): Promise<boolean> {
  const found = await sql.value("SELECT 1 FROM digests WHERE subscription_id = ? AND status = 'pending' LIMIT 1", [
    subscriptionId,
  ]);
  return found !== undefined;
}

/** Status of the subscription's most recent digest; undefined when it has none. */
export async function latestDigestStatus(sql: Sql, subscriptionId: number): Promise<DigestRow['status'] | undefined> {
  return sql.value<DigestRow['status']>(
    'SELECT status FROM digests WHERE subscription_id = ? ORDER BY id DESC LIMIT 1',
    [subscriptionId],
  );
}

export async function pendingDigests(sql: Sql): Promise<PendingDigestRow[]> {
  return sql.all<PendingDigestRow>(
    `SELECT id, subscription_id AS "subscriptionId", cursor_to AS "cursorTo", created_at AS "createdAt"
     FROM digests WHERE status = 'pending' ORDER BY id`,
  );
}

/** Parts not yet confirmed, in posting order. */
export async function unsentParts(sql: Sql, digestId: number): Promise<PartRow[]> {
  return sql.all<PartRow>(`${PART_SELECT} WHERE digest_id = ? AND status <> 'sent' ORDER BY seq`, [digestId]);
}

export async function getParts(sql: Sql, digestId: number): Promise<PartRow[]> {
  return sql.all<PartRow>(`${PART_SELECT} WHERE digest_id = ? ORDER BY seq`, [digestId]);
}

/**
 * Counted before the post, so a part that crashes the sender every time still runs out of
 * attempts. Null when the part no longer exists (its subscription was removed): do not post it.
 */
export async function recordAttempt(sql: Sql, part: PartRef): Promise<number | null> {
  const attempts = await sql.value<number>(
    'UPDATE digest_parts SET attempts = attempts + 1 WHERE id = ? AND nonce = ? RETURNING attempts',
    [part.id, part.nonce],
  );
  return attempts === undefined ? null : Number(attempts);
}

/**
 * Marks one part sent; when it was the digest's last unsent part, also marks the digest
 * delivered and moves the subscription cursor, all in one transaction. Returns true when the
 * digest completed.
 */
export async function markPartSent(sql: Sql, part: PartRef, messageId: string, now: number): Promise<boolean> {
  return sql.write(async () => {
    const digestId = await sql.value<number>(
      `UPDATE digest_parts SET status = 'sent', platform_message_id = ?, sent_at = ?, last_error = NULL
       WHERE id = ? AND nonce = ? AND status = 'pending' RETURNING digest_id`,
      [messageId, now, part.id, part.nonce],
    );
    if (digestId === undefined) return false;
    return completeDigestIfSent(sql, digestId, now);
  });
}

/** Delivered + cursor move, only when every part is sent. Idempotent. */
export async function completeDigestIfSent(sql: Sql, digestId: number, now: number): Promise<boolean> {
  return sql.write(async () => {
    const unsent = await sql.value<number>(
      "SELECT count(*) FROM digest_parts WHERE digest_id = ? AND status <> 'sent'",
      [digestId],
    );
    if (Number(unsent) > 0) return false;
    const digest = await sql.get<{ subscriptionId: number; cursorTo: number }>(
      `UPDATE digests SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending'
       RETURNING subscription_id AS "subscriptionId", cursor_to AS "cursorTo"`,
      [now, digestId],
    );
    if (!digest) return false;
    // Never backwards (the CASE is a max() both dialects read), even if an operator re-delivers an old digest.
    await sql.run(
      `UPDATE subscriptions SET cursor = CASE WHEN cursor > @to THEN cursor ELSE @to END, last_digest_at = @now
       WHERE id = @id`,
      { to: digest.cursorTo, now, id: digest.subscriptionId },
    );
    return true;
  });
}

export async function scheduleRetry(sql: Sql, part: PartRef, nextAttemptAt: number, reason: string): Promise<void> {
  await sql.run('UPDATE digest_parts SET next_attempt_at = ?, last_error = ? WHERE id = ? AND nonce = ?', [
    nextAttemptAt,
    reason,
    part.id,
    part.nonce,
  ]);
}

/** Parks the part and its digest as dead; the cursor stays where it was. */
export async function markPartDead(sql: Sql, part: PartRef, reason: string): Promise<void> {
  await sql.write(async () => {
    const digestId = await sql.value<number>(
      "UPDATE digest_parts SET status = 'dead', last_error = ? WHERE id = ? AND nonce = ? RETURNING digest_id",
      [reason, part.id, part.nonce],
    );
    if (digestId !== undefined) await markDigestDead(sql, digestId);
  });
}

export async function markDigestDead(sql: Sql, digestId: number): Promise<void> {
  await sql.run("UPDATE digests SET status = 'dead' WHERE id = ? AND status = 'pending'", [digestId]);
}

export async function listDeadParts(sql: Sql): Promise<DeadPart[]> {
  return sql.all<DeadPart>(
    `SELECT p.id AS "partId", p.digest_id AS "digestId", d.subscription_id AS "subscriptionId", p.platform,
            s.workspace, s.channel, s.thread, p.seq,
            (SELECT count(*) FROM digest_parts x WHERE x.digest_id = p.digest_id) AS "partCount",
            p.attempts, p.last_error AS "lastError", d.created_at AS "digestCreatedAt"
     FROM digest_parts p
     JOIN digests d ON d.id = p.digest_id
     JOIN subscriptions s ON s.id = d.subscription_id
     WHERE p.status = 'dead'
     ORDER BY p.digest_id, p.seq`,
  );
}

/**
 * Puts a dead digest back in the queue: its dead parts become pending with fresh attempts;
 * parts already sent stay sent and are not posted again. Refused when the subscription has
 * composed a newer digest since (that one already re-offered these stories) or when another
 * digest is pending. Returns the number of parts revived.
 */
export async function reviveDeadDigest(sql: Sql, digestId: number): Promise<number> {
  return sql.write(async () => {
    const d = await sql.get<{ subscriptionId: number; status: string }>(
      'SELECT subscription_id AS "subscriptionId", status FROM digests WHERE id = ?',
      [digestId],
    );
    if (!d) throw new OutboxError('not_found', `digest ${digestId} does not exist`);
    if (d.status !== 'dead') throw new OutboxError('not_dead', `digest ${digestId} is not dead (it is ${d.status})`);
    const newer = await sql.value<number>(
      'SELECT id FROM digests WHERE subscription_id = ? AND id > ? ORDER BY id LIMIT 1',
      [d.subscriptionId, digestId],
    );
    if (newer !== undefined) {
      throw new OutboxError(
        'superseded',
        `digest ${digestId} was superseded by digest ${newer} for the same subscription; its stories were offered again there`,
      );
    }
    if (await hasPendingDigest(sql, d.subscriptionId)) {
      throw new OutboxError('pending_exists', `subscription ${d.subscriptionId} already has a pending digest`);
    }
    const { changes } = await sql.run(
      "UPDATE digest_parts SET status = 'pending', attempts = 0, next_attempt_at = 0 WHERE digest_id = ? AND status = 'dead'",
      [digestId],
    );
    await sql.run("UPDATE digests SET status = 'pending' WHERE id = ?", [digestId]);
    return changes;
  });
}

export async function outboxStatus(sql: Sql): Promise<OutboxStatus> {
  const row = await sql.get<OutboxStatus>(
    `SELECT
       (SELECT count(*) FROM digests WHERE status = 'pending') AS "pendingDigests",
       (SELECT count(*) FROM digest_parts p JOIN digests d ON d.id = p.digest_id
          WHERE p.status = 'pending' AND d.status = 'pending') AS "pendingParts",
       (SELECT count(*) FROM digest_parts WHERE status = 'dead') AS "deadParts"`,
  );
  return row as OutboxStatus;
}

export interface SubscriptionTargetRow {
  platform: string;
  workspace: string;
  channel: string;
  thread: string;
  active: number;
}

/** Where a subscription posts; undefined when it was removed. */
export async function subscriptionTargetRow(
  sql: Sql,
  subscriptionId: number,
): Promise<SubscriptionTargetRow | undefined> {
  return sql.get<SubscriptionTargetRow>(
    'SELECT platform, workspace, channel, thread, active FROM subscriptions WHERE id = ?',
    [subscriptionId],
  );
}

const PART_SELECT = `SELECT id, digest_id AS "digestId", seq, platform, payload, nonce, status, attempts,
  next_attempt_at AS "nextAttemptAt", platform_message_id AS "platformMessageId", last_error AS "lastError",
  sent_at AS "sentAt" FROM digest_parts`;
