/** Length-safe text helpers shared by every renderer. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const ELLIPSIS = '…';

/**
 * Feed text arrives with arbitrary whitespace, control characters and even lone surrogates. Collapse it to one
 * line: renderers decide the layout, and feed text that starts a line could otherwise become a heading or quote.
 */
export function cleanText(text: string): string {
  return (
    text
      // A lone surrogate cannot be encoded as UTF-8: the platform would reject or mangle the whole payload.
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      // Explicit bidi overrides can visually reorder our own text around the feed text.
      .replace(/[\u202A-\u202E]/g, '')
      .replace(/[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The longest prefix of `raw` (whole graphemes, plus "…" when cut) whose transformed form is at most `max` UTF-16
 * units. Truncating the raw text before transforming means an escape sequence or a mention guard is never cut in
 * half, and the budget still counts what escaping adds.
 */
export function fitText(raw: string, max: number, transform: (s: string) => string = (s) => s): string {
  const full = transform(raw);
  if (full.length <= max) return full;
  // Escaping never shortens text, so no more than the first `max` units of raw can be kept: segmenting only
  // those (and a little more, for a grapheme that straddles the cut) keeps this linear in `max`, not in raw.
  const gs = graphemes(raw.length > max + 64 ? raw.slice(0, max + 64) : raw);
  const candidate = (k: number) => transform(`${gs.slice(0, k).join('').trimEnd()}${ELLIPSIS}`);
  // Escaping a longer prefix never yields a shorter string, so the fitting prefixes form a range from 0.
  let lo = 0;
  let hi = gs.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (candidate(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  const k = preferWordBreak(gs, lo);
  const out = candidate(k);
  if (out.length <= max) return out;
  const bare = candidate(0);
  return bare.length <= max ? bare : '';
}

/**
 * Joins rendered items with `sep` within `max` units. When they do not all fit, ends with `more(n)` for the n left
 * out, so a reader always learns that something was dropped.
 */
export function joinWithin(items: string[], sep: string, max: number, more: (n: number) => string): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const next = out ? `${out}${sep}${items[i]}` : (items[i] ?? '');
    const left = items.length - i - 1;
    const tail = left > 0 ? `${sep}${more(left)}` : '';
    if (next.length + tail.length > max) {
      const label = more(items.length - i);
      const withLabel = out ? `${out}${sep}${label}` : label;
      return withLabel.length <= max ? withLabel : out;
    }
    out = next;
  }
  return out;
}

/**
 * Only http(s) links are ever rendered. Characters that would close our link markup on any platform — `)` on
 * Discord and Markdown, `|` and `>` on Slack, whitespace everywhere — are percent-encoded.
 */
export function safeUrl(url: string | null | undefined, maxLength: number): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const href = parsed.href.replace(
    /[()|<>\s"`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return href.length <= maxLength ? href : null;
}

/** "2026-01-02 14:05 UTC", or '' when the date is unusable. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function preferWordBreak(gs: string[], k: number): number {
  // A cut at a space reads better, but only when it costs little text (CJK has no spaces at all).
  for (let i = k; i > 0 && i > k - 24; i--) {
    if (gs[i - 1] === ' ') return i - 1;
  }
  return k;
}
