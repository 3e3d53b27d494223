/**
 * npm run eval -- topics [--data ../shared/data] [--config config/default.yaml] [--errors]
 * Classifies the hand-labelled items of topics-dev/items.jsonl (title + cleaned feed description)
 * with the config's topics, exactly as ingest does, and prints per-topic precision, recall and F1,
 * the micro average over all (item, topic) decisions, and on-beat (any topic) against off-beat.
 *
 * The dev set has only 44 on-beat items, so the figures are also given for two fixed halves of it
 * (split by a hash of the item id): rules written while reading one half's errors and checked on
 * the other show how much of the dev score is fitted to these items. --errors lists every wrong
 * decision with the explanation the classifier gave. Writes bench/results/eval-topics.*.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../src/config/load.js';
import { classify, compileTopics } from '../../src/topics/classify.js';
import { argValue, dataDir, writeResults } from '../data.js';

/** The dev labels that are spelled differently from the default topic ids. */
const LABEL_TO_TOPIC: Record<string, string> = { trafficking: 'trafficking-law', enforcement: 'enforcement-courts' };

export interface LabelledItem {
  id: string;
  source: string;
  title: string;
  text: string;
  labels: string[];
  why: string;
}

export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

interface Decision {
  item: LabelledItem;
  predicted: Map<string, string>;
}

export async function run(args: string[]): Promise<void> {
  const dir = dataDir(args);
  const configFile = argValue(args, '--config') ?? DEFAULT_CONFIG_FILE;
  const config = loadConfig({ file: configFile, env: { secrets: {} } });
  const topics = compileTopics(config.topics);
  const topicIds = topics.map((t) => t.id);
  const items = loadItems(path.join(dir, 'topics-dev/items.jsonl'));
  const unknown = items.flatMap((i) => i.labels).filter((l) => !topicIds.includes(l));
  if (unknown.length > 0) throw new Error(`labels with no topic in the config: ${[...new Set(unknown)].join(', ')}`);

  const decisions: Decision[] = items.map((item) => ({
    item,
    predicted: new Map(
      classify({ title: item.title, content: item.text }, topics).map((m) => [m.topic, m.explanation]),
    ),
  }));
  const halves = {
    A: decisions.filter((d) => half(d.item.id) === 'A'),
    B: decisions.filter((d) => half(d.item.id) === 'B'),
  };
  const rows = [
    ...topicIds.map((t) => ({
      name: t,
      all: perTopic(decisions, t),
      A: perTopic(halves.A, t),
      B: perTopic(halves.B, t),
    })),
    {
      name: 'micro (all topics)',
      all: micro(decisions, topicIds),
      A: micro(halves.A, topicIds),
      B: micro(halves.B, topicIds),
    },
    { name: 'on-beat vs off-beat', all: onBeat(decisions), A: onBeat(halves.A), B: onBeat(halves.B) },
  ];
  const md = [
    '# Topic evaluation (topics-dev)',
    '',
    `${items.length} items (${decisions.filter((d) => d.item.labels.length > 0).length} on-beat), config ${path.relative(process.cwd(), configFile)}. ` +
      `Halves by id hash: A ${halves.A.length} items, B ${halves.B.length} items.`,
    '',
    '| topic | support | P | R | F1 | F1 half A | F1 half B |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.all.tp + r.all.fn} | ${fmt(r.all.precision)} | ${fmt(r.all.recall)} | ${fmt(r.all.f1)} | ${fmt(r.A.f1)} | ${fmt(r.B.f1)} |`,
    ),
  ].join('\n');
  process.stdout.write(`${md}\n`);
  if (args.includes('--errors')) process.stdout.write(`\n${errorList(decisions, topicIds)}\n`);
  writeResults('eval-topics', { items: items.length, config: path.relative(process.cwd(), configFile), rows }, md);
}

export function loadItems(file: string): LabelledItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const raw = JSON.parse(l) as LabelledItem;
      return { ...raw, labels: raw.labels.map((x) => LABEL_TO_TOPIC[x] ?? x) };
    });
}

/** A fixed half of the set, from the item id alone, so it never changes between runs. */
export function half(id: string): 'A' | 'B' {
  return (createHash('sha256').update(id).digest()[0]! & 1) === 0 ? 'A' : 'B';
}

function perTopic(ds: Decision[], topic: string): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const d of ds) {
    const gold = d.item.labels.includes(topic);
    const pred = d.predicted.has(topic);
    if (gold && pred) tp++;
    else if (pred) fp++;
    else if (gold) fn++;
  }
  return prf(tp, fp, fn);
}

function micro(ds: Decision[], topics: string[]): Prf {
  const parts = topics.map((t) => perTopic(ds, t));
  return prf(sum(parts.map((p) => p.tp)), sum(parts.map((p) => p.fp)), sum(parts.map((p) => p.fn)));
}

function onBeat(ds: Decision[]): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const d of ds) {
    const gold = d.item.labels.length > 0;
    const pred = d.predicted.size > 0;
    if (gold && pred) tp++;
    else if (pred) fp++;
    else if (gold) fn++;
  }
  return prf(tp, fp, fn);
}

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

function errorList(ds: Decision[], topics: string[]): string {
  const lines: string[] = ['## Wrong decisions'];
  for (const d of ds) {
    const wrong = topics.filter((t) => d.item.labels.includes(t) !== d.predicted.has(t));
    if (wrong.length === 0) continue;
    lines.push('', `${d.item.id} [${half(d.item.id)}] ${d.item.source}: ${d.item.title}`);
    lines.push(`  gold: ${d.item.labels.join(', ') || '(off-beat)'} — ${d.item.why}`);
    for (const t of wrong) {
      const why = d.predicted.get(t);
      lines.push(why === undefined ? `  missed ${t}` : `  extra ${t}: ${why}`);
    }
  }
  return lines.join('\n');
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function fmt(x: number): string {
  return x.toFixed(3);
}
