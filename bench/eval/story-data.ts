import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { urlHost } from '../../src/feeds/normalize.js';
import type { ClusterItem } from '../../src/stories/cluster.js';
import { storyLead } from '../../src/stories/text.js';

/** One day of already-parsed items from 123 outlets (rss-link-db-2023), as cluster input. */
export const DAY_DIR = 'feeds-real/rss-link-db-2023/day-2023-12-01';

interface RawEntry {
  source?: string;
  title?: string | null;
  description?: string | null;
  link?: string | null;
  date_published?: string | null;
  artist?: string | null;
}

/** Loads the day's items sorted by publication time, the order a poller would see them in. */
export function loadDayItems(dataDir: string): ClusterItem[] {
  const dir = path.join(dataDir, DAY_DIR);
  if (!existsSync(dir)) {
    process.stderr.write(`day file folder not found: ${dir}\n`);
    process.exit(2);
  }
  const items: ClusterItem[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const entries = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as RawEntry[];
    entries.forEach((e, i) => {
      const link = e.link ?? null;
      items.push({
        key: `${file}#${i}`,
        title: htmlToText(e.title ?? ''),
        lead: storyLead(htmlToText(e.description ?? '')),
        outlet: e.artist?.trim() || urlHost(link ?? e.source ?? '') || file,
        url: link,
        publishedAt: Date.parse(e.date_published ?? '') || 0,
      });
    });
  }
  return items.sort((a, b) => a.publishedAt - b.publishedAt || a.key.localeCompare(b.key));
}

/** Enough HTML-to-text for feed descriptions: drop tags, decode the common entities. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, n: string) => ENTITIES[n] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
