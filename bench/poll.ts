/**
 * npm run bench -- poll [--quick] [--feeds 10000] [--concurrency 32] [--rounds 3] [--profile]
 *
 * Polls N loopback feeds spread over 20 addresses (bench/lib/feed-server.ts, in its own process):
 * 70% answer 304 to the ETag they gave, 25% always send a new document of about 50 KB (gzip),
 * 2.5% fail with 503 and 2.5% answer after 400 ms. Three clients, alternating order each round,
 * each after an unmeasured round that learns the ETags:
 *   - undici request loop (the baseline): `concurrency` workers taking URLs from one queue,
 *     request + gunzip + UTF-8 decode, ETags kept in an array;
 *   - watchdesk poll: the real poller (pollFeedsEach: fetcher with its limits, redirects, body cap and
 *     charset detection; validators, schedule and health on the feed rows in SQLite), with parsing
 *     left out, so the ratio is the poll machinery's own cost over bare HTTP;
 *   - watchdesk poll + parse: the same with the real parser, as a poll cycle runs before ingest.
 * Peak RSS is measured for watchdesk poll + parse alone, in a child process of its own.
 */
import { fork } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Agent, request } from 'undici';
import { createFetcher } from '../src/feeds/fetch.js';
import { parseFeed } from '../src/feeds/parse.js';
import { type PollDeps, pollFeedsEach } from '../src/feeds/poller.js';
import type { ParsedFeed } from '../src/feeds/types.js';
import { openDb } from '../src/store/db.js';
import { listFeeds, syncFeedsFromConfig } from '../src/store/feeds.js';
import { sqlOf } from '../src/store/sql.js';
import { argValue, median, writeResults } from './data.js';
import { type FeedHost, startFeedServer } from './lib/feed-host.js';
import {
  loadAverage,
  machineInfo,
  machineLine,
  mdTable,
  mib,
  round,
  rssSampler,
  say,
  withinTime,
} from './lib/measure.js';
import { CACHE_DIR, profileMarkdown, startProfile, summarizeProfile } from './lib/profile.js';

const HOSTS = 20;
const TARGET_RATIO = 1.1;
const TARGET_RSS_MIB = 300;

interface Client {
  name: string;
  /** One poll of every feed; returns how many answered 200, 304 and failed. */
  poll(): Promise<{ ok: number; notModified: number; failed: number }>;
  close(): Promise<void>;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const feeds = Number(argValue(args, '--feeds') ?? (quick ? 1000 : 10_000));
  const concurrency = Number(argValue(args, '--concurrency') ?? 32);
  const rounds = Number(argValue(args, '--rounds') ?? (quick ? 1 : 3));
  const only = argValue(args, '--rss-child');
  const server = await startFeedServer({ mode: 'poll', hosts: HOSTS, feeds });
  try {
    if (only) {
      await rssChild(server, feeds, concurrency);
      return;
    }
    await compare({ server, feeds, concurrency, rounds, quick, profile: args.includes('--profile') });
  } finally {
    await server.close();
  }
}

async function compare(p: {
  server: FeedHost;
  feeds: number;
  concurrency: number;
  rounds: number;
  quick: boolean;
  profile: boolean;
}) {
  const machine = machineInfo();
  say(`poll: ${p.feeds} feeds on ${HOSTS} loopback addresses, ${p.concurrency} in flight, ${p.rounds} rounds`);
  const clients = [
    undiciLoop(p.server, p.feeds, p.concurrency),
    await watchdeskPoll(p.server, p.feeds, p.concurrency, 'watchdesk poll', false),
    await watchdeskPoll(p.server, p.feeds, p.concurrency, 'watchdesk poll + parse', true),
  ];
  const times: Record<string, number[]> = {};
  const counts: Record<string, Awaited<ReturnType<Client['poll']>>> = {};
  const bound = p.quick ? 90_000 : 400_000;
  await withinTime(
    'poll',
    bound,
    (async () => {
      for (const c of clients) await c.poll(); // learns the ETags; not counted
      for (let round = 1; round <= p.rounds; round++) {
        const order = round % 2 ? clients : [...clients].reverse();
        for (const c of order) {
          const t0 = performance.now();
          counts[c.name] = await c.poll();
          const ms = performance.now() - t0;
          times[c.name] = [...(times[c.name] ?? []), ms];
          say(`round ${round} ${c.name.padEnd(24)} ${Math.round(ms)} ms ${JSON.stringify(counts[c.name])}`);
        }
      }
    })(),
  );
  const profile = p.profile ? await profileOneRound(clients[1]!) : null;
  for (const c of clients) await c.close();
  const rss = await measureRssInChild(p.feeds, p.concurrency);
  machine.loadEnd = loadAverage();
  report({ ...p, machine, times, counts, rss, profile });
}

