/**
 * npm run bench -- poll [--feeds 2000] [--concurrency 32] [--rounds 5] [--only <client name>]
 *
 * Polls N distinct feeds served by a loopback HTTP server (in a worker thread, so the server
 * does not share the clients' event loop) three ways, alternating order each round:
 *   - watchdesk: the real fetcher (undici `request`, keep-alive pool, limiter, gzip, charset);
 *   - undici request: bare `request` + gunzip + UTF-8 decode, to show the fetcher's own overhead;
 *   - Node fetch: the global `fetch` (the baseline), same concurrency, `res.text()`.
 * Each is measured on a full poll (200, gzip) and a conditional re-poll (304). All feeds sit
 * on one host here, so the per-host limit is raised to the global one; in production feeds are
 * spread over many hosts and the per-host limit of 2 applies.
 */
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { Agent, request } from 'undici';
import { createFetcher } from '../src/feeds/fetch.js';
import { createHostLimiter } from '../src/feeds/host-limiter.js';
import { argValue, median, writeResults } from './data.js';

type Mode = 'full' | 'conditional';
interface Client {
  name: string;
  poll(
    urls: string[],
    etags: (string | null)[],
  ): Promise<{ bytes: number; notModified: number; etags: (string | null)[] }>;
  close(): Promise<void>;
}

export async function run(args: string[]): Promise<void> {
  const feeds = Number(argValue(args, '--feeds') ?? 2000);
  const concurrency = Number(argValue(args, '--concurrency') ?? 32);
  const rounds = Number(argValue(args, '--rounds') ?? 5);
  const server = await startServerWorker(feeds);
  const urls = Array.from({ length: feeds }, (_, i) => `${server.origin}/feeds/${i}.xml`);
  const only = argValue(args, '--only');
  const results: Record<string, Record<Mode, number[]>> = {};
  try {
    // Round 0 warms up the JIT, the server and the sockets; it is not counted.
    for (let round = 0; round <= rounds; round++) {
      const clients = [watchdeskClient(concurrency), undiciClient(concurrency), nodeFetchClient(concurrency)].filter(
        (c) => !only || c.name === only,
      );
      if (round % 2 === 1) clients.reverse();
      for (const client of clients) {
        const r = results[client.name] ?? { full: [], conditional: [] };
        if (round > 0) results[client.name] = r;
        const t0 = performance.now();
        const full = await client.poll(urls, new Array(feeds).fill(null));
        const t1 = performance.now();
        const cond = await client.poll(urls, full.etags);
        const t2 = performance.now();
        if (full.notModified !== 0 || cond.notModified !== feeds) {
          throw new Error(`${client.name}: expected ${feeds} 200s then ${feeds} 304s, got ${cond.notModified} 304s`);
        }
        r.full.push(t1 - t0);
        r.conditional.push(t2 - t1);
        await client.close();
        process.stdout.write(
          `${round === 0 ? 'warm-up' : `round ${round}`} ${client.name.padEnd(16)} full ${(t1 - t0).toFixed(0)} ms, 304s ${(t2 - t1).toFixed(0)} ms\n`,
        );
      }
    }
  } finally {
    await server.close();
  }
  if (only) return;
  report({ feeds, concurrency, rounds, bodyBytes: server.bodyBytes, results });
}

function watchdeskClient(concurrency: number): Client {
  const fetcher = createFetcher({
    userAgent: 'watchdesk-bench/0 (+https://example.org)',
    timeoutMs: 30_000,
    connectTimeoutMs: 10_000,
    maxBodyBytes: 5 * 1024 * 1024,
    maxRedirects: 5,
    perHostConcurrency: concurrency,
    globalConcurrency: concurrency,
  });
  return {
    name: 'watchdesk',
    async poll(urls, etags) {
      const res = await Promise.all(urls.map((url, i) => fetcher.fetch({ url, etag: etags[i] ?? null })));
      return summarize(res.map((r) => ({ status: r.status, bytes: r.body.length, etag: r.etag })));
    },
    close: () => fetcher.close(),
  };
}

function undiciClient(concurrency: number): Client {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: null });
  const limiter = createHostLimiter({ perHost: concurrency, global: concurrency });
  const gunzip = promisify(zlib.gunzip);
  return {
    name: 'undici request',
    async poll(urls, etags) {
      const res = await Promise.all(
        urls.map((url, i) =>
          limiter.run('bench', async () => {
            const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
            if (etags[i]) headers['if-none-match'] = etags[i]!;
            const r = await request(url, { dispatcher: agent, headers });
            const raw = Buffer.from(await r.body.arrayBuffer());
            const text = r.statusCode === 200 ? (await gunzip(raw)).toString('utf8') : '';
            return { status: r.statusCode, bytes: text.length, etag: String(r.headers.etag ?? '') || null };
          }),
        ),
      );
      return summarize(res);
    },
    close: () => agent.close(),
  };
}

function nodeFetchClient(concurrency: number): Client {
  const limiter = createHostLimiter({ perHost: concurrency, global: concurrency });
  return {
    name: 'Node fetch',
    async poll(urls, etags) {
      const res = await Promise.all(
        urls.map((url, i) =>
          limiter.run('bench', async () => {
            const headers: Record<string, string> = {};
            if (etags[i]) headers['if-none-match'] = etags[i]!;
            const r = await fetch(url, { headers });
            const text = await r.text();
            return { status: r.status, bytes: text.length, etag: r.headers.get('etag') };
          }),
        ),
      );
      return summarize(res);
    },
    close: async () => {},
  };
}

function summarize(res: { status: number; bytes: number; etag: string | null }[]) {
  return {
    bytes: res.reduce((n, r) => n + r.bytes, 0),
    notModified: res.filter((r) => r.status === 304).length,
    etags: res.map((r) => r.etag),
  };
}

