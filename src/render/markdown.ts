/** Digest → Markdown for the console adapter and for files. No platform limits, but feed text is still escaped. */
import type { Digest } from '../digest/types.js';
import { digestStats, digestTitle, entryText, moreLine, nothingNew, sectionName, visibleSections } from './common.js';
import { escapeMarkdown } from './escape.js';
import { BUDGETS } from './limits.js';
import { fitText, formatDate, safeUrl } from './text.js';

export function renderMarkdown(digest: Digest): string {
  const date = formatDate(digest.generatedAt);
  const title = escapeMarkdown(digestTitle(digest));
  const out: string[] = [`# ${title}${date ? ` — ${date}` : ''}`, ''];
  const sections = visibleSections(digest);
  if (sections.length === 0) {
    out.push(nothingNew(digest), '');
    return out.join('\n');
  }
  out.push(digestStats(digest), '');
  for (const section of sections) {
    out.push(`## ${escapeMarkdown(sectionName(section))}`, '');
    for (const entry of section.entries) out.push(...renderEntry(entryText(entry)));
    if (section.more > 0) out.push(moreLine(section, 'console'), '');
  }
  return out.join('\n');
}

export function renderEntry(t: ReturnType<typeof entryText>): string[] {
  const title = fitText(t.title, BUDGETS.markdownTitleChars, escapeMarkdown);
  const url = safeUrl(t.url, BUDGETS.embedUrlChars);
  const lines = [`### ${url ? `[${title}](${url})` : title}`, '', `*${escapeMarkdown(t.meta)}*`, ''];
  if (t.summary) lines.push(fitText(t.summary, BUDGETS.markdownSummaryChars, escapeMarkdown), '');
  if (t.sources.length > 0) {
    const sources = t.sources.map((s) => {
      const link = safeUrl(s.url, BUDGETS.embedUrlChars);
      return link ? `[${escapeMarkdown(s.outlet)}](${link})` : escapeMarkdown(s.outlet);
    });
    lines.push(`**Also reported by:** ${sources.join(', ')}`, '');
  }
  if (t.why) lines.push(`**Why it matched:** ${escapeMarkdown(t.why)}`, '');
  return lines;
}
