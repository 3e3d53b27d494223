/**
 * npm run bench -- ingest [--quick] [--data ../shared/data] [--profile]
 *                          [--store sqlite|postgres | --db postgres://user@host:port/database]
 *
 * Ingest throughput over the 200 real feeds of feeds-real/fastfeedparser-benchmark, served on
 * loopback from 20 addresses (127.0.0.1–127.0.0.20, so 20 hosts to the per-host limit), with
 * fullText never, into a fresh store: the real poll path (fetch, parse, normalize, dedup,
 * classify, cluster, summarize, store), as `watchdesk poll --once` runs it. The baseline, in the
 * same run on the same bytes, is rss-parser's parseString alone, before and after (the mean of the
 * two damps the shared machine's drift). --quick takes every tenth feed. On PostgreSQL the fresh store is a
 * schema of its own, dropped afterwards, and the server's CPU time for the run is measured too.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Parser from 'rss-parser';
import { createApp } from '../src/app/app.js';
import { retryUnfinished } from '../src/pipeline/ingest.js';
import { pollAndIngest } from '../src/pipeline/poll-cycle.js';
import { listFeeds } from '../src/store/feeds.js';
import { dataDir, writeResults } from './data.js';
import { benchConfig } from './lib/bench-config.js';
import { startFeedServer } from './lib/feed-host.js';
import { loadAverage, machineInfo, machineLine, mdTable, round, rssSampler, say, withinTime } from './lib/measure.js';
import { type Backend, backendOf, dropSchema, schemaUrl, serverCpu, serverLine } from './lib/pg-store.js';
import { CACHE_DIR, profileMarkdown, startProfile, summarizeProfile } from './lib/profile.js';

const TARGET_RATIO = 0.6;
const HOSTS = 20;

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const backend = backendOf(args);
  const where = backend.kind === 'sqlite' ? 'SQLite (better-sqlite3)' : await serverLine(backend.url);
  const dir = path.join(dataDir(args), 'feeds-real/fastfeedparser-benchmark');
  const files = feedFiles(dir).filter((_, i) => !quick || i % 10 === 0);
  const machine = machineInfo();
  say(`ingest: ${files.length} real feeds from ${dir}, served from ${HOSTS} loopback addresses, into ${where}`);
  const texts = files.map((f) => readFileSync(f, 'utf8'));

  await baseline(texts.slice(0, 10)); // warms up the JIT; not counted
  const before = await baseline(texts);
  say(`baseline rss-parser parseString: ${before.items} items in ${Math.round(before.ms)} ms`);
  const ours = await withinTime(
    'ingest',
    quick ? 120_000 : 600_000,
    ingest(files, backend, args.includes('--profile')),
  );
  say(`watchdesk poll --once path: ${ours.items} new items in ${Math.round(ours.ms)} ms`);
  const after = await baseline(texts);
  say(`baseline again: ${after.items} items in ${Math.round(after.ms)} ms`);
  machine.loadEnd = loadAverage();

  const baseRate = (before.items + after.items) / ((before.ms + after.ms) / 1000);
  const rate = ours.items / (ours.ms / 1000);
  const ratio = round(rate / baseRate, 3);
  const baseCpuRate = (before.items + after.items) / ((before.cpuMs + after.cpuMs) / 1000);
  const cpuRate = ours.items / (ours.cpuMs / 1000);
  const cpuRatio = round(cpuRate / baseCpuRate, 3);
  // PostgreSQL does part of the storing in its own processes: counted beside this process's CPU.
  const allCpuMs = ours.serverCpuMs === null ? null : ours.cpuMs + ours.serverCpuMs;
  const allCpuRatio = allCpuMs === null ? null : round(ours.items / (allCpuMs / 1000) / baseCpuRate, 3);
  const json = {
    machine,
    quick,
    backend: backend.kind,
    where,
    feeds: files.length,
    hosts: HOSTS,
    baseline: { name: 'rss-parser parseString', runsMs: [before.ms, after.ms].map(Math.round), items: before.items },
    baselineItemsPerSec: Math.round(baseRate),
    baselineItemsPerCpuSec: Math.round(baseCpuRate),
    watchdesk: {
      items: ours.items,
      ms: Math.round(ours.ms),
      cpuMs: Math.round(ours.cpuMs),
      serverCpuMs: ours.serverCpuMs === null ? null : Math.round(ours.serverCpuMs),
      fetchParseMs: Math.round(ours.fetchParseMs),
      ingestMs: Math.round(ours.ingestMs),
      failedFeeds: ours.failedFeeds,
      failedItems: ours.failedItems,
      peakRssMiB: ours.peakRssMiB,
    },
    itemsPerSec: Math.round(rate),
    ratio,
    itemsPerCpuSec: Math.round(cpuRate),
    cpuRatio,
    cpuWithServerRatio: allCpuRatio,
    target: TARGET_RATIO,
    met: ratio >= TARGET_RATIO,
    profile: ours.profile,
  };
  const md = [
    `# Ingest: ${files.length} real feeds on loopback into ${backend.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${quick ? ' (quick)' : ''}`,
    '',
    machineLine(machine),
    '',
    `Store: ${where}.`,
    '',
    mdTable(
      ['run', 'items', 'time (ms)', 'items/s', 'ratio', 'CPU time (ms)', 'items per CPU s', 'CPU ratio'],
      [
        [
          'rss-parser `parseString` alone (baseline, mean of 2 runs)',
          before.items,
          json.baseline.runsMs.join(' / '),
          json.baselineItemsPerSec,
          '1',
          [before.cpuMs, after.cpuMs].map(Math.round).join(' / '),
          json.baselineItemsPerCpuSec,
          '1',
        ],
        [
          'watchdesk poll: fetch, parse, classify, cluster, summarize, store',
          ours.items,
          Math.round(ours.ms),
          json.itemsPerSec,
          `**${ratio}**`,
          Math.round(ours.cpuMs),
          json.itemsPerCpuSec,
          cpuRatio,
        ],
      ],
    ),
    '',
    `Target: ≥ ${TARGET_RATIO}× the baseline in items/s: ${json.met ? 'met' : 'not met'}. CPU time is this process's ` +
      '(user + system; the feed server is another process), a check on wall time when the machine is shared. ' +
      `Of the watchdesk time, storing and enriching took ` +
      `${json.watchdesk.ingestMs} ms (summed per feed); peak RSS ${ours.peakRssMiB} MiB. Feeds failed: ${ours.failedFeeds}, items failed: ${ours.failedItems}.` +
      (allCpuMs === null
        ? ''
        : ` PostgreSQL's server processes for this run used ${Math.round(ours.serverCpuMs ?? 0)} ms of CPU besides: ` +
          `${Math.round(ours.items / (allCpuMs / 1000))} items per CPU s of both, CPU ratio ${allCpuRatio}.`),
    ...(ours.profile ? ['', '## Profile of the watchdesk run', '', ours.profile] : []),
  ].join('\n');
  writeResults(`ingest${backend.kind === 'postgres' ? '-postgres' : ''}${quick ? '-quick' : ''}`, json, md);
  say(`\n${md}`);
}

function feedFiles(dir: string): string[] {
  const index = readFileSync(path.join(dir, 'index.csv'), 'utf8').trim().split('\n').slice(1);
  return index.map((line) => path.join(dir, line.split(',')[0]!)).sort();
}

async function baseline(texts: string[]): Promise<{ items: number; ms: number; cpuMs: number }> {
  const parser = new Parser();
  let items = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const text of texts) {
    try {
      items += (await parser.parseString(text)).items.length;
    } catch {
      // a feed rss-parser cannot read counts no items, as in its own use
    }
  }
  return { items, ms: performance.now() - t0, cpuMs: cpuMsSince(cpu0) };
}

/** This process's CPU time (user + system, all its threads) since `from`: on a shared machine it
 * moves far less with the load than wall time does, so it is reported beside it. */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