/** One more round of the watchdesk poll alone, under the profiler. */
async function profileOneRound(client: Client): Promise<string> {
  const profiler = await startProfile('poll', true);
  await client.poll();
  const file = (await profiler.stop())!;
  return `${profileMarkdown(summarizeProfile(file))}\n\nFull profile: ${path.relative(process.cwd(), file)}`;
}

function report(r: {
  feeds: number;
  concurrency: number;
  rounds: number;
  quick: boolean;
  machine: ReturnType<typeof machineInfo>;
  times: Record<string, number[]>;
  counts: Record<string, { ok: number; notModified: number; failed: number }>;
  rss: { peakMiB: number; baseMiB: number };
  profile: string | null;
}) {
  const base = median(r.times['undici request loop']!);
  const rows = Object.entries(r.times).map(([name, ms]) => ({
    client: name,
    medianMs: Math.round(median(ms)),
    runsMs: ms.map(Math.round),
    ratio: round(median(ms) / base, 2),
    ...r.counts[name]!,
  }));
  const ratio = rows.find((x) => x.client === 'watchdesk poll')!.ratio;
  const json = {
    machine: r.machine,
    quick: r.quick,
    feeds: r.feeds,
    hosts: HOSTS,
    concurrency: r.concurrency,
    rounds: r.rounds,
    mix: '70% 304, 25% 200 (about 50 KB, gzip), 2.5% 503, 2.5% after 400 ms',
    results: rows,
    ratio,
    targetRatio: TARGET_RATIO,
    peakRssMiB: r.rss.peakMiB,
    rssBeforeMiB: r.rss.baseMiB,
    targetRssMiB: TARGET_RSS_MIB,
    met: ratio <= TARGET_RATIO && r.rss.peakMiB <= TARGET_RSS_MIB,
    profile: r.profile,
  };
  const md = [
    `# Polling ${r.feeds} feeds on loopback${r.quick ? ' (quick)' : ''}`,
    '',
    machineLine(r.machine),
    '',
    `${HOSTS} loopback addresses, ${r.concurrency} requests in flight, ${json.mix}; median of ${r.rounds} rounds after one that learns the ETags.`,
    '',
    mdTable(
      ['client', 'median (ms)', 'runs (ms)', '200 / 304 / failed', 'ratio to undici'],
      rows.map((x) => [
        x.client,
        x.medianMs,
        x.runsMs.join(' / '),
        `${x.ok} / ${x.notModified} / ${x.failed}`,
        `${x.ratio}×`,
      ]),
    ),
    '',
    `Target: watchdesk poll ≤ ${TARGET_RATIO}× the undici loop (${ratio}×) and peak RSS ≤ ${TARGET_RSS_MIB} MB ` +
      `(watchdesk poll + parse in a process of its own: ${r.rss.peakMiB} MiB, ${r.rss.baseMiB} MiB before polling): ${json.met ? 'met' : 'not met'}.`,
    ...(r.profile ? ['', '## Profile of one watchdesk poll round', '', r.profile] : []),
  ].join('\n');
  writeResults(r.quick ? 'poll-quick' : 'poll', json, md);
  say(`\n${md}`);
}

