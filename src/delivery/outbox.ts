/**
 * The delivery outbox: enqueue a composed digest, post its parts in order and mark each one sent,
 * retry or park what fails. The guarantee these functions keep (at least once, never again once
 * confirmed, the cursor moving only with a confirmed digest) and its caveats per platform are
 * written once, in src/delivery/README.md.
 */
import { randomBytes } from 'node:crypto';
import { postPart } from '../chat/post-part.js';
import type { ChannelTarget, ChatSenders } from '../chat/types.js';
import { NONCE_MAX_CHARS, SendError, TOKEN_VARIABLE } from '../chat/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { RenderedPart } from '../render/types.js';
import { claimPartAttempt } from '../store/job-claims.js';
import * as store from '../store/outbox.js';
import type { Sql } from '../store/sql.js';
import { pauseSubscription } from '../store/subscriptions.js';
import { type BackoffOptions, DEFAULT_MAX_ATTEMPTS, decideRetry } from './retry.js';
import { isPlatform, readStoredPart } from './stored-part.js';

export type { DeadPart, DigestRow, OutboxStatus, PartRow } from '../store/outbox.js';
export {
  getDigest,
  getParts,
  hasPendingDigest,
  latestDigestStatus,
  listDeadParts,
  OutboxError,
  outboxStatus,
} from '../store/outbox.js';

export interface EnqueueParams {
  subscriptionId: number;
  /** The rendered parts in posting order (render/index.ts renderDigest), all for the subscription's platform. */
  parts: RenderedPart[];
  /** The cursor reservation: stories with announce_seq in (cursorFrom, cursorTo]. */
  cursorFrom: number;
  cursorTo: number;
  storyCount: number;
  now: number;
}

/** Writes the digest, its parts (each with its own nonce) and the cursor reservation in one transaction. */
export async function enqueueDigest(db: Sql, p: EnqueueParams): Promise<number> {
  if (p.parts.length === 0) throw new store.OutboxError('no_parts', 'a digest needs at least one message part');
  if (p.cursorTo < p.cursorFrom) {
    throw new store.OutboxError('bad_cursor', `cursorTo ${p.cursorTo} is before cursorFrom ${p.cursorFrom}`);
  }
  // A per-digest salt keeps nonces unique across databases too: a wiped store restarts ids at
  // 1, and Discord would hand back an old message for a reused nonce. Nonces stay stable across
  // retries because they are stored with the part.
  const salt = randomBytes(4).toString('hex');
  return store.insertDigest(db, { ...p, nonceFor: (digestId, seq) => makeNonce(digestId, seq, salt) });
}

export interface DeliverDeps {
  db: Sql;
  senders: ChatSenders;
  now: () => number;
  targetFor: (subscriptionId: number) => ChannelTarget | undefined | Promise<ChannelTarget | undefined>;
  log?: Logger;
  /** Attempts before a part is parked as dead (default 8). */
  maxAttempts?: number;
  metrics?: Metrics;
  backoff?: BackoffOptions;
  /**
   * Several processes deliver from one store (deliver jobs, src/jobs/): each attempt first claims its part for
   * this long (store/job-claims.ts), so that no two post it at once. Unset: one process delivers, as on SQLite.
   */
  claimMs?: number;
}

export type DeliverResult = {
  /** Parts confirmed in this run. */
  sent: number;
  /** Parts that failed and are scheduled for another attempt. */
  failed: number;
  /** Parts parked as dead in this run. */
  dead: number;
};

const running = new WeakMap<Sql, Promise<DeliverResult>>();

/**
 * Posts every due part of every pending digest, in order, and records each outcome. Safe to call
 * on any schedule: parts not yet due are left alone, and a call made while another is running
 * on the same database joins it instead of posting the same part twice.
 */
export function deliverPending(deps: DeliverDeps): Promise<DeliverResult> {
  const current = running.get(deps.db);
  if (current) return current;
  const run = deliverAll(deps).finally(() => running.delete(deps.db));
  running.set(deps.db, run);
  return run;
}

/** Re-queues a dead digest's dead parts (see store.reviveDeadDigest for when it is refused). */
export async function retryDead(db: Sql, digestId: number): Promise<number> {
  return store.reviveDeadDigest(db, digestId);
}

/** Resolves a subscription's channel from the store; undefined when removed or inactive. */
export function targetFromStore(db: Sql): (subscriptionId: number) => Promise<ChannelTarget | undefined> {
  return async (id) => {
    const row = await store.subscriptionTargetRow(db, id);
    if (!row?.active || !isPlatform(row.platform)) return undefined;
    return { platform: row.platform, workspace: row.workspace, channel: row.channel, thread: row.thread };
  };
}

async function deliverAll(deps: DeliverDeps): Promise<DeliverResult> {
  const result: DeliverResult = { sent: 0, failed: 0, dead: 0 };
  for (const digest of await store.pendingDigests(deps.db)) {
    await deliverDigest(deps, digest, result);
  }
  return result;
}

/**
 * Posts the due parts of one subscription's pending digests (one channel's), in order: the work of a deliver
 * job. Parts another process has claimed are left to it.
 */
export async function deliverSubscription(deps: DeliverDeps, subscriptionId: number): Promise<DeliverResult> {
  const result: DeliverResult = { sent: 0, failed: 0, dead: 0 };
  for (const digest of await store.pendingDigests(deps.db)) {
    if (digest.subscriptionId === subscriptionId) await deliverDigest(deps, digest, result);
  }
  return result;
}

