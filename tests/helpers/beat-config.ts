import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG_FILE } from '../../src/config/load.js';

/**
 * Writes a config file that keeps the default beat's topics but watches the given feeds, so
 * tests exercise the real topic queries against local feeds.
 */
export function writeBeatConfig(
  dir: string,
  p: { feeds: { name: string; url: string }[]; extra?: Record<string, unknown> },
): string {
  const beat = parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')) as Record<string, unknown>;
  const config = {
    bot: beat.bot,
    store: { path: path.join(dir, 'watchdesk.db') },
    fetch: { timeout: '5s', connectTimeout: '2s' },
    feeds: p.feeds.map((f) => ({ ...f, fullText: 'never' })),
    topics: beat.topics,
    subscriptions: [{ platform: 'console', channel: 'test', topics: 'all', schedule: 'daily 09:00', timezone: 'UTC' }],
    ...p.extra,
  };
  const file = path.join(dir, 'watchdesk.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

/** An RSS 2.0 document from items written in the test. */
export function rss(
  title: string,
  items: { guid: string; title: string; link: string; date: string; text: string }[],
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${esc(title)}</title><link>https://outlet.example/</link><description>test</description>
${items
  .map(
    (i) =>
      `<item><guid isPermaLink="false">${esc(i.guid)}</guid><title>${esc(i.title)}</title><link>${esc(i.link)}</link><pubDate>${new Date(i.date).toUTCString()}</pubDate><description>${esc(i.text)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
}