interface IngestRun {
  items: number;
  ms: number;
  cpuMs: number;
  /** PostgreSQL's server processes serving this run (null on SQLite, which runs inside this process). */
  serverCpuMs: number | null;
  fetchParseMs: number;
  ingestMs: number;
  failedFeeds: number;
  failedItems: number;
  peakRssMiB: number;
  profile: string | null;
}

async function ingest(files: string[], backend: Backend, profile: boolean): Promise<IngestRun> {
  const server = await startFeedServer({ mode: 'files', hosts: HOSTS, files });
  const work = path.join(CACHE_DIR, 'ingest');
  mkdirSync(work, { recursive: true });
  const dbPath = path.join(work, `store-${process.pid}.db`);
  // A fresh store either way: on PostgreSQL a schema named after this process, dropped at the end.
  const schema = `wd_bench_ingest_${process.pid}`;
  const dbUrl = backend.kind === 'postgres' ? schemaUrl(backend.url, schema) : undefined;
  const config = benchConfig({
    dbPath,
    dbUrl,
    feeds: files.map((f, n) => ({ name: path.basename(f), url: server.url(n), fullText: 'never' })),
  });
  const app = await createApp(config, { logLevel: 'silent' });
  try {
    if (app.db.dialect !== (backend.kind === 'postgres' ? 'postgres' : 'sqlite')) {
      throw new Error(`asked for a ${backend.kind} store, but createApp opened ${app.db.location}`);
    }
    const feeds = await listFeeds(app.db);
    const rss = rssSampler();
    const profiler = await startProfile('ingest', profile);
    const pgCpu = backend.kind === 'postgres' ? await serverCpu(backend.url, schema, 1_000) : undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const reports = await pollAndIngest(app, feeds);
    const retried = await retryUnfinished(app.ingestDeps);
    const ms = performance.now() - t0;
    const cpuMs = cpuMsSince(cpu0);
    const serverCpuMs = pgCpu ? await pgCpu.stop() : null;
    const file = await profiler.stop();
    const peak = rss.stop().peak;
    const ingestMs = reports.reduce((n, r) => n + r.ingestMs, 0);
    return {
      items: reports.reduce((n, r) => n + r.newItems, 0),
      ms,
      cpuMs,
      serverCpuMs,
      fetchParseMs: reports.reduce((n, r) => n + r.elapsedMs, 0) - ingestMs,
      ingestMs,
      failedFeeds: reports.filter((r) => r.status === 'error').length,
      failedItems: reports.reduce((n, r) => n + r.failedItems, 0) + retried.failed,
      peakRssMiB: Math.round(peak / 2 ** 20),
      profile: file
        ? `${profileMarkdown(summarizeProfile(file))}\n\nFull profile: ${path.relative(process.cwd(), file)}`
        : null,
    };
  } finally {
    await app.close();
    await server.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    if (backend.kind === 'postgres') await dropSchema(backend.url, schema);
  }
}
