/**
 * npm run bench -- soak [--quick] [--minutes 10] [--feeds 1000] [--subscriptions 100]
 *
 * The real bot (`node dist/main.js start`, built first with tsc) for `minutes` on a fresh store:
 * `feeds` loopback feeds (bench/lib/feed-server.ts, soak mode: each starts with 3 items and 25
 * feeds a minute gain one; ETags, so most polls are 304s) polled every minute, and `subscriptions`
 * console subscriptions (half instant, half hourly) whose digests go to its stdout, read and
 * counted here. Its RSS is read from /proc every 2 s. Growth is measured from the end of the
 * first poll cycle (the first-poll backlog of every feed ingested) to the end. Targets: growth
 * ≤ 10%, peak ≤ 250 MB. --quick runs 100 feeds and 10 subscriptions for 1 minute (growth from 30 s).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { argValue, writeResults } from './data.js';
import { startFeedServer } from './lib/feed-host.js';
import { loadAverage, machineInfo, machineLine, mdTable, round, say } from './lib/measure.js';
import { CACHE_DIR } from './lib/profile.js';

const TARGET_GROWTH = 0.1;
const TARGET_PEAK_MIB = 250;
const TOPICS = ['trafficking-law', 'platform-liability', 'child-safety', 'eu-dsa', 'uk-osa', 'enforcement-courts'];

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const minutes = Number(argValue(args, '--minutes') ?? (quick ? 1 : 10));
  const feeds = Number(argValue(args, '--feeds') ?? (quick ? 100 : 1000));
  const subscriptions = Number(argValue(args, '--subscriptions') ?? (quick ? 10 : 100));
  const machine = machineInfo();
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  if (!args.includes('--no-build')) {
    say('soak: building dist/ (tsc -p tsconfig.build.json)…');
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
  const server = await startFeedServer({ mode: 'soak', hosts: 20, feeds, newPerMinute: 25, seed: 14 });
  const dir = path.join(CACHE_DIR, `soak-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'watchdesk.yaml');
  writeFileSync(configFile, JSON.stringify(soakConfig(dir, feeds, subscriptions, (n) => server.url(n), root)));
  say(`soak: ${feeds} feeds every minute, ${subscriptions} subscriptions, ${minutes} min`);
  const samples: { t: number; rssMiB: number }[] = [];
  let digestBytes = 0;
  let firstCycleAt: number | null = null;
  const bot = spawn(process.execPath, [path.join(root, 'dist/main.js'), '--config', configFile, 'start'], {
    cwd: dir,
    env: { ...process.env, WATCHDESK_LOG_LEVEL: 'info', DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bot.stdout.on('data', (b: Buffer) => {
    digestBytes += b.length;
  });
  let stderrTail = '';
  bot.stderr.on('data', (b: Buffer) => {
    stderrTail = (stderrTail + b.toString()).slice(-4000);
  });
  // Growth counts from the end of the first poll cycle (every feed's backlog ingested).
  const warmAfterMs = Math.min(65_000, (minutes * 60_000) / 2);
  const t0 = Date.now();
  const timer = setInterval(() => {
    const rss = rssOf(bot.pid);
    if (rss !== null) samples.push({ t: (Date.now() - t0) / 1000, rssMiB: rss });
    if (firstCycleAt === null && Date.now() - t0 > warmAfterMs) firstCycleAt = (Date.now() - t0) / 1000;
  }, 2_000);
  await new Promise((resolve) => setTimeout(resolve, minutes * 60_000));
  clearInterval(timer);
  const exited = new Promise<number | null>((resolve) => bot.once('exit', resolve));
  bot.kill('SIGTERM');
  const code = await exited;
  await server.close();
  const store = storeCounts(path.join(dir, 'watchdesk.db'));
  rmSync(dir, { recursive: true, force: true });
  machine.loadEnd = loadAverage();
  if (samples.length < 3) throw new Error(`the bot did not stay up (exit ${code}):\n${stderrTail}`);
  report({
    machine,
    quick,
    minutes,
    feeds,
    subscriptions,
    samples,
    firstCycleAt,
    digestBytes,
    exit: code,
    store,
  });
}

function soakConfig(dir: string, feeds: number, subs: number, url: (n: number) => string, root: string) {
  const base = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '-e',
        `const y=require('yaml');console.log(JSON.stringify(y.parse(require('fs').readFileSync(${JSON.stringify(path.join(root, 'config/default.yaml'))},'utf8'))))`,
      ],
      { cwd: root },
    ).toString(),
  ) as Record<string, unknown>;
  return {
    ...base,
    store: { path: path.join(dir, 'watchdesk.db') },
    http: { port: 0 },
    polling: { defaultInterval: '1m', maxFailures: 10, maxBackoff: '1h' },
    feeds: Array.from({ length: feeds }, (_, n) => ({
      name: `Soak ${n}`,
      url: url(n),
      interval: '1m',
      fullText: 'never',
    })),
    subscriptions: Array.from({ length: subs }, (_, i) => ({
      platform: 'console',
      channel: `soak-${i}`,
      topics: i % 3 === 0 ? 'all' : [TOPICS[i % 6]],
      mode: i % 2 === 0 ? 'instant' : 'digest',
      schedule: 'hourly',
    })),
  };
}

function rssOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

function storeCounts(file: string): { items: number; stories: number; digests: number } {
  const out = execFileSync(process.execPath, [
    '-e',
    `const D=require('better-sqlite3');const d=new D(${JSON.stringify(file)},{readonly:true});console.log(JSON.stringify({items:d.prepare('select count(*) n from items').get().n,stories:d.prepare('select count(*) n from stories').get().n,digests:d.prepare('select count(*) n from digests').get().n}))`,
  ]);
  return JSON.parse(out.toString()) as { items: number; stories: number; digests: number };
}

function report(r: {
  machine: ReturnType<typeof machineInfo>;
  quick: boolean;
  minutes: number;
  feeds: number;
  subscriptions: number;
  samples: { t: number; rssMiB: number }[];
  firstCycleAt: number | null;
  digestBytes: number;
  exit: number | null;
  store: { items: number; stories: number; digests: number };
}): void {
  const after = r.samples.filter((s) => s.t >= (r.firstCycleAt ?? 0));
  const warm = after[0] ?? r.samples[0]!;
  const end = r.samples.at(-1)!;
  const peak = Math.max(...r.samples.map((s) => s.rssMiB));
  const growth = round((end.rssMiB - warm.rssMiB) / warm.rssMiB, 3);
  const met = growth <= TARGET_GROWTH && peak <= TARGET_PEAK_MIB;
  const json = {
    ...r,
    warm,
    end,
    peakMiB: peak,
    growth,
    targets: { growth: TARGET_GROWTH, peakMiB: TARGET_PEAK_MIB },
    met,
  };
  const md = [
    `# Soak: ${r.feeds} feeds on 1-minute polls, ${r.subscriptions} subscriptions, ${r.minutes} min${r.quick ? ' (quick)' : ''}`,
    '',
    machineLine(r.machine),
    '',
    mdTable(
      [
        'RSS after the first poll cycle (MiB)',
        'RSS at the end (MiB)',
        'growth',
        'peak (MiB)',
        'items',
        'stories',
        'digests',
        'stdout (KB)',
        'exit',
      ],
      [
        [
          warm.rssMiB,
          end.rssMiB,
          `${round(growth * 100, 1)}%`,
          peak,
          r.store.items,
          r.store.stories,
          r.store.digests,
          Math.round(r.digestBytes / 1024),
          String(r.exit),
        ],
      ],
    ),
    '',
    `RSS every 2 s (MiB): ${r.samples
      .filter((_, i) => i % 5 === 0)
      .map((s) => `${Math.round(s.t)}s ${s.rssMiB}`)
      .join(', ')}.`,
    '',
    `Targets: growth ≤ ${TARGET_GROWTH * 100}% and peak ≤ ${TARGET_PEAK_MIB} MB: ${met ? 'met' : 'not met'}.`,
  ].join('\n');
  writeResults(r.quick ? 'soak-quick' : 'soak', json, md);
  say(`\n${md}`);
}