async function deliverDigest(deps: DeliverDeps, digest: store.PendingDigestRow, result: DeliverResult) {
  const { db } = deps;
  const log = (deps.log ?? silentLogger).child({ digest: digest.id, subscription: digest.subscriptionId });
  const parts = await store.unsentParts(db, digest.id);
  // Every part sent but not completed cannot happen (the last mark completes in the same
  // transaction), but completing here keeps a hand-edited store from blocking forever.
  if (parts.length === 0) {
    await store.completeDigestIfSent(db, digest.id, deps.now());
    return;
  }
  const total = (await store.getParts(db, digest.id)).length;
  for (const part of parts) {
    if (part.status === 'dead') {
      await store.markDigestDead(db, digest.id);
      return;
    }
    // Strict order: a later part waits until this one is confirmed.
    if (part.nextAttemptAt > deps.now()) return;

    const target = await deps.targetFor(digest.subscriptionId);
    const platform = isPlatform(part.platform) ? part.platform : undefined;
    const setupError = !target
      ? `subscription ${digest.subscriptionId} no longer exists or is inactive`
      : !platform || !deps.senders[platform]
        ? noSender(part.platform)
        : undefined;
    if (setupError || !target || !platform) {
      await store.markPartDead(db, part, setupError ?? 'no target');
      result.dead++;
      countDead(deps, part.platform);
      log.error('digest part parked as dead', { part: part.seq, reason: setupError });
      return;
    }

    const attempts = await attemptOf(deps, part);
    if (attempts === null) {
      // Claimed: another process is posting it. Otherwise gone: its subscription was removed.
      if (!deps.claimMs)
        log.info('digest removed with its subscription; its remaining parts are not sent', { part: part.seq });
      return;
    }
    let messageId: string;
    try {
      const firstMessageId =
        part.seq > 1 ? ((await store.getParts(db, digest.id))[0]?.platformMessageId ?? undefined) : undefined;
      const stored = readStoredPart(platform, part.payload);
      const info = { digestId: digest.id, seq: part.seq, count: total, attempt: attempts, createdAt: digest.createdAt };
      const posted = postPart(deps.senders, target, stored, { nonce: part.nonce, firstMessageId, part: info });
      if (!posted) throw new SendError('permanent', noSender(platform));
      ({ messageId } = await posted);
    } catch (err) {
      await recordFailure({ ...deps, log }, { digest, part, attempts, err }, result);
      return;
    }
    // Mark right after the post: this is the narrow window the guarantee above talks about.
    const completed = await store.markPartSent(db, part, messageId, deps.now());
    result.sent++;
    deps.metrics?.partFinished(part.platform, 'delivered');
    log.debug('digest part sent', { part: part.seq, of: total, messageId });
    if (completed) {
      deps.metrics?.digestFinished(part.platform, 'delivered');
      log.info('digest delivered', { parts: total, cursor: digest.cursorTo });
    }
  }
}

/**
 * A failed post: another attempt later, or parked as dead. A channel that is gone or out of the bot's reach also
 * pauses its subscription, so it stops composing digests no one can receive (said once, when it pauses); the
 * cursor stays, so `/digest subscribe` there or `watchdesk subscriptions resume` loses no story.
 */
async function recordFailure(
  deps: DeliverDeps & { log: Logger },
  f: { digest: store.PendingDigestRow; part: store.PartRow; attempts: number; err: unknown },
  result: DeliverResult,
): Promise<void> {
  const { db, log } = deps;
  const { part, attempts } = f;
  const sendError =
    f.err instanceof SendError ? f.err : new SendError('transient', `sender failed: ${errorMessage(f.err)}`);
  const decision = decideRetry(sendError, {
    attempts,
    maxAttempts: deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    now: deps.now(),
    backoff: deps.backoff,
  });
  if (decision.action !== 'dead') {
    await store.scheduleRetry(db, part, decision.at, decision.reason);
    result.failed++;
    deps.metrics?.partFinished(part.platform, 'failed');
    log.warn('digest part failed; will retry', {
      part: part.seq,
      attempts,
      kind: sendError.kind,
      retryInMs: decision.at - deps.now(),
      reason: decision.reason,
    });
    return;
  }
  await store.markPartDead(db, part, decision.reason);
  result.dead++;
  countDead(deps, part.platform);
  log.error('digest part parked as dead', { part: part.seq, attempts, reason: decision.reason });
  if (sendError.pause && (await pauseSubscription(db, f.digest.subscriptionId, sendError.reason, deps.now()))) {
    log.warn('subscription paused: its channel cannot be reached', {
      reason: sendError.reason,
      hint: `fix the channel, then type /digest subscribe there or run: watchdesk subscriptions resume ${f.digest.subscriptionId}`,
    });
  }
}

/** Counts the attempt; with claimMs, claims the part first (null when another process holds it, or it is gone). */
function attemptOf(deps: DeliverDeps, part: store.PartRow): Promise<number | null> {
  if (!deps.claimMs) return store.recordAttempt(deps.db, part);
  const now = deps.now();
  return claimPartAttempt(deps.db, part, { now, until: now + deps.claimMs });
}

/** `wd<digest>p<seq>-<salt>`, cut to Discord's 25 characters by shortening the salt only. */
function makeNonce(digestId: number, seq: number, salt: string): string {
  const base = `wd${digestId}p${seq}`;
  const room = NONCE_MAX_CHARS - base.length - 1;
  return room > 0 ? `${base}-${salt.slice(0, room)}` : base;
}

/** A dead part makes its digest dead too: the cursor stays and the stories are offered again. */
function countDead(deps: DeliverDeps, platform: string) {
  deps.metrics?.partFinished(platform, 'dead');
  deps.metrics?.digestFinished(platform, 'dead');
}

function noSender(platform: string): string {
  return `no ${platform} sender is configured: set ${TOKEN_VARIABLE[platform] ?? 'its token'} and restart`;
}