function undiciLoop(server: FeedHost, feeds: number, concurrency: number): Client {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: null });
  const gunzip = promisify(zlib.gunzip);
  const etags: (string | null)[] = new Array(feeds).fill(null);
  return {
    name: 'undici request loop',
    async poll() {
      const counts = { ok: 0, notModified: 0, failed: 0 };
      let next = 0;
      const worker = async () => {
        while (next < feeds) {
          const n = next++;
          try {
            const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
            if (etags[n]) headers['if-none-match'] = etags[n]!;
            const r = await request(server.url(n), { dispatcher: agent, headers });
            const raw = Buffer.from(await r.body.arrayBuffer());
            if (r.statusCode === 200) {
              const text = (r.headers['content-encoding'] === 'gzip' ? await gunzip(raw) : raw).toString('utf8');
              if (text.length === 0) throw new Error('empty');
              etags[n] = String(r.headers.etag ?? '') || null;
              counts.ok++;
            } else if (r.statusCode === 304) counts.notModified++;
            else counts.failed++;
          } catch {
            counts.failed++;
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return counts;
    },
    close: () => agent.close(),
  };
}

const NO_ITEMS: ParsedFeed = { title: null, link: null, ttlMinutes: null, items: [] };

async function watchdeskPoll(
  server: FeedHost,
  feeds: number,
  concurrency: number,
  name: string,
  parse: boolean,
): Promise<Client> {
  const dir = path.join(CACHE_DIR, 'poll');
  mkdirSync(dir, { recursive: true });
  const dbPath = path.join(dir, `${name.replace(/\W+/g, '-')}-${process.pid}.db`);
  const db = openDb(dbPath);
  await syncFeedsFromConfig(
    sqlOf(db),
    Array.from({ length: feeds }, (_, n) => ({ url: server.url(n), fullText: 'never' as const })),
    { intervalMs: 60_000 },
    Date.now(),
  );
  const fetcher = createFetcher({
    userAgent: 'watchdesk-bench/0 (+https://example.org)',
    timeoutMs: 20_000,
    connectTimeoutMs: 10_000,
    maxBodyBytes: 5 * 1024 * 1024,
    maxRedirects: 5,
    perHostConcurrency: 2,
    globalConcurrency: concurrency,
  });
  const deps: PollDeps = {
    db: sqlOf(db),
    fetcher,
    parse: parse ? parseFeed : () => NO_ITEMS,
    now: () => Date.now(),
    maxFailures: 1_000_000,
    maxBackoffMs: 60_000,
  };
  return {
    name,
    async poll() {
      // Each outcome counted and let go as it comes in, as a poll cycle ingests them (pollAndIngest).
      const counts = { ok: 0, notModified: 0, failed: 0 };
      await pollFeedsEach(deps, await listFeeds(sqlOf(db)), (o) => {
        if (o.status === 'ok') counts.ok++;
        else if (o.status === 'not_modified') counts.notModified++;
        else counts.failed++;
      });
      return counts;
    },
    async close() {
      await fetcher.close();
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    },
  };
}

/** In a child process of its own, so that nothing else this benchmark holds counts. */
async function measureRssInChild(feeds: number, concurrency: number): Promise<{ peakMiB: number; baseMiB: number }> {
  const child = fork(
    new URL('./main.ts', import.meta.url),
    ['poll', '--rss-child', '1', '--feeds', String(feeds), '--concurrency', String(concurrency)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as { peakMiB: number; baseMiB: number }));
    child.once('exit', (code) => reject(new Error(`the RSS child exited (${code}) without a figure`)));
  });
}

async function rssChild(server: FeedHost, feeds: number, concurrency: number): Promise<void> {
  const client = await watchdeskPoll(server, feeds, concurrency, 'watchdesk rss', true);
  const baseMiB = mib(process.memoryUsage.rss());
  const sampler = rssSampler(50);
  await client.poll();
  await client.poll();
  const peakMiB = mib(sampler.stop().peak);
  await client.close();
  process.send?.({ peakMiB, baseMiB });
}
