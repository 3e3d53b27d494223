/**
 * npm run bench -- summarize [--data ../shared/data] [--rounds 5]
 *
 * Summaries per second per core: the extractive summarizer at its default budget (2 sentences,
 * 320 characters) over every BBC News Summary article, in this one process on one thread, so
 * the figure is per core. LEAD-3 (split sentences, take three) and plain TextRank-3 run in the
 * same rounds over the same texts as baselines; rounds alternate the order and the median
 * counts. Writes bench/results/summarize.{json,md}.
 *
 * It then runs the clustering benchmark (bench/cluster.ts: items per second over the real day
 * file), which writes bench/results/cluster.{json,md}.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BUDGET, summarizeExtractive } from '../src/summarize/extractive.js';
import { splitSentences } from '../src/summarize/sentences.js';
import { plainTextRank } from '../src/summarize/textrank.js';
import { run as runClusterBench } from './cluster.js';
import { argValue, dataDir, median, resultsDir } from './data.js';
import { BBC_SUBDIR, type BbcArticle, loadBbc, round } from './eval/summarize.js';

/** One named group of figures in the results files. */
export type BenchSection = Record<string, number | string>;

export async function run(args: string[]): Promise<void> {
  const dir = dataDir(args);
  const rounds = Number(argValue(args, '--rounds') ?? 5);
  const sections: Record<string, BenchSection> = {};
  sections.summaries = await benchSummaries(dir, { rounds });
  writeBenchResults('summarize', sections);
  // The issue asks this benchmark for clustering items per second over the day file too; that
  // lives in bench/cluster.ts (its own results file), run here in the same process.
  process.stdout.write('\n');
  await runClusterBench(args);
}

/**
 * Summaries per second (single thread = one core) for the extractive summarizer and the
 * baselines over the BBC articles under dataDir, plus the extractive/LEAD-3 ratio.
 */
export async function benchSummaries(dataDir: string, opts: { rounds?: number } = {}): Promise<BenchSection> {
  const root = path.join(dataDir, BBC_SUBDIR);
  if (!existsSync(root)) {
    process.stderr.write(`BBC News Summary not found at ${root}; skipping the summary benchmark.\n`);
    return { skipped: `no data at ${root}` };
  }
  const articles = loadBbc(root);
  const rounds = Math.max(1, opts.rounds ?? 5);
  const systems: Record<string, (a: BbcArticle) => number> = {
    extractive: (a) => summarizeExtractive({ title: a.title, text: a.text }, DEFAULT_BUDGET).text.length,
    'lead-3': (a) => splitSentences(a.text).slice(0, 3).join(' ').length,
    'textrank-3': (a) => {
      const s = splitSentences(a.text);
      return plainTextRank(s, 3).reduce((n, i) => n + s[i]!.length, 0);
    },
  };
  const names = Object.keys(systems);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let sink = 0;
  // Round 0 warms up the JIT and is not counted.
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const fn = systems[name]!;
      const t0 = performance.now();
      for (const a of articles) sink += fn(a);
      const ms = performance.now() - t0;
      if (round > 0) times[name]!.push(ms);
    }
  }
  if (sink === 0) throw new Error('no summaries were produced');
  const perSecond = (name: string) => (articles.length * 1000) / median(times[name]!);
  const ours = perSecond('extractive');
  const lead = perSecond('lead-3');
  const textrank = perSecond('textrank-3');
  const words = articles.reduce((n, a) => n + (a.text.match(/\S+/g)?.length ?? 0), 0);
  return {
    articles: articles.length,
    'mean words per article': Math.round(words / articles.length),
    rounds,
    budget: `${DEFAULT_BUDGET.sentences} sentences, ${DEFAULT_BUDGET.maxChars} chars`,
    'extractive summaries/s/core': Math.round(ours),
    'LEAD-3 summaries/s/core': Math.round(lead),
    'TextRank-3 summaries/s/core': Math.round(textrank),
    'extractive / LEAD-3': round(ours / lead, 3),
    'extractive / TextRank-3': round(ours / textrank, 3),
    'extractive ms/article': round(1000 / ours, 3),
  };
}

/** Writes bench/results/<name>.json and .md, one table per section, and prints the Markdown. */
export function writeBenchResults(name: string, sections: Record<string, BenchSection>): void {
  const out = resultsDir();
  const meta = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
  writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify({ ...meta, ...sections }, null, 2)}\n`);
  const lines = [`# bench ${name}`, '', `Node ${meta.node}, ${meta.platform}, ${meta.date}; one process, one thread.`];
  for (const [section, figures] of Object.entries(sections)) {
    lines.push('', `## ${section}`, '', '| figure | value |', '|---|---|');
    for (const [k, v] of Object.entries(figures)) lines.push(`| ${k} | ${v} |`);
  }
  const md = `${lines.join('\n')}\n`;
  writeFileSync(path.join(out, `${name}.md`), md);
  process.stdout.write(md);
}
