import { errorMessage } from '../errors.js';
import type { Fetcher } from '../feeds/fetch.js';
import type { PollOutcome } from '../feeds/poller.js';
import { redactUrl } from '../feeds/redact-url.js';
import type { Logger } from '../log.js';
import { type Metrics, secondsSince } from '../metrics.js';
import { isGone, type ProcessOwner, thisProcess } from '../process-owner.js';
import { claimUnfinished, type HeldClaim, releaseClaim } from '../store/enrichment.js';
import { forgetValidators, isUntrusted } from '../store/feeds.js';
import { insertNewItems } from '../store/items.js';
import type { Sql } from '../store/sql.js';
import type { Summarizer, SummaryBudget } from '../summarize/types.js';
import type { CompiledTopic } from '../topics/classify.js';
import {
  type Enriched,
  type EnrichTarget,
  type PreparedItem,
  prepareItem,
  retryDelayMs,
  storeEnrichment,
  summarizeDeferredLeads,
} from './enrich.js';

export interface IngestDeps {
  db: Sql;
  fetcher: Fetcher;
  summarizer: Summarizer;
  topics: CompiledTopic[];
  budget: SummaryBudget;
  stories: { windowMs: number; threshold: number };
  now: () => number;
  log: Logger;
  /** Who claims the items this process enriches; this process unless a test says otherwise. */
  owner?: ProcessOwner;
  metrics?: Metrics;
}

export interface IngestResult {
  newItems: number;
  announced: number;
  matched: number;
  newStories: number;
  /** Items whose enrichment failed this time; a later pass tries them again. */
  failed: number;
}

export interface RetryResult {
  /** Unfinished items taken up again. */
  retried: number;
  finished: number;
  failed: number;
}

/** A claim older than this is taken over even when its process cannot be checked (another host). */
const CLAIM_STALE_MS = 15 * 60_000;
const RETRY_BATCH = 200;
/** Enrichment hands the event loop back at least this often (between batches; see enrichAll). */
const YIELD_AFTER_MS = 50;
/** At most this many items share a write transaction: a commit is cheap at this size, a lock held long is not. */
const BATCH_MAX = 100;

/**
 * Everything after a successful poll: store the new items (claimed for this process), then
 * enrich each one (prepareItem, then storeEnrichment in enrich.ts). One bad item is logged and left for a later pass; it never
 * stops the rest. When the items cannot be stored at all, the feed's validators are forgotten so
 * that the next poll fetches them again instead of hearing "not modified", and the error is thrown.
 */
export async function ingestPoll(deps: IngestDeps, outcome: PollOutcome): Promise<IngestResult> {
  const result: IngestResult = { newItems: 0, announced: 0, matched: 0, newStories: 0, failed: 0 };
  if (outcome.status !== 'ok') return result;
  const { feed, parsed, firstPoll } = outcome;
  const owner = deps.owner ?? thisProcess;
  let fresh: Awaited<ReturnType<typeof insertNewItems>>;
  try {
    fresh = await insertNewItems(deps.db, feed.id, parsed.items, { now: deps.now(), announced: !firstPoll, owner });
  } catch (err) {
    try {
      await forgetValidators(deps.db, feed.id);
    } catch (forgetErr) {
      deps.log.error('could not reset the feed after failing to store its items', { feed: feed.id, err: forgetErr });
    }
    throw err;
  }
  // Stored: the poll may now be recorded on the feed (PollDeps.deferSuccess); enrichment can be taken up again.
  await outcome.record?.();
  result.newItems = fresh.length;
  const targets = fresh.map((item): EnrichTarget & { feedUrl: string } => ({
    ...item,
    feedUrl: feed.url,
    fullTextMode: feed.fullText,
    untrusted: isUntrusted(feed),
    fullText: null,
    fullTextStatus: null,
    summarized: false,
  }));
  await enrichAll(deps, targets, (target, enriched) => {
    if (target.announced) result.announced++;
    if (!enriched) result.failed++;
    else {
      if (enriched.matched) result.matched++;
      if (enriched.newStory) result.newStories++;
    }
  });
  return result;
}

/**
 * Takes up items that an earlier attempt left unfinished (a step failed, or the process enriching
 * them died) and that are due again. Safe beside other processes: each item is claimed first.
 */
