import { errorMessage } from '../errors.js';
import { FetchError } from './fetch-errors.js';
import { htmlToLine, htmlToText, looksLikeMarkup } from './html-text.js';
import { canonicalUrl, isHttpUrl, parseDate, stableId, uniqueById } from './normalize.js';
import type { Enclosure, NormalizedItem, ParsedFeed } from './types.js';

/** True when the text is a JSON object whose version names JSON Feed (1.0 or 1.1). */
export function looksLikeJsonFeed(value: unknown): value is JsonFeed {
  return (
    isObject(value) &&
    typeof value.version === 'string' &&
    /^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/i.test(value.version.trim())
  );
}

/**
 * Parses JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Throws not_a_feed for
 * invalid JSON or JSON that is not a JSON Feed.
 */
export function parseJsonFeed(text: string, opts: { url: string; now: number }): ParsedFeed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FetchError(
      'not_a_feed',
      'The document starts like JSON but is not valid JSON, so it is not a JSON Feed.',
      {
        detail: errorMessage(err),
      },
    );
  }
  if (!looksLikeJsonFeed(value)) {
    throw new FetchError('not_a_feed', 'The document is JSON but not a JSON Feed (no jsonfeed.org "version").');
  }
  const base = isHttpUrl(opts.url) ? opts.url : str(value.feed_url) || str(value.home_page_url) || undefined;
  const feedAuthor = authorName(value);
  const rawItems: unknown[] = Array.isArray(value.items) ? value.items : [];
  const items = uniqueById(rawItems.filter(isObject).map((raw) => mapItem(raw, base, feedAuthor, opts.now)));
  const home = str(value.home_page_url);
  return {
    title: str(value.title) || null,
    link: home ? canonicalUrl(home, base) : null,
    ttlMinutes: null,
    items,
  };
}

interface JsonFeed extends Record<string, unknown> {
  version: string;
  title?: unknown;
  home_page_url?: unknown;
  feed_url?: unknown;
  items?: unknown;
  author?: unknown;
  authors?: unknown;
}

function mapItem(
  raw: Record<string, unknown>,
  base: string | undefined,
  feedAuthor: string | null,
  now: number,
): NormalizedItem {
  const href = str(raw.url) || str(raw.external_url);
  const url = href ? canonicalUrl(href, base) : null;
  const dateText = str(raw.date_published) || str(raw.date_modified) || undefined;
  const rawTitle = str(raw.title);
  const title = looksLikeMarkup(rawTitle) ? htmlToLine(rawTitle) : rawTitle.trim();
  const content = htmlToText(str(raw.content_html)) || str(raw.content_text).trim() || htmlToText(str(raw.summary));
  const rawId = typeof raw.id === 'number' ? String(raw.id) : str(raw.id);
  const date = parseDate(dateText, now);
  return {
    id: stableId({ guid: rawId, url, title, dateText, content }),
    url,
    title,
    published: date.iso,
    publishedEstimated: date.estimated,
    author: authorName(raw) ?? feedAuthor,
    categories: Array.isArray(raw.tags) ? [...new Set(raw.tags.filter((t) => typeof t === 'string' && t.trim()))] : [],
    content,
    enclosures: attachments(raw.attachments, base),
  };
}

/** 1.1 has `authors` (an array); 1.0 had `author` (one object). */
function authorName(obj: Record<string, unknown>): string | null {
  const list = Array.isArray(obj.authors) ? obj.authors : obj.author ? [obj.author] : [];
  const names = list
    .filter(isObject)
    .map((a) => str(a.name).trim())
    .filter(Boolean);
  return names.length > 0 ? names.join(', ') : null;
}

function attachments(value: unknown, base: string | undefined): Enclosure[] {
  if (!Array.isArray(value)) return [];
  const out: Enclosure[] = [];
  for (const a of value) {
    if (!isObject(a)) continue;
    const url = canonicalUrl(str(a.url), base);
    if (!url) continue;
    const size = typeof a.size_in_bytes === 'number' && a.size_in_bytes >= 0 ? a.size_in_bytes : null;
    out.push({ url, type: str(a.mime_type) || null, length: size });
  }
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
