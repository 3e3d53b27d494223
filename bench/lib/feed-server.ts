/**
 * The benchmarks' feed server, run as a child process (startFeedServer in feed-host.ts) so that
 * its work lands neither on the measured event loop nor in the measured RSS. It listens on
 * several loopback addresses (127.0.0.1, 127.0.0.2, …), each a separate host to the fetcher's
 * per-host limit, and answers in one of three modes:
 *   files: the real feed files of a data folder, byte for byte (ingest);
 *   poll:  synthetic feeds, 70% answering 304 to their ETag, 25% always new (about 50 KB),
 *          5% failing (503) or slow (400 ms);
 *   soak:  synthetic feeds that gain items as time passes, with ETags, so most polls are 304s.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { feedXml, rng, synthItem } from './synth.js';

export type ServerSpec =
  | { mode: 'files'; hosts: number; files: string[] }
  | { mode: 'poll'; hosts: number; feeds: number }
  | { mode: 'soak'; hosts: number; feeds: number; newPerMinute: number; seed: number };

type Handler = (n: number, req: IncomingMessage, res: ServerResponse) => void;

process.once('message', (spec: ServerSpec) => {
  void listenAll(spec.hosts, handlerFor(spec)).then((origins) => process.send?.({ origins }));
});
// The parent going away ends the server: it never outlives the benchmark.
process.on('disconnect', () => process.exit(0));

async function listenAll(hosts: number, handle: Handler): Promise<string[]> {
  const origins: string[] = [];
  for (let h = 1; h <= hosts; h++) {
    const server = createServer((req, res) => {
      const m = /^\/f\/(\d+)$/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      handle(Number(m[1]), req, res);
    });
    server.keepAliveTimeout = 60_000;
    const address = `127.0.0.${h}`;
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    origins.push(`http://${address}:${(server.address() as AddressInfo).port}`);
  }
  return origins;
}

function handlerFor(spec: ServerSpec): Handler {
  if (spec.mode === 'files') return filesHandler(spec.files);
  if (spec.mode === 'poll') return pollHandler();
  return soakHandler(spec);
}

function filesHandler(files: string[]): Handler {
  const bodies = files.map((f) => readFileSync(f));
  return (n, _req, res) => {
    const body = bodies[n];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': String(body.length) }).end(body);
  };
}

/**
 * Feed n's class by a hash of n mod 40: 0–27 conditional (70%), 28–37 always new (25%), 38 failing,
 * 39 slow. Hashed so that the classes spread evenly over the hosts (n mod the address count).
 */
export function pollClass(n: number): 'conditional' | 'fresh' | 'error' | 'slow' {
  let h = Math.imul(n ^ (n >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  const k = ((h ^ (h >>> 16)) >>> 0) % 40;
  return k < 28 ? 'conditional' : k < 38 ? 'fresh' : k === 38 ? 'error' : 'slow';
}

function pollHandler(): Handler {
  const VARIANTS = 40;
  const random = rng(7);
  const bodies = Array.from({ length: VARIANTS }, (_, v) => {
    const items = Array.from({ length: 24 }, (_, i) => synthItem(random, { id: `v${v}-${i}`, paragraphs: 3 }));
    const plain = Buffer.from(feedXml(`Poll feed ${v}`, items));
    return { plain, gzip: zlib.gzipSync(plain) };
  });
  let served = 0;
  return (n, req, res) => {
    const kind = pollClass(n);
    if (kind === 'error') {
      res.writeHead(503, { 'retry-after': '60' }).end('busy');
      return;
    }
    const etag = kind === 'fresh' ? `"n${n}-${++served}"` : `"c${n}"`;
    if (kind === 'conditional' && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const b = bodies[n % VARIANTS]!;
    const send = () => sendBody(req, res, b, etag);
    if (kind === 'slow') setTimeout(send, 400);
    else send();
  };
}

function soakHandler(spec: { feeds: number; newPerMinute: number; seed: number }): Handler {
  const started = Date.now();
  // Per feed: its items, newest last; each minute newPerMinute feeds get one more.
  const items: string[][] = Array.from({ length: spec.feeds }, () => []);
  const versions = new Array<number>(spec.feeds).fill(0);
  const random = rng(spec.seed);
  let minute = -1;
  const advance = () => {
    const now = Math.floor((Date.now() - started) / 60_000);
    for (; minute < now; ) {
      minute++;
      const count = minute === 0 ? spec.feeds * 3 : spec.newPerMinute;
      for (let k = 0; k < count; k++) {
        const feed = minute === 0 ? k % spec.feeds : Math.floor(random() * spec.feeds);
        const list = items[feed]!;
        list.push(synthItem(random, { id: `s${feed}-${list.length}`, paragraphs: 2, at: Date.now() }));
        if (list.length > 20) list.shift();
        versions[feed]!++;
      }
    }
  };
  return (n, req, res) => {
    if (n >= spec.feeds) {
      res.writeHead(404).end();
      return;
    }
    advance();
    const list = items[n]!;
    const etag = `"s${n}-${versions[n]}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const plain = Buffer.from(feedXml(`Soak feed ${n}`, list));
    sendBody(req, res, { plain, gzip: zlib.gzipSync(plain) }, etag);
  };
}

function sendBody(req: IncomingMessage, res: ServerResponse, b: { plain: Buffer; gzip: Buffer }, etag: string): void {
  const gz = /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gz ? b.gzip : b.plain;
  const headers: Record<string, string> = {
    'content-type': 'application/rss+xml; charset=utf-8',
    etag,
    'content-length': String(body.length),
  };
  if (gz) headers['content-encoding'] = 'gzip';
  res.writeHead(200, headers).end(body);
}
