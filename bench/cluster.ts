/**
 * npm run bench -- cluster [--data ../shared/data]
 * Story clustering throughput over one real day (3,331 items from 123 outlets), one core:
 *   - LSH: the in-memory incremental clusterer (MinHash bands, verified similarity);
 *   - exhaustive: the same verification against every live story (the all-pairs baseline),
 *     which also serves as ground truth for how many joins LSH retrieval misses;
 *   - store: placeItem over the SQLite StoryIndex into a real SQLite file (WAL), one transaction per item, and all inside one transaction.
 * Writes bench/results/cluster.json and cluster.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FeedConfig } from '../src/config/schema.js';
import { openDb } from '../src/store/db.js';
import { getFeedByUrl, syncFeedsFromConfig } from '../src/store/feeds.js';
import { insertNewItems } from '../src/store/items.js';
import { sqlOf } from '../src/store/sql.js';
import { sqlStoryIndex } from '../src/store/story-index.js';
import { type ClusterItem, createClusterer, DEFAULT_WINDOW_MS } from '../src/stories/cluster.js';
import {
  DEFAULT_THRESHOLD,
  isRepublished,
  type PreparedText,
  preparedSimilarity,
  prepareText,
} from '../src/stories/similarity.js';
import { placeItem } from '../src/stories/story-index.js';
import { dataDir, writeResults } from './data.js';
import { loadDayItems } from './eval/story-data.js';

const ROUNDS = 3;

export async function run(args: string[]): Promise<void> {
  const items = loadDayItems(dataDir(args));
  const lsh = await best(ROUNDS, () => clusterLsh(items));
  const exhaustive = await best(ROUNDS, async () => clusterExhaustive(items));
  const store = await best(1, () => clusterInStore(items, false));
  const storeBatched = await best(1, () => clusterInStore(items, true));
  const agreement = pairAgreement(lsh.assignment, exhaustive.assignment);
  const rows = [
    { method: 'LSH (in memory)', ...figures(items.length, lsh) },
    { method: 'exhaustive baseline (in memory)', ...figures(items.length, exhaustive) },
    { method: 'LSH in SQLite (placeItem, one transaction per item)', ...figures(items.length, store) },
    { method: 'LSH in SQLite (placeItem, inside one batch transaction)', ...figures(items.length, storeBatched) },
  ];
  const speedup = rows[0]!.itemsPerSecond / rows[1]!.itemsPerSecond;
  const md = [
    '# Story clustering throughput',
    '',
    `${items.length} items of feeds-real/rss-link-db-2023/day-2023-12-01 in publication order, threshold ` +
      `${DEFAULT_THRESHOLD}, window 72 h, one core (Node ${process.version}). Best of ${ROUNDS} runs in memory, one run each in SQLite (a temp file, WAL).`,
    '',
    '| method | items/s | ms total | stories | multi-item stories | candidates verified per item |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.method} | ${Math.round(r.itemsPerSecond)} | ${r.ms.toFixed(0)} | ${r.stories} | ${r.multi} | ${r.candidatesPerItem.toFixed(1)} |`,
    ),
    '',
    `LSH is ${speedup.toFixed(1)}x the exhaustive baseline. LSH recovers ${(agreement.recall * 100).toFixed(1)}% of ` +
      'the item pairs that the exhaustive scan (same verification, every live story checked) puts in one story ' +
      `(pair recall), and ${(agreement.precision * 100).toFixed(1)}% of the pairs LSH puts together are together ` +
      'there too (pair precision). The misses are joins whose MinHash bands never collided.',
  ].join('\n');
  process.stdout.write(`${md}\n`);
  writeResults('cluster', { items: items.length, threshold: DEFAULT_THRESHOLD, rows, speedup, agreement }, md);
}

interface RunResult {
  ms: number;
  assignment: number[];
  candidates: number;
}

async function clusterLsh(items: ClusterItem[]): Promise<RunResult> {
  const start = performance.now();
  const c = createClusterer({ threshold: DEFAULT_THRESHOLD });
  let candidates = 0;
  const assignment: number[] = [];
  for (const it of items) {
    const r = await c.add(it);
    candidates += r.candidates;
    assignment.push(r.storyId);
  }
  return { ms: performance.now() - start, assignment, candidates };
}

/** The same rules as createClusterer, but every live story is verified: no candidate retrieval. */
function clusterExhaustive(items: ClusterItem[]): RunResult {
  const start = performance.now();
  const live: Array<{ id: number; rep: ClusterItem; text: PreparedText }> = [];
  let candidates = 0;
  const assignment = items.map((it) => {
    const text = prepareText(it);
    let bestId = -1;
    let bestScore = -1;
    for (const s of live) {
      if (Math.abs(it.publishedAt - s.rep.publishedAt) > DEFAULT_WINDOW_MS) continue;
      if (s.rep.outlet === it.outlet && !isRepublished(s.text, text) && !(s.rep.url && s.rep.url === it.url)) continue;
      candidates++;
      const score = preparedSimilarity(text, s.text);
      if (score > bestScore) {
        bestScore = score;
        bestId = s.id;
      }
    }
    if (bestId >= 0 && bestScore >= DEFAULT_THRESHOLD) return bestId;
    live.push({ id: live.length + 1, rep: it, text });
    return live.length;
  });
  return { ms: performance.now() - start, assignment, candidates };
}