export async function retryUnfinished(deps: IngestDeps): Promise<RetryResult> {
  const now = deps.now();
  const takeable = (c: HeldClaim) => isGone(c.owner) || c.claimedAt < now - CLAIM_STALE_MS;
  const owner = deps.owner ?? thisProcess;
  const items = await claimUnfinished(deps.db, { owner, now, limit: RETRY_BATCH, takeable });
  const result: RetryResult = { retried: items.length, finished: 0, failed: 0 };
  if (items.length > 0) deps.log.info('taking up unfinished items again', { items: items.length });
  await enrichAll(deps, items, (_, enriched) => {
    if (enriched) result.finished++;
    else result.failed++;
  });
  return result;
}

/**
 * Enriches the targets in batches: each batch is prepared item by item (the part that may wait),
 * then stored in one write transaction, one savepoint per item. One commit per batch instead of
 * four per item was most of ingest's time (bench/README.md). A batch closes after YIELD_AFTER_MS
 * of preparing or at BATCH_MAX items, and the event loop gets a turn between batches: a feed with
 * thousands of new items, or a few huge ones, must not starve the schedules, deliveries and
 * gateway heartbeats that share it. A failure, in either part, releases that item's claim for a later attempt.
 */
async function enrichAll(
  deps: IngestDeps,
  targets: (EnrichTarget & { attempts?: number; feedUrl?: string })[],
  done: (target: EnrichTarget, enriched: Enriched | null) => void,
): Promise<void> {
  let next = 0;
  while (next < targets.length) {
    const started = performance.now();
    const batch: { prepared: PreparedItem; started: number }[] = [];
    while (
      next < targets.length &&
      batch.length < BATCH_MAX &&
      (batch.length === 0 || performance.now() - started < YIELD_AFTER_MS)
    ) {
      const target = targets[next++]!;
      const itemStarted = performance.now();
      try {
        batch.push({ prepared: await prepareItem(deps, target), started: itemStarted });
      } catch (err) {
        await failed(deps, target, err, done);
      }
    }
    await storeBatch(deps, batch, done);
    // A timer rather than setImmediate: due timers must get their turn too, and setImmediate's
    // callback can run before the loop reaches its timers phase.
    if (next < targets.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function storeBatch(
  deps: IngestDeps,
  batch: { prepared: PreparedItem; started: number }[],
  done: (target: EnrichTarget, enriched: Enriched | null) => void,
): Promise<void> {
  const outcomes: { target: EnrichTarget; enriched?: Enriched; err?: unknown; started: number }[] = [];
  try {
    await deps.db.write(async () => {
      for (const { prepared, started } of batch) {
        try {
          outcomes.push({ target: prepared.target, enriched: await storeEnrichment(deps, prepared), started });
        } catch (err) {
          outcomes.push({ target: prepared.target, err, started });
        }
      }
    });
  } catch (err) {
    // The commit itself failed (the store is locked or full): nothing of the batch is stored.
    outcomes.length = 0;
    for (const { prepared, started } of batch) outcomes.push({ target: prepared.target, err, started });
  }
  const onBeat: number[] = [];
  for (const o of outcomes) {
    if (!o.enriched) {
      await failed(deps, o.target, o.err, done);
      continue;
    }
    deps.metrics?.itemIngested(secondsSince(o.started), o.enriched.newStory);
    if (o.enriched.matched && !o.enriched.newStory) onBeat.push(o.enriched.storyId);
    done(o.target, o.enriched);
  }
  try {
    await summarizeDeferredLeads(deps, onBeat);
  } catch (err) {
    // The stories stand; their digest shows the lead item's opening until this is tried again.
    deps.log.warn('could not summarize the lead item of a story now on the beat', { stories: onBeat.length, err });
  }
}

async function failed(
  deps: IngestDeps,
  target: EnrichTarget & { attempts?: number; feedUrl?: string },
  err: unknown,
  done: (target: EnrichTarget, enriched: Enriched | null) => void,
): Promise<void> {
  const attempts = await release(deps, target.itemId, err);
  deps.log.error('item enrichment failed; a later poll tries it again', {
    feed: target.feedUrl ? redactUrl(target.feedUrl) : undefined,
    item: target.url ?? target.itemId,
    attempt: attempts ?? target.attempts ?? 1,
    err,
  });
  done(target, null);
}

/** Hands the item back for a later attempt; returns the attempts so far (null when that failed too). */
async function release(deps: IngestDeps, itemId: number, err: unknown): Promise<number | null> {
  try {
    return await releaseClaim(deps.db, itemId, {
      owner: deps.owner ?? thisProcess,
      now: deps.now(),
      delayMs: retryDelayMs,
      error: errorMessage(err),
    });
  } catch (releaseErr) {
    // The claim stays with this process: another pass takes the item once it is stale or this process is gone.
    deps.log.warn('could not hand an unfinished item back; it is taken up again later', { item: itemId, releaseErr });
    return null;
  }
}
