/**
 * npm run bench -- commands [--quick] [--items 1000000] [--runs 200] [--seed 14] [--profile]
 *
 * `/digest latest`, `latest <topic>`, `search` (a common and a rare term) and `story`, through the
 * real command registry (validation, the command, the store) and rendered to Discord messages, on
 * a generated store of a million items (bench/lib/store-gen.ts; cached under bench/.cache/).
 * Baseline, in the same run: a SELECT by primary key of the same rows (each story shown and each of
 * its items). p50 and p99 over `runs` runs of each, after a warm-up. --quick uses 50,000 items.
 * The runs happen inside one transaction that is rolled back, so the cached store never changes.
 */
import path from 'node:path';
import { runCommand } from '../src/commands/registry.js';
import type { Reply } from '../src/commands/reply.js';
import type { CommandDeps, Invocation, RawInput } from '../src/commands/types.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/log.js';
import { renderReplyDiscord } from '../src/render/index.js';
import { openDb } from '../src/store/db.js';
import { argValue, writeResults } from './data.js';
import { loadAverage, machineInfo, machineLine, mdTable, percentile, round, say, withinTime } from './lib/measure.js';
import { profileMarkdown, startProfile, summarizeProfile } from './lib/profile.js';
import { COMMON_TERMS, END, generatedStore, RARE_TERM } from './lib/store-gen.js';
import { rng } from './lib/synth.js';

const TARGET_P99_MS = 20;

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
  const machine = machineInfo();
  const store = generatedStore({ items, days: Math.max(2, Math.round(items / 5_000)), seed });
  say(
    `commands: ${store.items.toLocaleString('en')} items, ${store.stories.toLocaleString('en')} stories in ${path.relative(process.cwd(), store.file)}`,
  );
  const db = openDb(store.file);
  const config = loadConfig({ env: { secrets: {} } });
  const deps: CommandDeps = { db, config, now: () => END, log: createLogger({ level: 'silent' }) };
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
  db.exec('BEGIN');
  try {
    await withinTime(
      'commands',
      quick ? 60_000 : 400_000,
      (async () => {
        for (const c of cases) results.push(await measureCase(deps, c, runs, caseBudgetMs));
      })(),
    );
  } finally {
    db.exec('ROLLBACK');
    db.close();
  }
  const profileFile = await profiler.stop();
  machine.loadEnd = loadAverage();
  report({
    machine,
    quick,
    store,
    runs,
    results,
    profile: profileFile ? profileMarkdown(summarizeProfile(profileFile)) : null,
  });
}

/** `runs` runs after 10 warm-up runs, or fewer when the case's time budget runs out (then said so). */
async function measureCase(
  deps: CommandDeps,
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
    if (reply.error) throw new Error(`${c.name}: ${JSON.stringify(reply.error)}`);
    if (rendered.length === 0) throw new Error(`${c.name}: nothing rendered`);
    const stories = storiesIn(reply);
    const b = baseline(deps, stories);
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

/** The same rows by primary key: each story shown, then each of its items. */
function baseline(deps: CommandDeps, storyIds: number[]): { ms: number; rows: number } {
  const itemIds = storyIds.flatMap(
    (id) => deps.db.prepare('SELECT id FROM items WHERE story_id = ?').pluck().all(id) as number[],
  );
  const storyById = deps.db.prepare('SELECT * FROM stories WHERE id = ?');
  const itemById = deps.db.prepare('SELECT * FROM items WHERE id = ?');
  const t0 = performance.now();
  for (const id of storyIds) storyById.get(id);
  for (const id of itemIds) itemById.get(id);
  return { ms: performance.now() - t0, rows: storyIds.length + itemIds.length };
}

function report(r: {
  machine: ReturnType<typeof machineInfo>;
  quick: boolean;
  store: ReturnType<typeof generatedStore>;
  runs: number;
  results: Record<string, unknown>[];
  profile: string | null;
}): void {
  const json = {
    machine: r.machine,
    quick: r.quick,
    store: { ...r.store, file: path.basename(r.store.file) },
    runs: r.runs,
    targetP99Ms: TARGET_P99_MS,
    results: r.results,
    profile: r.profile,
  };
  const md = [
    `# /digest commands on a ${r.store.items.toLocaleString('en')}-item store${r.quick ? ' (quick)' : ''}`,
    '',
    machineLine(r.machine),
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
      r.results.map((x) => [
        String(x.command),
        Number(x.runs),
        Number(x.storiesShown),
        Number(x.p50Ms),
        Number(x.p99Ms),
        Number(x.baselineP99Ms),
        `${x.ratioP99}×`,
        x.met ? 'met' : '**not met**',
      ]),
    ),
    ...(r.profile ? ['', '## Profile', '', r.profile] : []),
  ].join('\n');
  writeResults(r.quick ? 'commands-quick' : 'commands', json, md);
  say(`\n${md}`);
}
