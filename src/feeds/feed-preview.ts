/** How a feed is named and previewed to the person adding it (the CLI and /digest feed add share the words). */
import { redactUrl } from './redact-url.js';

/** What one fetch of a feed showed: for the reply to the person who added it. */
export interface FeedPreview {
  /** Where the fetch ended, after redirects. */
  finalUrl: string;
  title: string | null;
  itemCount: number;
  newest: { title: string; published: string; url: string | null } | null;
  /** Topics the recent items match, most items first. */
  topics: { id: string; name: string; items: number }[];
  /** How many recent items were classified for `topics`. */
  sampled: number;
}

/** "24 items; newest: "Title" (2026-11-28)", "no items yet". */
export function previewLines(p: FeedPreview): string[] {
  const lines = [
    p.itemCount === 0
      ? 'No items yet.'
      : `${p.itemCount} item${p.itemCount === 1 ? '' : 's'}; newest: "${p.newest?.title}" (${p.newest?.published.slice(0, 10)})`,
  ];
  if (p.sampled > 0) {
    lines.push(
      p.topics.length === 0
        ? `None of its ${p.sampled} most recent items matches a topic.`
        : `Its ${p.sampled} most recent items match: ${p.topics.map((t) => `${t.name} (${t.items})`).join(', ')}.`,
    );
  }
  return lines;
}

/** A feed as people know it: its name, else its title, else its URL with any credentials masked. */
export function feedLabel(f: { name: string | null; title: string | null; url: string }): string {
  return f.name ?? f.title ?? redactUrl(f.url);
}
