/**
 * npm run bench -- commands [--quick] [--items 1000000] [--runs 200] [--seed 14] [--profile]
 *                            [--store sqlite|postgres | --db postgres://user@host:port/database]
 *
 * `/digest latest`, `latest <topic>`, `search` (a common and a rare term) and `story`, through the
 * real command registry (validation, the command, the store) and rendered to Discord messages, on
 * a generated store of a million items (bench/lib/store-gen.ts; cached under bench/.cache/).
 * Baseline, in the same run: a SELECT by primary key of the same rows (each story shown and each of
 * its items). p50 and p99 over `runs` runs of each, after a warm-up. --quick uses 50,000 items.
 * The runs happen inside one transaction that is rolled back, so the cached store never changes.
 * On PostgreSQL (--store postgres, or --db URL) the same generated store is first copied into a schema of
 * its own, cached like the file (bench/lib/pg-copy.ts), and the baseline is the same SELECTs through pg.
 */
import path from 'node:path';
import { runCommand } from '../src/commands/registry.js';
import type { Reply } from '../src/commands/reply.js';
import type { CommandDeps, Invocation, RawInput } from '../src/commands/types.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/log.js';
import { renderReplyDiscord } from '../src/render/index.js';
import { argValue, writeResults } from './data.js';
import { type CommandStore, openCommandStore } from './lib/command-store.js';
import { loadAverage, machineInfo, machineLine, mdTable, percentile, round, say, withinTime } from './lib/measure.js';
import { backendOf } from './lib/pg-store.js';
import { profileMarkdown, startProfile, summarizeProfile } from './lib/profile.js';
import { COMMON_TERMS, END, generatedStore, RARE_TERM } from './lib/store-gen.js';
import { rng } from './lib/synth.js';

const TARGET_P99_MS = 20;
/** Error lines the commands logged, for the report of a command that failed. */
const logged: string[] = [];

const INV: Invocation = {
  platform: 'discord',
  workspace: 'bench',
  channel: 'bench',
  thread: '',
  user: { id: 'bench', admin: false },
  adminRule: 'the Manage Channels permission',
};

interface Case {
  name: string;
  raw: (i: number) => { command: string; raw: RawInput };
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const items = Number(argValue(args, '--items') ?? (quick ? 20_000 : 1_000_000));
  const runs = Number(argValue(args, '--runs') ?? (quick ? 30 : 200));
  const caseBudgetMs = quick ? 5_000 : 60_000;
  const seed = Number(argValue(args, '--seed') ?? 14);
  const backend = backendOf(args);
  const store = generatedStore({ items, days: Math.max(2, Math.round(items / 5_000)), seed });
  say(
    `commands: ${store.items.toLocaleString('en')} items, ${store.stories.toLocaleString('en')} stories in ${path.relative(process.cwd(), store.file)}`,
  );
  const opened = await openCommandStore(backend, store);
  say(`commands on ${opened.where}`);
  // The load average goes with the runs measured, after any copy into PostgreSQL.
  const machine = machineInfo();
  const config = loadConfig({ env: { secrets: {} } });
  const db = opened.conn;
  // Only errors are kept: a command that fails on our side logs why, and its reply only gives a reference.
  const log = createLogger({ level: 'error', write: (line) => logged.push(line) });
  const deps: CommandDeps = { db, config, now: () => END, log };
  const pick = rng(seed);
  const storyIds = Array.from({ length: runs + 20 }, () => 1 + Math.floor(pick() * store.stories));
  const cases: Case[] = [
    { name: 'latest', raw: () => ({ command: 'latest', raw: {} }) },
    { name: 'latest child-safety', raw: () => ({ command: 'latest', raw: { topic: 'child-safety' } }) },
    { name: 'latest uk-osa, count 20', raw: () => ({ command: 'latest', raw: { topic: 'uk-osa', count: 20 } }) },
    {
      name: `search (common: ${COMMON_TERMS.join(', ')})`,
      raw: (i) => ({ command: 'search', raw: { query: COMMON_TERMS[i % COMMON_TERMS.length]! } }),
    },
    { name: `search (rare: ${RARE_TERM})`, raw: () => ({ command: 'search', raw: { query: RARE_TERM } }) },
    {
      name: 'search "digital services act" since 7d',
      raw: () => ({ command: 'search', raw: { query: '"digital services act"', since: '7d' } }),
    },
    { name: 'story (random ids)', raw: (i) => ({ command: 'story', raw: { id: storyIds[i % storyIds.length]! } }) },
  ];
  const results: Record<string, unknown>[] = [];
  const profiler = await startProfile('commands', args.includes('--profile'));
  try {
    await withinTime(
      'commands',
      quick ? 60_000 : 400_000,
      (async () => {
        for (const c of cases) {
          results.push(await measureCase(deps, opened, c, runs, caseBudgetMs).catch((err) => failed(c, err)));
        }
      })(),
    );
  } finally {
    await opened.close();
  }
  const profileFile = await profiler.stop();
  machine.loadEnd = loadAverage();
  report({
    machine,
    quick,
    backend: backend.kind,
    where: opened.where,
    loadMs: opened.loadMs,
    store,
    runs,
    results,
    profile: profileFile ? profileMarkdown(summarizeProfile(profileFile)) : null,
  });
}

