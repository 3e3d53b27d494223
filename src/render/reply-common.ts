/** Platform-neutral pieces of a rendered command Reply: spans drawn within a budget, and the wording shared. */
import type { Line, Reply, Span } from '../commands/reply.js';
import type { DigestEntry } from '../digest/types.js';
import { type EntryText, entryText } from './common.js';
import type { Piece } from './split.js';
import { fitText } from './text.js';

/** How one platform draws each kind of span; every function escapes what it is given. */
export interface SpanStyle {
  text(raw: string): string;
  code(raw: string): string;
  strong(raw: string): string;
  /** Null when the URL is not one we render (not http(s), too long): the text is shown plain. */
  link(raw: string, url: string): string | null;
}

/** An entry as a reply shows it: as in a digest, with its story number for `/digest story <id>`. */
export function replyEntryText(e: DigestEntry): EntryText {
  const t = entryText(e);
  return { ...t, meta: `${t.meta} · story ${e.storyId}` };
}

/** A heading that draws nothing: a section without one, or the footer's pseudo-section. */
export const NO_PIECE: Piece<never> = { items: [], cost: { count: 0, chars: 0 } };

/** Custom id prefix of "Next page" buttons; the rest is the page token. */
export const NEXT_PAGE_ID = 'wd:next:';
/** Slack's action_id of that button (its value carries NEXT_PAGE_ID and the token). */
export const NEXT_PAGE_ACTION = 'digest_next_page';
export const NEXT_PAGE_LABEL = 'Next page';

/**
 * A line's spans within `max` units. A span that does not fit is cut (whole graphemes, then escaped, so an escape
 * is never split) and ends the line.
 */
export function renderLine(line: Line, max: number, style: SpanStyle): string {
  let out = '';
  for (const span of spans(line)) {
    const room = max - out.length;
    if (room <= 0) break;
    const { raw, draw } = spanParts(span, style);
    const full = draw(raw);
    const piece = full.length <= room ? full : fitText(raw, room, draw);
    out += piece;
    if (piece !== full) break;
  }
  return out;
}

/** Several lines joined by `sep` within `max`; lines that no longer fit are dropped, and the last one cut. */
export function renderLines(lines: Line[], max: number, sep: string, style: SpanStyle): string {
  let out = '';
  for (const line of lines) {
    const room = max - out.length - (out ? sep.length : 0);
    if (room <= 0) break;
    const drawn = renderLine(line, room, style);
    if (!drawn) continue;
    out = out ? `${out}${sep}${drawn}` : drawn;
  }
  return out;
}

/** A line's text without markup: notification fallbacks and tests. */
export function plainLine(line: Line): string {
  return spans(line)
    .map((s) => spanParts(s, PLAIN).raw)
    .join('');
}

/** The lines an error reply shows: what happened, then what to do. */
export function errorLines(r: Reply): Line[] {
  return r.error ? [r.error.what, r.error.todo] : [];
}

/** "…and 3 more: `/digest latest kosa`" under a section a reply capped, as digests say it. */
export function moreLine(more: { count: number; command: string }): Span[] {
  return [`…and ${more.count} more: `, { code: more.command }];
}

/** Every line of a reply as plain text, top to bottom, for fallbacks and tests. */
export function replyText(r: Reply): string {
  const lines: string[] = [r.title, ...r.notices.map(plainLine), ...errorLines(r).map(plainLine)];
  for (const s of r.sections) {
    lines.push(s.heading, ...s.entries.map((e) => e.title));
    for (const row of s.rows) lines.push(row.label, ...row.lines.map(plainLine));
    if (s.more) lines.push(plainLine(moreLine(s.more)));
  }
  if (r.footer) lines.push(plainLine(r.footer));
  return lines.join('\n');
}

const PLAIN: SpanStyle = { text: (s) => s, code: (s) => s, strong: (s) => s, link: (s) => s };

function spans(line: Line): Span[] {
  return typeof line === 'string' ? [line] : line;
}

function spanParts(span: Span, style: SpanStyle): { raw: string; draw: (s: string) => string } {
  if (typeof span === 'string') return { raw: span, draw: style.text };
  if ('code' in span) return { raw: span.code, draw: style.code };
  if ('strong' in span) return { raw: span.strong, draw: style.strong };
  const { url } = span;
  return { raw: span.text, draw: (s) => style.link(s, url) ?? style.text(s) };
}
