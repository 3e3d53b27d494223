import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { UserError } from '../errors.js';
import { urlHost } from '../feeds/normalize.js';
import type { ClusterItem, StoryCluster } from '../stories/cluster.js';
import { DEFAULT_THRESHOLD } from '../stories/similarity.js';
import { storyLead } from '../stories/text.js';
import { ago, withStoreReadOnly } from './context.js';

export function registerStories(program: Command): void {
  const stories = program.command('stories').description('Group items from many outlets that report the same event');
  stories
    .command('cluster')
    .description(
      'Cluster articles into stories: plain-text files (first line is the title) or JSON arrays of normalized items ' +
        '(as `watchdesk parse --json` prints); prints the stories with their members, largest first',
    )
    .argument('<file...>', 'article or JSON files')
    .option('--json', 'print JSON')
    .option('--threshold <x>', `similarity needed to join a story, 0..1 (default ${DEFAULT_THRESHOLD})`, parseThreshold)
    .option('--window <duration>', 'items join stories that started at most this long before them', '72h')
    .action(async (files: string[], opts: { json?: boolean; threshold?: number; window: string }) => {
      const windowMs = parseDuration(opts.window);
      if (windowMs === null) throw new UserError('bad_argument', `--window: not a duration: ${opts.window}`);
      const items = files.flatMap(readItems).sort((a, b) => a.publishedAt - b.publishedAt);
      const { storyClusterer } = await import('../app/services.js');
      // Dates in the future are taken as now, as ingest takes them.
      const clusterer = storyClusterer({ threshold: opts.threshold ?? DEFAULT_THRESHOLD, windowMs, now: Date.now() });
      for (const item of items) await clusterer.add(item);
      const result = clusterer.stories();
      process.stdout.write(opts.json ? `${JSON.stringify(result.map(storyJson), null, 2)}\n` : formatClusters(result));
    });
  stories
    .command('list')
    .description('List stories from the store that gained items recently, with their sources')
    .option('--since <duration>', 'how far back, e.g. 24h, 3d', '24h')
    .option('--limit <n>', 'at most this many stories', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { since: string; limit: string; json?: boolean }, cmd: Command) => {
      const sinceMs = parseDuration(opts.since);
      if (sinceMs === null)
        throw new UserError('bad_argument', `--since: not a duration: ${opts.since}`, 'Try 24h or 3d.');
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UserError('bad_argument', `--limit: not a count: ${opts.limit}`);
      const { listStories, storyMembers } = await import('../store/stories.js');
      await withStoreReadOnly(cmd, async ({ db, clock }) => {
        const now = clock.now();
        const rows = [];
        for (const s of await listStories(db, { since: now - sinceMs, limit })) {
          rows.push({ ...s, members: await storyMembers(db, s.id) });
        }
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write(`no stories updated in the last ${opts.since}\n`);
          return;
        }
        const lines: string[] = [];
        for (const s of rows) {
          lines.push(
            `#${s.id}  ${s.itemCount} item${s.itemCount === 1 ? '' : 's'}  updated ${ago(s.updatedAt, now)}  ${s.title}`,
          );
          for (const m of s.members) lines.push(`    - ${m.outlet}: ${m.title}${m.url ? `  <${m.url}>` : ''}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}

/** One file's items: a JSON array of normalized items, or one plain-text article. */
function readItems(file: string): ClusterItem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new UserError('file_unreadable', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  const name = path.basename(file);
  if (text.trimStart().startsWith('[')) return jsonItems(text, file);
  const [first = '', ...rest] = text.split(/\r?\n/);
  const title = first.trim();
  if (!title) throw new UserError('bad_input', `${file}: the first line should be the article's title`);
  return [{ key: file, title, lead: storyLead(rest.join('\n')), outlet: name, url: null, publishedAt: 0 }];
}

function jsonItems(text: string, file: string): ClusterItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError('bad_input', `${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UserError('bad_input', `${file}: expected a JSON array of items`);
  return data.map((raw, i) => {
    const o = (raw ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
    const title = str('title').trim();
    if (!title) throw new UserError('bad_input', `${file}: item ${i} has no title`);
    const url = str('url') || str('link') || null;
    const published = Date.parse(str('published') || str('date_published'));
    return {
      key: str('id') || `${file}#${i}`,
      title,
      lead: storyLead(str('content') || str('description')),
      outlet: str('outlet') || str('feed') || urlHost(url) || path.basename(file),
      // The outlet an aggregator feed credits: two of its items from different sources are two outlets.
      source: str('source') || null,
      url,
      publishedAt: Number.isFinite(published) ? published : 0,
    };
  });
}

function formatClusters(stories: StoryCluster[]): string {
  const lines: string[] = [];
  stories.forEach((s, i) => {
    const outlets = new Set(s.members.map((m) => m.outlet)).size;
    lines.push(
      `Story ${i + 1}: ${s.representative.title}  (${s.members.length} item${s.members.length === 1 ? '' : 's'}, ` +
        `${outlets} outlet${outlets === 1 ? '' : 's'})`,
    );
    for (const m of s.members) lines.push(`  - ${m.outlet}: ${m.title}${m.url ? `  <${m.url}>` : ''}`);
  });
  return `${lines.join('\n')}\n`;
}

function storyJson(s: StoryCluster) {
  return {
    title: s.representative.title,
    representative: s.representative.key,
    firstSeen: s.firstSeenAt > 0 ? new Date(s.firstSeenAt).toISOString() : null,
    size: s.members.length,
    outlets: [...new Set(s.members.map((m) => m.outlet))],
    members: s.members.map((m) => ({
      key: m.key,
      title: m.title,
      outlet: m.outlet,
      url: m.url,
      published: m.publishedAt > 0 ? new Date(m.publishedAt).toISOString() : null,
    })),
  };
}

function parseThreshold(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x < 0 || x > 1)
    throw new UserError('bad_argument', `--threshold must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  return x;
}
