import { errorMessage } from '../errors.js';
import type { Fetcher } from '../feeds/fetch.js';
import { fetchFullText, needsFullText } from '../feeds/full-text.js';
import type { PollOutcome } from '../feeds/poller.js';
import { redactUrl } from '../feeds/redact-url.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { type InsertedItem, insertNewItems, setItemFullText, setItemSummary, setItemTopics } from '../store/items.js';
import { assignStory } from '../store/stories.js';
import { storyLead } from '../stories/text.js';
import type { Summarizer, Summary, SummaryBudget } from '../summarize/types.js';
import { type CompiledTopic, classify } from '../topics/classify.js';

export interface IngestDeps {
  db: Db;
  fetcher: Fetcher;
  summarizer: Summarizer;
  topics: CompiledTopic[];
  budget: SummaryBudget;
  stories: { windowMs: number; threshold: number };
  now: () => number;
  log: Logger;
}

export interface IngestResult {
  newItems: number;
  announced: number;
  matched: number;
  newStories: number;
}

const YIELD_EVERY = 25;

/**
 * Everything after a successful poll: store the new items, then for each one fetch full text
 * when the feed gives a teaser, classify it, summarize it and place it in a story. One bad item
 * is logged and skipped; it never stops the rest.
 */
export async function ingestPoll(deps: IngestDeps, outcome: PollOutcome): Promise<IngestResult> {
  const result: IngestResult = { newItems: 0, announced: 0, matched: 0, newStories: 0 };
  if (outcome.status !== 'ok') return result;
  const { feed, parsed, firstPoll } = outcome;
  const fresh = insertNewItems(deps.db, feed.id, parsed.items, { now: deps.now(), announced: !firstPoll });
  result.newItems = fresh.length;
  for (const [i, item] of fresh.entries()) {
    // Enrichment is mostly synchronous; a feed with thousands of new items must not starve the
    // schedules and deliveries that share this event loop.
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    try {
      const enriched = await enrichItem(deps, item, feed.fullText, firstPoll);
      if (item.announced) result.announced++;
      if (enriched.matched) result.matched++;
      if (enriched.newStory) result.newStories++;
    } catch (err) {
      deps.log.error('item enrichment failed', { feed: redactUrl(feed.url), item: item.url ?? item.id, err });
    }
  }
  return result;
}

async function enrichItem(
  deps: IngestDeps,
  item: InsertedItem,
  fullTextMode: 'auto' | 'always' | 'never',
  firstPoll: boolean,
): Promise<{ matched: boolean; newStory: boolean }> {
  let text = item.content;
  // A new feed's backlog is never announced, so its article pages are not worth a fetch each.
  if (!firstPoll && item.url && needsFullText(fullTextMode, item.content)) {
    const full = await fetchFullText(deps.fetcher, item.url);
    if (full.ok) {
      text = full.text;
      setItemFullText(deps.db, item.itemId, { text: full.text, status: 'ok' });
    } else {
      setItemFullText(deps.db, item.itemId, { text: null, status: full.reason });
    }
  }
  // Each step stands alone: a failure in one is logged and the item still gets the others, so
  // every stored item has a story and a summary.
  const log = deps.log.child({ item: item.url ?? item.id });
  const story = guarded(log, 'story assignment', () =>
    assignStory(
      deps.db,
      {
        itemId: item.itemId,
        title: item.title,
        // The feed's own text: the threshold was chosen on feed descriptions, not full articles.
        lead: storyLead(item.content || text),
        publishedAt: item.publishedAt,
        announced: item.announced,
      },
      { now: deps.now(), ...deps.stories },
    ),
  );
  const matches =
    guarded(log, 'classification', () => {
      const found = classify({ title: item.title, content: text }, deps.topics);
      setItemTopics(deps.db, item.itemId, found);
      return found;
    }) ?? [];
  const summary = await deps.summarizer
    .summarize({ title: item.title, text }, deps.budget)
    .catch((err: unknown): Summary => {
      log.error('summarizer failed; using the title', { err });
      return {
        text: item.title,
        sentences: [item.title],
        method: 'title',
        note: `summarizer failed: ${errorMessage(err)}`,
      };
    });
  setItemSummary(deps.db, item.itemId, summary);
  return { matched: matches.length > 0, newStory: story?.isNew ?? false };
}

function guarded<T>(log: Logger, step: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    log.error(`${step} failed`, { err });
    return undefined;
  }
}
