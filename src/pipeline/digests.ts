import type { Config } from '../config/load.js';
import { enqueueDigest, hasPendingDigest } from '../delivery/outbox.js';
import { composeDigest } from '../digest/compose.js';
import type { Digest, StoryCandidate } from '../digest/types.js';
import type { Logger } from '../log.js';
import { renderDigest } from '../render/index.js';
import { announcedWindow, storiesAfterCursor, storiesSeenSince } from '../store/digest-stories.js';
import type { Sql } from '../store/sql.js';
import { getSubscription, markScheduleRun, type SubscriptionRow, skipCursor } from '../store/subscriptions.js';

export interface DigestDeps {
  db: Sql;
  config: Pick<Config, 'topics' | 'digest' | 'bot'>;
  now: () => number;
  log: Logger;
}

export type RunResult =
  | { status: 'enqueued'; digestId: number; stories: number; parts: number }
  | { status: 'empty' }
  | { status: 'busy' };

/**
 * One scheduled (or instant) run for a subscription: compose what is new since its cursor,
 * render it for its platform and put it in the outbox in one transaction with the cursor
 * reservation. The cursor itself moves only when delivery confirms every part.
 */
export async function runSubscription(deps: DigestDeps, sub: SubscriptionRow): Promise<RunResult> {
  const now = deps.now();
  await markScheduleRun(deps.db, sub.id, now);
  // One write from the pending check to the enqueue: two runs of one subscription (a tick and a poll's news) take
  // turns, and the second finds the first's digest pending instead of composing the same stories again.
  return deps.db.write(() => composeAndEnqueue(deps, sub.id, now));
}

async function composeAndEnqueue(deps: DigestDeps, id: number, now: number): Promise<RunResult> {
  // A digest still in the outbox holds the reservation; composing another would repeat its stories.
  if (await hasPendingDigest(deps.db, id)) return { status: 'busy' };
  // The row as it is now, inside the write: the caller's copy may predate a delivery (in this process or another)
  // that moved the cursor past stories it would then offer again.
  const sub = await getSubscription(deps.db, id);
  if (!sub?.active) return { status: 'empty' };
  // Only stories on the subscription's topics are read; the cursor still passes every story in the window.
  const window = await announcedWindow(deps.db, {
    afterSeq: sub.cursor,
    topics: sub.topics === 'all' ? null : sub.topics,
  });
  const composed = composeForSubscription(deps, sub, window.candidates, now);
  const { digest } = composed;
  const cursorTo = Math.max(composed.cursorTo, window.lastSeq);
  // An instant channel hears about stories, never about their absence, whatever skipEmpty says.
  if (digest.storyCount === 0 && (deps.config.digest.skipEmpty || sub.mode === 'instant')) {
    if (cursorTo > sub.cursor) await skipCursor(deps.db, sub.id, cursorTo);
    return { status: 'empty' };
  }
  const parts = renderDigest(digest, sub.platform);
  const digestId = await enqueueDigest(deps.db, {
    subscriptionId: sub.id,
    parts,
    cursorFrom: sub.cursor,
    cursorTo: Math.max(cursorTo, sub.cursor),
    storyCount: digest.storyCount,
    now,
  });
  deps.log.info('digest enqueued', {
    subscription: sub.id,
    digest: digestId,
    stories: digest.storyCount,
    parts: parts.length,
  });
  return { status: 'enqueued', digestId, stories: digest.storyCount, parts: parts.length };
}

/** What the subscription's next digest would hold now; nothing is enqueued and no cursor moves. */
export async function nextDigestOf(deps: DigestDeps, sub: SubscriptionRow): Promise<Digest> {
  return composeForSubscription(deps, sub, await storiesAfterCursor(deps.db, sub.cursor), deps.now()).digest;
}

/** A digest of the stories first seen within `windowMs`, for no subscription; nothing is stored. */
export async function previewDigest(
  deps: DigestDeps,
  p: { title: string; topics: 'all' | string[]; windowMs: number; maxItems: number },
): Promise<Digest> {
  const now = deps.now();
  return composeDigest(await storiesSeenSince(deps.db, now - p.windowMs), {
    title: p.title,
    subscriptionId: null,
    topics: p.topics,
    topicNames: topicNames(deps.config),
    maxItems: p.maxItems,
    minScore: 0,
    now,
    since: now - p.windowMs,
  }).digest;
}

export function composeForSubscription(
  deps: DigestDeps,
  sub: Pick<SubscriptionRow, 'id' | 'topics' | 'maxItems' | 'minScore' | 'lastDigestAt' | 'mode'>,
  candidates: StoryCandidate[],
  now: number,
) {
  return composeDigest(candidates, {
    title: sub.mode === 'instant' ? `${deps.config.bot.name}: new on the beat` : `${deps.config.bot.name} digest`,
    subscriptionId: sub.id,
    topics: sub.topics,
    topicNames: topicNames(deps.config),
    maxItems: sub.maxItems,
    minScore: sub.minScore,
    now,
    since: sub.lastDigestAt,
  });
}

export function topicNames(config: Pick<Config, 'topics'>): Record<string, string> {
  return Object.fromEntries(Object.entries(config.topics).map(([id, t]) => [id, t.name]));
}
