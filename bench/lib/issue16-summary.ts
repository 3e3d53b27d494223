/**
 * npx tsx bench/lib/issue16-summary.ts bench/results/issue16
 *
 * Sums up the runs bench/issue16.sh copied there (ingest-sqlite-old-1.json, commands-postgres-2.json, …)
 * into summary.md: one row per ingest run, one column per commands run, each with its load average.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mdTable } from './measure.js';

const ORDER = ['sqlite-old-1', 'sqlite-new-1', 'postgres-1', 'postgres-2', 'sqlite-new-2', 'sqlite-old-2'];

interface Machine {
  date: string;
  loadStart: number[];
  loadEnd?: number[];
}

function read<T>(dir: string, name: string): T | undefined {
  const file = path.join(dir, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

const load = (m: Machine) => `${m.loadStart[0]} → ${m.loadEnd?.[0] ?? '?'}`;

interface Ingest {
  machine: Machine;
  baselineItemsPerSec: number;
  watchdesk: { items: number; ms: number; cpuMs: number; serverCpuMs?: number | null };
  itemsPerSec: number;
  ratio: number;
  cpuRatio: number;
  cpuWithServerRatio?: number | null;
}

function ingestTable(dir: string): string {
  const rows = ORDER.flatMap((run) => {
    const r = read<Ingest>(dir, `ingest-${run}`);
    if (!r) return [];
    const server = r.watchdesk.serverCpuMs;
    return [
      [
        run,
        r.machine.date.slice(11, 19),
        load(r.machine),
        r.watchdesk.items,
        (r.watchdesk.ms / 1000).toFixed(1),
        r.itemsPerSec,
        r.baselineItemsPerSec,
        `**${r.ratio}**`,
        (r.watchdesk.cpuMs / 1000).toFixed(1),
        r.cpuRatio,
        server == null ? '–' : (server / 1000).toFixed(1),
        r.cpuWithServerRatio ?? '–',
      ],
    ];
  });
  return mdTable(
    [
      'run',
      'UTC',
      'load (1 min)',
      'items',
      'wall (s)',
      'items/s',
      'rss-parser items/s',
      'ratio',
      'CPU (s)',
      'CPU ratio',
      'server CPU (s)',
      'CPU ratio with server',
    ],
    rows,
  );
}

interface Commands {
  machine: Machine;
  results: { command: string; p50Ms?: number; p99Ms?: number; baselineP99Ms?: number; error?: string }[];
}

function commandsTable(dir: string): string {
  const runs = ORDER.map((run) => ({ run, r: read<Commands>(dir, `commands-${run}`) })).filter((x) => x.r);
  const names = [...new Set(runs.flatMap((x) => x.r!.results.map((c) => c.command)))];
  const cell = (r: Commands, name: string) => {
    const c = r.results.find((x) => x.command === name);
    if (!c) return '–';
    if (c.error !== undefined) return 'failed';
    return `${c.p50Ms} / ${c.p99Ms} (${c.baselineP99Ms})`;
  };
  return mdTable(
    ['command: p50 / p99 (by-key p99), ms', ...runs.map((x) => x.run)],
    [
      ['UTC, load (1 min)', ...runs.map((x) => `${x.r!.machine.date.slice(11, 19)}, ${load(x.r!.machine)}`)],
      ...names.map((n) => [n, ...runs.map((x) => cell(x.r!, n))]),
    ],
  );
}

const dir = path.resolve(process.argv[2] ?? 'bench/results/issue16');
const md = [
  '# Issue 16: SQLite before (1140277) and after the async store, and PostgreSQL, in one sitting',
  '',
  "Runs in the order of the columns/rows below (bench/issue16.sh); the load average is each run's own, start → end.",
  '',
  '## ingest, 200 real feeds',
  '',
  ingestTable(dir),
  '',
  '## commands, 1,000,000 items',
  '',
  commandsTable(dir),
].join('\n');
writeFileSync(path.join(dir, 'summary.md'), `${md}\n`);
process.stdout.write(`${md}\n`);
