/** Platform-neutral pieces of a rendered digest: cleaned feed text and the wording every renderer shares. */
import type { Digest, DigestEntry, DigestSection, DigestTopicReason } from '../digest/types.js';
import { BUDGETS } from './limits.js';
import { cleanText, fitText, formatDate, joinWithin } from './text.js';

export interface EntryText {
  title: string;
  url: string | null;
  outlet: string;
  summary: string;
  /** "Reuters · 2026-01-02 14:05 UTC" */
  meta: string;
  /** "Section 230 (“Section 230”, immunity); KOSA (…)" */
  why: string;
  sources: { outlet: string; url: string | null }[];
}

/** Sections worth showing: a section with no entries still matters when it reports stories left out by the cap. */
export function visibleSections(digest: Digest): DigestSection[] {
  return digest.sections.filter((s) => s.entries.length > 0 || s.more > 0);
}

/** Appended to a section heading repeated at the top of a new part. */
export const CONTINUED = ' (continued)';

/** A section's heading text before escaping: its name, else its id. */
export function sectionName(section: DigestSection): string {
  return cleanText(section.topicName) || cleanText(section.topicId) || 'Other';
}

export function entryText(e: DigestEntry): EntryText {
  const outlet = outletName(e.outlet);
  const date = formatDate(e.published);
  return {
    title: cleanText(e.title) || '(untitled)',
    url: e.url,
    outlet,
    summary: cleanText(e.summary),
    meta: date ? `${outlet} · ${date}` : outlet,
    why: whyText(e.topics),
    sources: e.alsoReportedBy.map((s) => ({ outlet: outletName(s.outlet), url: s.url })),
  };
}

function whyText(topics: DigestTopicReason[]): string {
  return topics
    .map((t) => {
      const terms = t.terms.map(cleanText).filter(Boolean);
      const name = cleanText(t.name) || cleanText(t.id);
      return terms.length > 0 ? `${name} (${terms.join(', ')})` : name;
    })
    .join('; ');
}

export function digestTitle(digest: Digest): string {
  return cleanText(digest.title) || 'watchdesk digest';
}

/** "12 new stories since 2026-01-01 09:00 UTC" */
export function digestStats(digest: Digest): string {
  const n = digest.storyCount;
  const since = formatDate(digest.since);
  return `${n} new ${n === 1 ? 'story' : 'stories'}${since ? ` since ${since}` : ''}`;
}

export function nothingNew(digest: Digest): string {
  const since = formatDate(digest.since);
  return `Nothing new${since ? ` since ${since}` : ''}.`;
}

/**
 * The command a reader runs to see the rest of a capped topic, where they read the digest: in Discord
 * and Slack the /digest command beside it; on the console, the CLI. The one place that names it.
 */
export function moreStoriesCommand(topicId: string, where: 'chat' | 'console'): string {
  return where === 'chat' ? `/digest latest ${topicId}` : `watchdesk digest --topics ${topicId}`;
}

/** Topic ids are config slugs; anything else is dropped so the command line cannot break out of its code span. */
export function moreLine(section: DigestSection, where: 'chat' | 'console'): string {
  const id = section.topicId.replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, BUDGETS.topicIdChars);
  return id ? `…and ${section.more} more: \`${moreStoriesCommand(id, where)}\`` : `…and ${section.more} more`;
}

function moreOutlets(n: number): string {
  return `…and ${n} more outlet${n === 1 ? '' : 's'}`;
}

/**
 * Summary plus "also reported by" within `max` units. The source list keeps up to a reserve of the budget so a
 * long summary cannot crowd it out entirely; whatever it does not use goes back to the summary.
 */
export function composeBody(opts: {
  summary: string;
  sourceItems: string[];
  max: number;
  transform: (s: string) => string;
  sep: string;
  prefix: string;
}): string {
  const { summary, sourceItems, max, transform, sep, prefix } = opts;
  const fullSummary = transform(summary);
  const fullSources = sourceItems.length > 0 ? `${prefix}${sourceItems.join(', ')}` : '';
  const join = (a: string, b: string) => (a && b ? `${a}${sep}${b}` : a || b);
  if (join(fullSummary, fullSources).length <= max) return join(fullSummary, fullSources);

  const sourcesBudget = Math.min(
    fullSources.length,
    Math.max(BUDGETS.sourcesReserve, max - fullSummary.length - sep.length),
    max,
  );
  const sources =
    sourceItems.length > 0
      ? `${prefix}${joinWithin(sourceItems, ', ', sourcesBudget - prefix.length, moreOutlets)}`
      : '';
  const summaryBudget = max - sources.length - (sources ? sep.length : 0);
  return join(summary ? fitText(summary, summaryBudget, transform) : '', sources);
}

function outletName(raw: string): string {
  return fitText(cleanText(raw), BUDGETS.outletChars) || 'unknown outlet';
}
