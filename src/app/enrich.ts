import { errorMessage } from '../errors.js';
import { type FullTextMode, fetchFullText, needsFullText } from '../feeds/full-text.js';
import { writeTransactionAsync } from '../store/db.js';
import { dropClaim } from '../store/enrichment.js';
import { setItemFullText, setItemSummary, setItemTopics } from '../store/items.js';
import { sqliteStoryIndex } from '../store/story-index.js';
import { placeItem } from '../stories/story-index.js';
import { storyLead } from '../stories/text.js';
import type { Summary } from '../summarize/types.js';
import { classify } from '../topics/classify.js';
import type { IngestDeps } from './ingest.js';

/** One stored item to enrich, fresh from a poll or taken up again after an interrupted attempt. */
export interface EnrichTarget {
  itemId: number;
  title: string;
  url: string | null;
  content: string;
  publishedAt: number;
  announced: boolean;
  fullTextMode: FullTextMode;
  /** The item's feed was added from chat: its article page is fetched through the SSRF guard. */
  untrusted: boolean;
  /** The article text fetched by an earlier attempt, if any. */
  fullText: string | null;
  /** Null until a full-text fetch was tried. */
  fullTextStatus: string | null;
  /** A summary is already stored: keep it (an LLM summary costs a request). */
  summarized: boolean;
}

export interface Enriched {
  matched: boolean;
  newStory: boolean;
}

/**
 * Fetches full text when the feed gives a teaser, classifies, summarizes, and places the item in
 * a story, in that order: the story comes last, in one transaction with dropping the item's claim,
 * so a story is never announced before its item's topics and summary are stored. A step that
 * throws stops the rest; the caller releases the claim and a later pass does the item again. A
 * failing summarizer is not such a step: the title stands in, with the reason.
 */
export async function enrichItem(deps: IngestDeps, item: EnrichTarget): Promise<Enriched> {
  const text = await articleText(deps, item);
  const matches = classify({ title: item.title, content: text }, deps.topics);
  setItemTopics(deps.db, item.itemId, matches);
  if (!item.summarized) setItemSummary(deps.db, item.itemId, await summarize(deps, item, text));
  // The last step: the item joins or starts its story and its claim is dropped, in one transaction.
  const story = await writeTransactionAsync(deps.db, async () => {
    const placed = await placeItem(
      sqliteStoryIndex(deps.db),
      {
        key: item.itemId,
        title: item.title,
        // The feed's own text: the threshold was chosen on feed descriptions, not full articles.
        lead: storyLead(item.content || text),
        publishedAt: item.publishedAt,
        announced: item.announced,
      },
      { now: deps.now(), ...deps.stories },
    );
    dropClaim(deps.db, item.itemId);
    return placed;
  });
  return { matched: matches.length > 0, newStory: story.isNew };
}

/** When a failed item is tried again: 1 min after the first attempt, then 4×, up to 6 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(6 * 3_600_000, 60_000 * 4 ** Math.max(0, attempts - 1));
}

async function articleText(deps: IngestDeps, item: EnrichTarget): Promise<string> {
  if (item.fullText !== null) return item.fullText;
  // A new feed's backlog is never announced, so its article pages are not worth a fetch each.
  if (item.fullTextStatus !== null || !item.announced || !item.url) return item.content;
  if (!needsFullText(item.fullTextMode, item.content)) return item.content;
  const full = await fetchFullText(deps.fetcher, item.url, { untrusted: item.untrusted });
  setItemFullText(
    deps.db,
    item.itemId,
    full.ok ? { text: full.text, status: 'ok' } : { text: null, status: full.reason },
  );
  return full.ok ? full.text : item.content;
}

async function summarize(deps: IngestDeps, item: EnrichTarget, text: string): Promise<Summary> {
  return deps.summarizer.summarize({ title: item.title, text }, deps.budget).catch((err: unknown): Summary => {
    deps.log.error('summarizer failed; using the title', { item: item.url ?? item.itemId, err });
    return {
      text: item.title,
      sentences: [item.title],
      method: 'title',
      note: `summarizer failed: ${errorMessage(err)}`,
    };
  });
}