function report(r: {
  feeds: number;
  concurrency: number;
  rounds: number;
  bodyBytes: { plain: number; gzip: number };
  results: Record<string, Record<Mode, number[]>>;
}): void {
  const rows = Object.entries(r.results).map(([name, m]) => ({
    client: name,
    fullMedianMs: Math.round(median(m.full)),
    conditionalMedianMs: Math.round(median(m.conditional)),
    fullFeedsPerSec: Math.round(r.feeds / (median(m.full) / 1000)),
    conditionalFeedsPerSec: Math.round(r.feeds / (median(m.conditional) / 1000)),
    fullRunsMs: m.full.map(Math.round),
    conditionalRunsMs: m.conditional.map(Math.round),
  }));
  const base = rows.find((x) => x.client === 'Node fetch')!;
  const ratio = (x: number, y: number) => Math.round((x / y) * 100) / 100;
  const withRatios = rows.map((x) => ({
    ...x,
    speedupVsFetchFull: ratio(base.fullMedianMs, x.fullMedianMs),
    speedupVsFetchConditional: ratio(base.conditionalMedianMs, x.conditionalMedianMs),
  }));
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    feeds: r.feeds,
    concurrency: r.concurrency,
    rounds: r.rounds,
    bodyBytesPlain: r.bodyBytes.plain,
    bodyBytesGzip: r.bodyBytes.gzip,
    note: 'loopback server in a worker thread; all feeds on one host, so per-host limit = global limit; medians over rounds',
  };
  const md = [
    `# Polling ${r.feeds} feeds on loopback`,
    '',
    `${meta.date}, Node ${meta.node}, ${r.concurrency} requests in flight, ${r.rounds} rounds (median). Each feed is a`,
    `${r.bodyBytes.plain}-byte RSS document served gzip-compressed (${r.bodyBytes.gzip} bytes); the re-poll sends`,
    'If-None-Match and gets 304s. The server runs in a worker thread on the same (shared, 2-core) machine.',
    '',
    '| client | full poll (ms) | feeds/s | re-poll, 304 (ms) | feeds/s | speed-up vs fetch (full / 304) |',
    '|---|---:|---:|---:|---:|---:|',
    ...withRatios.map(
      (x) =>
        `| ${x.client} | ${x.fullMedianMs} | ${x.fullFeedsPerSec} | ${x.conditionalMedianMs} | ${x.conditionalFeedsPerSec} | ${x.speedupVsFetchFull}× / ${x.speedupVsFetchConditional}× |`,
    ),
    '',
    '"watchdesk" is the real fetcher (limiter, redirects, body cap, charset detection); "undici request" is the',
    "bare library call with gunzip and UTF-8 decoding, for the fetcher's own overhead.",
  ].join('\n');
  writeResults('poll', { ...meta, results: withRatios }, md);
  process.stdout.write(`\n${md}\n`);
}

/** The feed server runs in a worker so that its work does not land on the clients' event loop. */
async function startServerWorker(
  feeds: number,
): Promise<{ origin: string; bodyBytes: { plain: number; gzip: number }; close(): Promise<void> }> {
  const worker = new Worker(SERVER_SOURCE, { eval: true, workerData: { feeds } });
  const info = await new Promise<{ port: number; plain: number; gzip: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    origin: `http://127.0.0.1:${info.port}`,
    bodyBytes: { plain: info.plain, gzip: info.gzip },
    close: async () => {
      await worker.terminate();
    },
  };
}

// Plain JavaScript: a worker started with eval does not go through tsx.
const SERVER_SOURCE = `
const { createServer } = require('node:http');
const zlib = require('node:zlib');
const { parentPort, workerData } = require('node:worker_threads');
const VARIANTS = 50;
const WORDS = ('platform duty care audit notice action fine regulator court appeal statute liability ' +
  'trafficking safety minors ofcom commission hearing ruling filing brief motion café zoë euro ' +
  'transparency report risk assessment moderation algorithm recommender').split(' ');
let seed = 42;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
// Varied prose compresses about as well as real feed text (3-4x), unlike a repeated sentence.
const prose = (n) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)] + (rand() < 0.1 ? ' ' + Math.floor(rand() * 1e6) : '')).join(' ');
const bodies = [];
for (let v = 0; v < VARIANTS; v++) {
  const items = [];
  for (let i = 0; i < 20; i++) {
    items.push('<item><title>Bench headline ' + v + '-' + i + ': café regulators weigh platform duty of care</title>' +
      '<link>https://bench.example.org/' + v + '/' + i + '</link><guid>bench-' + v + '-' + i + '</guid>' +
      '<pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate><description>' +
      prose(90) +
      '</description></item>');
  }
  const xml = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench feed ' + v +
    '</title><link>https://bench.example.org/</link>' + items.join('') + '</channel></rss>';
  const plain = Buffer.from(xml, 'utf8');
  bodies.push({ plain, gzip: zlib.gzipSync(plain) });
}
const server = createServer((req, res) => {
  const m = /^\\/feeds\\/(\\d+)\\.xml$/.exec(req.url || '');
  if (!m) { res.writeHead(404).end(); return; }
  const n = Number(m[1]);
  const etag = '"f' + n + '-v1"';
  if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }).end(); return; }
  const b = bodies[n % VARIANTS];
  const gz = /gzip/.test(String(req.headers['accept-encoding'] || ''));
  const body = gz ? b.gzip : b.plain;
  const headers = { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'content-length': String(body.length) };
  if (gz) headers['content-encoding'] = 'gzip';
  res.writeHead(200, headers).end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  parentPort.postMessage({ port: server.address().port, plain: bodies[0].plain.length, gzip: bodies[0].gzip.length });
});
`;
