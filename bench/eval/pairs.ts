/**
 * npm run eval -- pairs [--data ../shared/data] [--threshold X] [--errors]
 * The same-event decision on the labelled pairs of story-pairs-dev/pairs.jsonl (450 pairs of
 * items from different outlets on 2023-12-01). Each pair is clustered alone, exactly as
 * `watchdesk stories cluster` would cluster the two items (earlier item first), and counts as
 * "same" when both land in one story. "related" counts as not-same; how the related pairs fall
 * is printed separately, and so are the cosine strata the set was sampled from.
 *
 * The set was used to tune the decision, so the figures are also given for two fixed halves
 * (split by a hash of the pair id): the rules were written while reading half A's errors, and
 * half B is the honest estimate. Writes bench/results/eval-pairs.*.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ClusterItem, createClusterer } from '../../src/stories/cluster.js';
import { DEFAULT_THRESHOLD } from '../../src/stories/similarity.js';
import { storyLead } from '../../src/stories/text.js';
import { argValue, dataDir, writeResults } from '../data.js';
import { half, type Prf, prf } from './topics.js';

type Label = 'same' | 'related' | 'different';

interface PairSide {
  outlet: string;
  title: string;
  /** Cleaned title + description, cut to 600 characters. */
  text: string;
  link: string;
  published: string;
}

interface LabelledPair {
  id: string;
  a: PairSide;
  b: PairSide;
  cosine: number;
  label: Label;
  why: string;
}

interface Decision {
  pair: LabelledPair;
  merged: boolean;
}

const STRATA: Array<[string, number, number]> = [
  ['low [0.12, 0.25)', 0.12, 0.25],
  ['mid [0.25, 0.45)', 0.25, 0.45],
  ['high [0.45, 1]', 0.45, 1.01],
];

export async function run(args: string[]): Promise<void> {
  const pairs = loadPairs(path.join(dataDir(args), 'story-pairs-dev/pairs.jsonl'));
  const threshold = Number(argValue(args, '--threshold') ?? DEFAULT_THRESHOLD);
  const started = performance.now();
  const decisions: Decision[] = [];
  for (const pair of pairs) decisions.push({ pair, merged: await clusteredTogether(pair, threshold) });
  const msPerPair = (performance.now() - started) / pairs.length;
  const groups: Array<[string, Decision[]]> = [
    ['all', decisions],
    ['half A (tuned on)', decisions.filter((d) => half(d.pair.id) === 'A')],
    ['half B (held out)', decisions.filter((d) => half(d.pair.id) === 'B')],
    ...STRATA.map(([name, lo, hi]): [string, Decision[]] => [
      name,
      decisions.filter((d) => d.pair.cosine >= lo && d.pair.cosine < hi),
    ]),
  ];
  const rows = groups.map(([name, ds]) => ({ name, pairs: ds.length, ...sameEventPrf(ds), ...fallOf(ds) }));
  const md = [
    '# Same-event decision on story-pairs-dev',
    '',
    `${pairs.length} pairs, threshold ${threshold}; each pair clustered alone (as \`stories cluster\`). ` +
      `"related" counts as not-same. ${msPerPair.toFixed(3)} ms per pair.`,
    '',
    '| pairs | n | same-event P | R | F1 | related merged | different merged |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.pairs} | ${fmt(r.precision)} | ${fmt(r.recall)} | ${fmt(r.f1)} | ` +
        `${r.relatedMerged}/${r.related} | ${r.differentMerged}/${r.different} |`,
    ),
  ].join('\n');
  process.stdout.write(`${md}\n`);
  if (args.includes('--errors')) process.stdout.write(`\n${errorList(decisions)}\n`);
  writeResults('eval-pairs', { pairs: pairs.length, threshold, msPerPair, rows }, md);
}

function loadPairs(file: string): LabelledPair[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledPair);
}

/** One side as cluster input: the title, and the lead taken from the description after it. */
function pairItem(side: PairSide, key: string): ClusterItem {
  const rest = side.text.startsWith(side.title) ? side.text.slice(side.title.length) : side.text;
  return {
    key,
    title: side.title,
    lead: storyLead(rest.replace(/^[\s.:!?-]+/, '')),
    outlet: side.outlet,
    url: side.link,
    publishedAt: Date.parse(side.published) || 0,
  };
}

async function clusteredTogether(pair: LabelledPair, threshold: number): Promise<boolean> {
  const items = [pairItem(pair.a, `${pair.id}a`), pairItem(pair.b, `${pair.id}b`)].sort(
    (x, y) => x.publishedAt - y.publishedAt,
  );
  const clusterer = createClusterer({ threshold });
  // add is async (the StoryIndex port): each item must be placed before the next.
  for (const item of items) await clusterer.add(item);
  return clusterer.stories().length === 1;
}

function sameEventPrf(ds: Decision[]): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const d of ds) {
    const gold = d.pair.label === 'same';
    if (gold && d.merged) tp++;
    else if (d.merged) fp++;
    else if (gold) fn++;
  }
  return prf(tp, fp, fn);
}

function fallOf(ds: Decision[]): {
  related: number;
  relatedMerged: number;
  different: number;
  differentMerged: number;
} {
  const related = ds.filter((d) => d.pair.label === 'related');
  const different = ds.filter((d) => d.pair.label === 'different');
  return {
    related: related.length,
    relatedMerged: related.filter((d) => d.merged).length,
    different: different.length,
    differentMerged: different.filter((d) => d.merged).length,
  };
}

function errorList(ds: Decision[]): string {
  const lines: string[] = ['## Wrong decisions (merged a non-same pair, or split a same pair)'];
  for (const d of ds) {
    if (d.merged === (d.pair.label === 'same')) continue;
    const p = d.pair;
    lines.push(
      '',
      `${p.id} [${half(p.id)}] ${p.label}, ${d.merged ? 'merged' : 'split'}, cosine ${p.cosine}: ${p.why}`,
    );
    lines.push(`  ${p.a.outlet}: ${p.a.title}`, `  ${p.b.outlet}: ${p.b.title}`);
  }
  return lines.join('\n');
}

function fmt(x: number): string {
  return x.toFixed(3);
}
