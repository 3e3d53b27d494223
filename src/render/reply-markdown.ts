/** Reply → Markdown, for the console and for tests that read a reply as a person would. */
import type { Reply } from '../commands/reply.js';
import { escapeMarkdown } from './escape.js';
import { BUDGETS } from './limits.js';
import { renderEntry } from './markdown.js';
import { errorLines, moreLine, renderLine, replyEntryText, type SpanStyle } from './reply-common.js';
import { safeUrl } from './text.js';

/** Markdown has no length limit; this only keeps one line readable. */
const LINE_CHARS = 4_000;

export const MARKDOWN_SPANS: SpanStyle = {
  text: escapeMarkdown,
  code: (s) => `\`${s.replace(/`/g, 'ˋ')}\``,
  strong: (s) => `**${escapeMarkdown(s)}**`,
  link: (s, url) => {
    const safe = safeUrl(url, BUDGETS.embedUrlChars);
    return safe ? `[${escapeMarkdown(s)}](${safe})` : null;
  },
};

export function renderReplyMarkdown(r: Reply): string {
  const line = (l: Parameters<typeof renderLine>[0]) => renderLine(l, LINE_CHARS, MARKDOWN_SPANS);
  const out: string[] = [`# ${escapeMarkdown(r.title)}`, ''];
  for (const l of [...r.notices, ...errorLines(r)]) out.push(line(l), '');
  for (const s of r.sections) {
    if (s.heading) out.push(`## ${escapeMarkdown(s.heading)}`, '');
    for (const e of s.entries) out.push(...renderEntry(replyEntryText(e)));
    for (const row of s.rows) out.push(`**${escapeMarkdown(row.label)}**`, ...row.lines.map((l) => `- ${line(l)}`), '');
    if (s.more) out.push(line(moreLine(s.more)), '');
  }
  if (r.footer) out.push(line(r.footer), '');
  if (r.nextPage) out.push('(more on the next page)', '');
  return out.join('\n');
}
