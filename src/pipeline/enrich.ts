import { errorMessage } from '../errors.js';
import { type FullTextMode, fetchFullText, needsFullText } from '../feeds/full-text.js';
import { deferredLeads, dropClaim } from '../store/enrichment.js';
import { deferItemSummary, setItemFullText, setItemSummary, setItemTopics } from '../store/items.js';
import { sqlStoryIndex } from '../store/story-index.js';
import { placeItem } from '../stories/story-index.js';
import { storyLead } from '../stories/text.js';
import type { Summary } from '../summarize/types.js';
import { classify } from '../topics/classify.js';
import type { TopicMatch } from '../topics/types.js';
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
  storyId: number;
}

/** What enrichment worked out for one item, before any of it is stored (see storeEnrichment). */
export interface PreparedItem {
  target: EnrichTarget;
  matches: TopicMatch[];
  /** The new summary; 'kept' when one is stored already; 'deferred' when no topic matched. */
  summary: Summary | 'kept' | 'deferred';
  lead: string;
}

/**
 * The part of enrichment that may wait (a full-text fetch, an LLM summarizer) and writes nothing
 * but a fetched article: fetches full text when the feed gives a teaser, classifies, and
 * summarizes. An item that matches no topic is not summarized: it is searchable and clustered,
 * but only a story on the beat reaches a digest, and the summarizer was most of an item's cost.
 * Its summary is 'deferred' until a story on the beat needs it (summarizeDeferredLeads). A
 * failing summarizer does not fail the item: the title stands in, with the reason.
 */
export async function prepareItem(deps: IngestDeps, item: EnrichTarget): Promise<PreparedItem> {
  const text = await articleText(deps, item);
  const matches = classify({ title: item.title, content: text }, deps.topics);
  const summary = item.summarized ? 'kept' : matches.length === 0 ? 'deferred' : await summarize(deps, item, text);
  // The feed's own text: the threshold was chosen on feed descriptions, not full articles.
  return { target: item, matches, summary, lead: storyLead(item.content || text) };
}

/**
 * Stores a prepared item: topics, summary, then its story, with dropping its claim last, so a
 * story is never announced before its item's topics and summary are stored. All of it or none:
 * it runs inside the batch's write transaction (ingest.ts storeBatch) as a savepoint of its own,
 * so one bad item never undoes the others; the caller releases its claim and a later pass does
 * the item again.
 */
export async function storeEnrichment(deps: IngestDeps, p: PreparedItem): Promise<Enriched> {
  const item = p.target;
  return deps.db.savepoint(async () => {
    await setItemTopics(deps.db, item.itemId, p.matches);
    if (p.summary === 'deferred') await deferItemSummary(deps.db, item.itemId);
    else if (p.summary !== 'kept') await setItemSummary(deps.db, item.itemId, p.summary);
    const story = await placeItem(
      sqlStoryIndex(deps.db),
      { key: item.itemId, title: item.title, lead: p.lead, publishedAt: item.publishedAt, announced: item.announced },
      { now: deps.now(), ...deps.stories },
    );
    await dropClaim(deps.db, item.itemId);
    return { matched: p.matches.length > 0, newStory: story.isNew, storyId: story.storyId };
  });
}

/**
 * Summarizes the deferred representatives of these stories once the stories are on the beat: an
 * off-topic item leads its story until an item on a topic joins, and then its summary is the one
 * a digest shows. Written in one transaction; a failing summarizer leaves the title, as above.
 */
export async function summarizeDeferredLeads(deps: IngestDeps, storyIds: number[]): Promise<number> {
  const done: { itemId: number; summary: Summary }[] = [];
  for (const lead of await deferredLeads(deps.db, storyIds)) {
    done.push({ itemId: lead.itemId, summary: await summarize(deps, lead, lead.text) });
  }
  if (done.length > 0) {
    await deps.db.write(async () => {
      for (const d of done) await setItemSummary(deps.db, d.itemId, d.summary);
    });
  }
  return done.length;
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
  await setItemFullText(
    deps.db,
    item.itemId,
    full.ok ? { text: full.text, status: 'ok' } : { text: null, status: full.reason },
  );
  return full.ok ? full.text : item.content;
}

async function summarize(
  deps: IngestDeps,
  item: Pick<EnrichTarget, 'title' | 'url' | 'itemId'>,
  text: string,
): Promise<Summary> {
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