async function clusterInStore(items: ClusterItem[], batched: boolean): Promise<RunResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-bench-cluster-'));
  try {
    const db = openDb(path.join(dir, 'bench.db'));
    const outlets = [...new Set(items.map((i) => i.outlet))];
    const feedUrl = (o: string) => `https://feeds.example/${encodeURIComponent(o)}`;
    await syncFeedsFromConfig(
      sqlOf(db),
      outlets.map((o) => ({ url: feedUrl(o), name: o }) as FeedConfig),
      { intervalMs: 600_000 },
      0,
    );
    const feedIds = new Map<string, number>();
    for (const o of outlets) feedIds.set(o, (await getFeedByUrl(sqlOf(db), feedUrl(o)))!.id);
    // Items are stored first (not timed): the figure is for clustering alone.
    const ids: number[] = [];
    for (const [i, it] of items.entries()) {
      const [row] = await insertNewItems(
        sqlOf(db),
        feedIds.get(it.outlet)!,
        [
          {
            id: `item-${i}`,
            url: null,
            title: it.title,
            published: new Date(it.publishedAt).toISOString(),
            publishedEstimated: false,
            author: null,
            categories: [],
            content: it.lead,
            enclosures: [],
          },
        ],
        { now: it.publishedAt, announced: true },
      );
      // A feed that repeats a linkless item (same title and text) is stored once, as in production:
      // the repeat then keeps the first one's story.
      ids.push(
        row?.itemId ??
          (db
            .prepare('SELECT id FROM items WHERE feed_id = ? AND title = ? ORDER BY id')
            .pluck()
            .get(feedIds.get(it.outlet), it.title) as number),
      );
    }
    const start = performance.now();
    let candidates = 0;
    const index = sqlStoryIndex(sqlOf(db));
    const assignAll = async () => {
      const out: number[] = [];
      for (const [i, it] of items.entries()) {
        const r = await placeItem(
          index,
          { key: ids[i]!, title: it.title, lead: it.lead, publishedAt: it.publishedAt, announced: true },
          { now: it.publishedAt, windowMs: DEFAULT_WINDOW_MS, threshold: DEFAULT_THRESHOLD },
        );
        candidates += r.candidates;
        out.push(r.storyId);
      }
      return out;
    };
    // A poll stores and clusters a feed's new items together; batching shows the cost without per-item commits.
    const assignment = batched ? await sqlOf(db).write(assignAll) : await assignAll();
    const ms = performance.now() - start;
    db.close();
    return { ms, assignment, candidates };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function best(rounds: number, f: () => Promise<RunResult>): Promise<RunResult> {
  let out: RunResult | null = null;
  for (let i = 0; i < rounds; i++) {
    const r = await f();
    if (!out || r.ms < out.ms) out = r;
  }
  return out!;
}

function figures(n: number, r: RunResult) {
  const sizes = new Map<number, number>();
  for (const s of r.assignment) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  return {
    itemsPerSecond: (n / r.ms) * 1000,
    ms: r.ms,
    stories: sizes.size,
    multi: [...sizes.values()].filter((v) => v > 1).length,
    candidatesPerItem: r.candidates / n,
  };
}

/** Pairwise agreement of two clusterings: pairs of items put in one story by both, by either. */
function pairAgreement(test: number[], truth: number[]): { precision: number; recall: number } {
  const pairs = (a: number[]) => {
    const groups = new Map<number, number[]>();
    a.forEach((s, i) => {
      groups.set(s, [...(groups.get(s) ?? []), i]);
    });
    const out = new Set<string>();
    for (const g of groups.values())
      for (let x = 0; x < g.length; x++) for (let y = x + 1; y < g.length; y++) out.add(`${g[x]},${g[y]}`);
    return out;
  };
  const t = pairs(test);
  const g = pairs(truth);
  let both = 0;
  for (const p of t) if (g.has(p)) both++;
  return { precision: t.size === 0 ? 1 : both / t.size, recall: g.size === 0 ? 1 : both / g.size };
}