/** `runs` runs after 10 warm-up runs, or fewer when the case's time budget runs out (then said so). */
async function measureCase(
  deps: CommandDeps,
  opened: CommandStore,
  c: Case,
  runs: number,
  budgetMs: number,
): Promise<Record<string, unknown>> {
  const started = performance.now();
  const ms: number[] = [];
  const baseMs: number[] = [];
  let shown = 0;
  let rows = 0;
  const warmUp = 10;
  for (let i = -warmUp; i < runs; i++) {
    if (performance.now() - started > budgetMs && ms.length >= 5) break;
    const req = c.raw(Math.max(0, i));
    const t0 = performance.now();
    const reply = await runCommand(deps, { ...req, inv: INV });
    const rendered = renderReplyDiscord(reply);
    const t1 = performance.now();
    if (reply.error) throw new Error(`it replied: ${reply.error.what}`);
    if (rendered.length === 0) throw new Error(`${c.name}: nothing rendered`);
    const stories = storiesIn(reply);
    const b = await opened.byKey(stories);
    if (i < 0) continue;
    ms.push(t1 - t0);
    baseMs.push(b.ms);
    shown = stories.length;
    rows = b.rows;
  }
  const r = {
    command: c.name,
    runs: ms.length,
    storiesShown: shown,
    rowsByKey: rows,
    p50Ms: round(percentile(ms, 50)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(Math.max(...ms)),
    baselineP50Ms: round(percentile(baseMs, 50), 3),
    baselineP99Ms: round(percentile(baseMs, 99), 3),
  };
  const withRatio = {
    ...r,
    ratioP99: round(r.p99Ms / Math.max(r.baselineP99Ms, 0.001), 1),
    met: r.p99Ms <= TARGET_P99_MS,
  };
  say(
    `${c.name.padEnd(44)} p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (by key: p99 ${r.baselineP99Ms} ms), ${shown} stories`,
  );
  return withRatio;
}

function storiesIn(reply: Reply): number[] {
  return reply.sections.flatMap((s) => s.entries.map((e) => e.storyId));
}

/** A command that fails is reported as failed, with its error, and the others still run; the exit code says so. */
function failed(c: Case, err: unknown): Record<string, unknown> {
  const cause = logged.map((l) => (JSON.parse(l) as { err?: { message?: string } }).err?.message).findLast(Boolean);
  logged.length = 0;
  const error = `${err instanceof Error ? err.message : String(err)}${cause ? `; logged: ${cause}` : ''}`;
  say(`${c.name.padEnd(44)} FAILED: ${error}`);
  process.exitCode = 1;
  return { command: c.name, error, met: false };
}

function report(r: {
  machine: ReturnType<typeof machineInfo>;
  quick: boolean;
  backend: 'sqlite' | 'postgres';
  where: string;
  loadMs: number | null;
  store: ReturnType<typeof generatedStore>;
  runs: number;
  results: Record<string, unknown>[];
  profile: string | null;
}): void {
  const json = {
    machine: r.machine,
    quick: r.quick,
    backend: r.backend,
    where: r.where,
    pgLoadMs: r.loadMs === null ? null : Math.round(r.loadMs),
    store: { ...r.store, file: path.basename(r.store.file) },
    runs: r.runs,
    targetP99Ms: TARGET_P99_MS,
    results: r.results,
    profile: r.profile,
  };
  const md = [
    `# /digest commands on a ${r.store.items.toLocaleString('en')}-item store, ${r.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${r.quick ? ' (quick)' : ''}`,
    '',
    machineLine(r.machine),
    '',
    `Store: ${r.where}${r.loadMs === null ? '' : `; copied from the SQLite store in ${Math.round(r.loadMs / 1000)} s before the runs`}.`,
    '',
    `${r.store.stories.toLocaleString('en')} stories; each command through the registry and rendered for Discord, ${r.runs} runs after 10 warm-up runs ` +
      '(fewer when a command used up its time budget). ' +
      'Baseline: a SELECT by primary key of the same rows (the stories shown and their items).',
    '',
    mdTable(
      [
        'command',
        'runs',
        'stories shown',
        'p50 (ms)',
        'p99 (ms)',
        'by key p99 (ms)',
        'p99 ratio',
        `p99 ≤ ${TARGET_P99_MS} ms`,
      ],
      r.results.map((x) =>
        x.error !== undefined
          ? [String(x.command), 0, 0, '–', '–', '–', '–', `**failed**: ${String(x.error)}`]
          : [
              String(x.command),
              Number(x.runs),
              Number(x.storiesShown),
              Number(x.p50Ms),
              Number(x.p99Ms),
              Number(x.baselineP99Ms),
              `${x.ratioP99}×`,
              x.met ? 'met' : '**not met**',
            ],
      ),
    ),
    ...(r.profile ? ['', '## Profile', '', r.profile] : []),
  ].join('\n');
  const name = `commands${r.backend === 'postgres' ? '-postgres' : ''}${r.quick ? '-quick' : ''}`;
  writeResults(name, json, md);
  say(`\n${md}`);
}
