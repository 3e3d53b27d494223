// biome-ignore-all lint/style/noExcessiveLinesPerFile: every query on the outbox tables in one file, so the exactly-once rules (src/delivery/README.md) are checked in one place
/**
 * The delivery outbox: tables digests and digest_parts, plus the subscription cursor that moves
 * only when a digest is confirmed. The rules these queries keep are described in
 * src/delivery/README.md.
 */
import type { RenderedPart } from '../render/types.js';
import { type Db, writeTransaction } from './db.js';

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
export function insertDigest(db: Db, d: NewDigest): number {
  return writeTransaction(db, () => {
    const sub = db.prepare('SELECT platform FROM subscriptions WHERE id = ?').get(d.subscriptionId) as
      | { platform: string }
      | undefined;
    if (!sub) throw new OutboxError('no_subscription', `subscription ${d.subscriptionId} does not exist`);
    const foreign = d.parts.find((part) => part.platform !== sub.platform);
    if (foreign) {
      throw new OutboxError(
        'platform_mismatch',
        `subscription ${d.subscriptionId} is on ${sub.platform}, not ${foreign.platform}`,
      );
    }
    if (hasPendingDigest(db, d.subscriptionId)) {
      throw new OutboxError(
        'pending_exists',
        `subscription ${d.subscriptionId} already has a pending digest; deliver it before composing another`,
      );
    }
    const info = db
      .prepare(
        `INSERT INTO digests (subscription_id, created_at, cursor_from, cursor_to, story_count, status)
         VALUES (?, ?, ?, ?, ?, 'pending')`,
      )
      .run(d.subscriptionId, d.now, d.cursorFrom, d.cursorTo, d.storyCount);
    const digestId = Number(info.lastInsertRowid);
    const insertPart = db.prepare(
      `INSERT INTO digest_parts (digest_id, seq, platform, payload, nonce, status, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, 0)`,
    );
    d.parts.forEach((part, i) => {
      insertPart.run(digestId, i + 1, part.platform, JSON.stringify(part.payload), d.nonceFor(digestId, i + 1));
    });
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

export function getDigest(db: Db, digestId: number): DigestRow | undefined {
  return db
    .prepare(
      `SELECT id, subscription_id AS subscriptionId, created_at AS createdAt, cursor_from AS cursorFrom,
              cursor_to AS cursorTo, story_count AS storyCount, status, delivered_at AS deliveredAt
       FROM digests WHERE id = ?`,
    )
    .get(digestId) as DigestRow | undefined;
}

export function hasPendingDigest(db: Db, subscriptionId: number): boolean {
  return (
    db.prepare("SELECT 1 FROM digests WHERE subscription_id = ? AND status = 'pending' LIMIT 1").get(subscriptionId) !==
    undefined
  );
}

/** Status of the subscription's most recent digest; undefined when it has none. */
export function latestDigestStatus(db: Db, subscriptionId: number): DigestRow['status'] | undefined {
  return db
    .prepare('SELECT status FROM digests WHERE subscription_id = ? ORDER BY id DESC LIMIT 1')
    .pluck()
    .get(subscriptionId) as DigestRow['status'] | undefined;
}

export function pendingDigests(db: Db): PendingDigestRow[] {
  return db
    .prepare(
      `SELECT id, subscription_id AS subscriptionId, cursor_to AS cursorTo, created_at AS createdAt
       FROM digests WHERE status = 'pending' ORDER BY id`,
    )
    .all() as PendingDigestRow[];
}

/** Parts not yet confirmed, in posting order. */
export function unsentParts(db: Db, digestId: number): PartRow[] {
  return db.prepare(`${PART_SELECT} WHERE digest_id = ? AND status <> 'sent' ORDER BY seq`).all(digestId) as PartRow[];
}

export function getParts(db: Db, digestId: number): PartRow[] {
  return db.prepare(`${PART_SELECT} WHERE digest_id = ? ORDER BY seq`).all(digestId) as PartRow[];
}

/**
 * Counted before the post, so a part that crashes the sender every time still runs out of
 * attempts. Null when the part no longer exists (its subscription was removed): do not post it.
 */
export function recordAttempt(db: Db, part: PartRef): number | null {
  const attempts = db
    .prepare('UPDATE digest_parts SET attempts = attempts + 1 WHERE id = ? AND nonce = ? RETURNING attempts')
    .pluck()
    .get(part.id, part.nonce);
  return attempts === undefined ? null : Number(attempts);
}

/**
 * Marks one part sent; when it was the digest's last unsent part, also marks the digest
 * delivered and moves the subscription cursor, all in one transaction. Returns true when the
 * digest completed.
 */
export function markPartSent(db: Db, part: PartRef, messageId: string, now: number): boolean {
  return writeTransaction(db, () => {
    const row = db
      .prepare(
        `UPDATE digest_parts SET status = 'sent', platform_message_id = ?, sent_at = ?, last_error = NULL
         WHERE id = ? AND nonce = ? AND status = 'pending' RETURNING digest_id`,
      )
      .pluck()
      .get(messageId, now, part.id, part.nonce) as number | undefined;
    if (row === undefined) return false;
    return completeDigestIfSent(db, row, now);
  });
}

/** Delivered + cursor move, only when every part is sent. Idempotent. */
export function completeDigestIfSent(db: Db, digestId: number, now: number): boolean {
  return writeTransaction(db, () => {
    const unsent = db
      .prepare("SELECT count(*) FROM digest_parts WHERE digest_id = ? AND status <> 'sent'")
      .pluck()
      .get(digestId) as number;
    if (unsent > 0) return false;
    const digest = db
      .prepare(
        `UPDATE digests SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending'
         RETURNING subscription_id AS subscriptionId, cursor_to AS cursorTo`,
      )
      .get(now, digestId) as { subscriptionId: number; cursorTo: number } | undefined;
    if (!digest) return false;
    // max(): a cursor never moves backwards, even if an operator re-delivers an old digest.
    db.prepare('UPDATE subscriptions SET cursor = max(cursor, ?), last_digest_at = ? WHERE id = ?').run(
      digest.cursorTo,
      now,
      digest.subscriptionId,
    );
    return true;
  });
}

export function scheduleRetry(db: Db, part: PartRef, nextAttemptAt: number, reason: string): void {
  db.prepare('UPDATE digest_parts SET next_attempt_at = ?, last_error = ? WHERE id = ? AND nonce = ?').run(
    nextAttemptAt,
    reason,
    part.id,
    part.nonce,
  );
}

/** Parks the part and its digest as dead; the cursor stays where it was. */
export function markPartDead(db: Db, part: PartRef, reason: string): void {
  writeTransaction(db, () => {
    const digestId = db
      .prepare("UPDATE digest_parts SET status = 'dead', last_error = ? WHERE id = ? AND nonce = ? RETURNING digest_id")
      .pluck()
      .get(reason, part.id, part.nonce) as number | undefined;
    if (digestId !== undefined) markDigestDead(db, digestId);
  });
}

export function markDigestDead(db: Db, digestId: number): void {
  db.prepare("UPDATE digests SET status = 'dead' WHERE id = ? AND status = 'pending'").run(digestId);
}

export function listDeadParts(db: Db): DeadPart[] {
  return db
    .prepare(
      `SELECT p.id AS partId, p.digest_id AS digestId, d.subscription_id AS subscriptionId, p.platform,
              s.workspace, s.channel, s.thread, p.seq,
              (SELECT count(*) FROM digest_parts x WHERE x.digest_id = p.digest_id) AS partCount,
              p.attempts, p.last_error AS lastError, d.created_at AS digestCreatedAt
       FROM digest_parts p
       JOIN digests d ON d.id = p.digest_id
       JOIN subscriptions s ON s.id = d.subscription_id
       WHERE p.status = 'dead'
       ORDER BY p.digest_id, p.seq`,
    )
    .all() as DeadPart[];
}

/**
 * Puts a dead digest back in the queue: its dead parts become pending with fresh attempts;
 * parts already sent stay sent and are not posted again. Refused when the subscription has
 * composed a newer digest since (that one already re-offered these stories) or when another
 * digest is pending. Returns the number of parts revived.
 */
export function reviveDeadDigest(db: Db, digestId: number): number {
  return writeTransaction(db, () => {
    const d = db.prepare('SELECT subscription_id AS subscriptionId, status FROM digests WHERE id = ?').get(digestId) as
      | { subscriptionId: number; status: string }
      | undefined;
    if (!d) throw new OutboxError('not_found', `digest ${digestId} does not exist`);
    if (d.status !== 'dead') throw new OutboxError('not_dead', `digest ${digestId} is not dead (it is ${d.status})`);
    const newer = db
      .prepare('SELECT id FROM digests WHERE subscription_id = ? AND id > ? ORDER BY id LIMIT 1')
      .pluck()
      .get(d.subscriptionId, digestId) as number | undefined;
    if (newer !== undefined) {
      throw new OutboxError(
        'superseded',
        `digest ${digestId} was superseded by digest ${newer} for the same subscription; its stories were offered again there`,
      );
    }
    if (hasPendingDigest(db, d.subscriptionId)) {
      throw new OutboxError('pending_exists', `subscription ${d.subscriptionId} already has a pending digest`);
    }
    const revived = db
      .prepare(
        "UPDATE digest_parts SET status = 'pending', attempts = 0, next_attempt_at = 0 WHERE digest_id = ? AND status = 'dead'",
      )
      .run(digestId).changes;
    db.prepare("UPDATE digests SET status = 'pending' WHERE id = ?").run(digestId);
    return revived;
  });
}

export function outboxStatus(db: Db): OutboxStatus {
  const row = db
    .prepare(
      `SELECT
         (SELECT count(*) FROM digests WHERE status = 'pending') AS pendingDigests,
         (SELECT count(*) FROM digest_parts p JOIN digests d ON d.id = p.digest_id
            WHERE p.status = 'pending' AND d.status = 'pending') AS pendingParts,
         (SELECT count(*) FROM digest_parts WHERE status = 'dead') AS deadParts`,
    )
    .get() as OutboxStatus;
  return row;
}

export interface SubscriptionTargetRow {
  platform: string;
  workspace: string;
  channel: string;
  thread: string;
  active: number;
}

/** Where a subscription posts; undefined when it was removed. */
export function subscriptionTargetRow(db: Db, subscriptionId: number): SubscriptionTargetRow | undefined {
  return db
    .prepare('SELECT platform, workspace, channel, thread, active FROM subscriptions WHERE id = ?')
    .get(subscriptionId) as SubscriptionTargetRow | undefined;
}

const PART_SELECT = `SELECT id, digest_id AS digestId, seq, platform, payload, nonce, status, attempts,
  next_attempt_at AS nextAttemptAt, platform_message_id AS platformMessageId, last_error AS lastError,
  sent_at AS sentAt FROM digest_parts`;
