import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import type { FetcherOptions } from '../../src/feeds/fetch.js';
import * as fx from './feed-fixtures.js';

/** Fetcher settings for tests against this server: short timeouts, a 1 MiB body cap. */
export const TEST_FETCHER_OPTIONS: FetcherOptions = {
  userAgent: 'watchdesk-test/0 (+https://example.org)',
  timeoutMs: 2_000,
  connectTimeoutMs: 1_000,
  maxBodyBytes: 1024 * 1024,
  maxRedirects: 5,
  perHostConcurrency: 2,
  globalConcurrency: 8,
};

/**
 * A real HTTP server on 127.0.0.1 that serves every case a feed fetcher meets. Built-in routes
 * live at stable paths (see BUILT_IN_PATHS); tests add their own with route().
 */
export interface FeedServer {
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  readonly origin: string;
  readonly port: number;
  /** Adds or replaces a route: a handler, or a spec of what to answer. */
  route(path: string, handler: RouteHandler | RouteSpec): void;
  /** Every request received, oldest first. */
  readonly requests: RequestLog[];
  /** Requests received for one path. */
  requestsTo(path: string): RequestLog[];
  close(): Promise<void>;
}

export interface RequestLog {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RouteSpec {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Compress the body and set Content-Encoding. */
  encoding?: 'gzip' | 'deflate' | 'deflate-raw' | 'br';
  /** Answer 304 when the request's If-None-Match equals this ETag (also sent as ETag). */
  etag?: string;
  /** Answer 304 when If-Modified-Since equals this (also sent as Last-Modified). */
  lastModified?: string;
}

export const BUILT_IN_PATHS = {
  rss: '/feeds/rss.xml',
  atom: '/feeds/atom.xml',
  jsonFeed: '/feeds/feed.json',
  moved301: '/old/moved-301.xml',
  moved308: '/old/moved-308.xml',
  temporary302: '/old/temporary-302.xml',
  /** 301 → 302 → rss: the permanent part of the chain is the 302's address. */
  chain301then302: '/old/chain-301.xml',
  loop: '/loop/a',
  /** /redirects/N redirects N more times, then serves rss. */
  redirects: (n: number) => `/redirects/${n}`,
  tooMany429: '/status/429',
  unavailable503: '/status/503',
  error500: '/status/500',
  notFound404: '/status/404',
  gone410: '/status/410',
  hang: '/hang',
  slowBody: '/slow-body',
  gzip: '/enc/gzip.xml',
  deflate: '/enc/deflate.xml',
  deflateRaw: '/enc/deflate-raw.xml',
  br: '/enc/br.xml',
  corruptGzip: '/enc/corrupt-gzip.xml',
  huge: '/big/huge.xml',
  hugeChunked: '/big/huge-chunked.xml',
  gzipBomb: '/big/gzip-bomb.xml',
  windows1252: '/charset/windows-1252.xml',
  iso88591: '/charset/iso-8859-1.xml',
  utf16le: '/charset/utf-16le.xml',
  utf16be: '/charset/utf-16be.xml',
  mislabelledUtf8: '/charset/mislabelled.xml',
  htmlPage: '/page.html',
  htmlArticle1252: '/article-1252.html',
  malformed: '/feeds/malformed.xml',
  maxAge: '/feeds/max-age.xml',
  ttl: '/feeds/ttl.xml',
  reset: '/reset',
} as const;

/** Size of the oversized bodies: over the 5 MiB default cap. */
export const HUGE_BYTES = 6 * 1024 * 1024;
export const RSS_ETAG = '"rss-v1"';
export const RSS_LAST_MODIFIED = 'Tue, 03 Mar 2026 10:00:00 GMT';
export const RETRY_AFTER_SECONDS = 120;
/** The 503's Retry-After is an HTTP date this far after the request. */
export const RETRY_AFTER_503_MS = 3_600_000;

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, RouteHandler>();
  const requests: RequestLog[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ method: req.method ?? 'GET', path, headers: { ...req.headers } });
    const handler = routes.get(path) ?? dynamicRoute(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such test route');
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const url = (p: string) => `${origin}${p}`;
  const timers = new Set<NodeJS.Timeout>();

  const add = (p: string, h: RouteHandler | RouteSpec) => routes.set(p, typeof h === 'function' ? h : fromSpec(h));
  installBuiltIns(add, url, timers);

  return {
    url,
    origin,
    port,
    route: add,
    requests,
    requestsTo: (p) => requests.filter((r) => r.path === p),
    async close() {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Serves a spec: conditional GET, compression and headers handled as a real server would. */
export function fromSpec(spec: RouteSpec): RouteHandler {
  return (req, res) => {
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.etag) headers.etag = spec.etag;
    if (spec.lastModified) headers['last-modified'] = spec.lastModified;
    const status = spec.status ?? 200;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const fresh = spec.etag ? inm === spec.etag : spec.lastModified ? ims === spec.lastModified : false;
    if (status === 200 && fresh) {
      delete headers['content-type'];
      res.writeHead(304, headers).end();
      return;
    }
    let body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : (spec.body ?? Buffer.alloc(0));
    if (spec.encoding) {
      body = compress(body, spec.encoding);
      headers['content-encoding'] = spec.encoding === 'deflate-raw' ? 'deflate' : spec.encoding;
    }
    headers['content-length'] = String(body.length);
    res.writeHead(status, headers).end(body);
  };
}

export function compress(body: Buffer, encoding: 'gzip' | 'deflate' | 'deflate-raw' | 'br'): Buffer {
  if (encoding === 'gzip') return zlib.gzipSync(body);
  if (encoding === 'deflate') return zlib.deflateSync(body);
  if (encoding === 'deflate-raw') return zlib.deflateRawSync(body);
  return zlib.brotliCompressSync(body);
}

type Add = (path: string, h: RouteHandler | RouteSpec) => void;

function installBuiltIns(add: Add, url: (p: string) => string, timers: Set<NodeJS.Timeout>): void {
  const P = BUILT_IN_PATHS;
  const xml = { 'content-type': 'application/rss+xml; charset=utf-8' };
  const rss = fx.sampleRss();

  add(P.rss, { body: rss, headers: xml, etag: RSS_ETAG, lastModified: RSS_LAST_MODIFIED });
  add(P.atom, { body: fx.sampleAtom(), headers: { 'content-type': 'application/atom+xml' } });
  add(P.jsonFeed, { body: fx.sampleJsonFeed(), headers: { 'content-type': 'application/feed+json' } });

  const redirect = (status: number, to: string) => ({ status, headers: { location: to } });
  add(P.moved301, redirect(301, url(P.rss)));
  // A relative Location, as many servers send.
  add(P.moved308, redirect(308, P.rss));
  add(P.temporary302, redirect(302, url(P.rss)));
  add(P.chain301then302, redirect(301, '/old/chain-step-2.xml'));
  add('/old/chain-step-2.xml', redirect(302, P.rss));
  add(P.loop, redirect(302, '/loop/b'));
  add('/loop/b', redirect(302, P.loop));

  add(P.tooMany429, { status: 429, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) }, body: 'slow down' });
  add(P.unavailable503, (_req, res) => {
    const when = new Date(Date.now() + RETRY_AFTER_503_MS).toUTCString();
    res.writeHead(503, { 'retry-after': when, 'content-type': 'text/plain' }).end('maintenance');
  });
  add(P.error500, { status: 500, body: 'internal error' });
  add(P.notFound404, { status: 404, body: 'not here' });
  add(P.gone410, { status: 410, body: 'gone' });

  add(P.hang, () => {
    // Never answers; close() destroys the socket.
  });
  add(P.slowBody, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
    const t = setInterval(() => res.write('<!-- still here -->'), 50);
    timers.add(t);
    res.on('close', () => clearInterval(t));
  });

  add(P.gzip, { body: rss, headers: xml, encoding: 'gzip' });
  add(P.deflate, { body: rss, headers: xml, encoding: 'deflate' });
  add(P.deflateRaw, { body: rss, headers: xml, encoding: 'deflate-raw' });
  add(P.br, { body: rss, headers: xml, encoding: 'br' });
  add(P.corruptGzip, (_req, res) => {
    const bad = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(64, 0xff)]);
    res.writeHead(200, { ...xml, 'content-encoding': 'gzip', 'content-length': String(bad.length) }).end(bad);
  });

  const huge = Buffer.alloc(HUGE_BYTES, 0x20);
  add(P.huge, { body: huge, headers: xml });
  add(P.hugeChunked, (_req, res) => {
    // No Content-Length: only counting while streaming can stop this one.
    res.writeHead(200, xml);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < HUGE_BYTES) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => {});
    pump();
  });
  // ~20 MiB of spaces gzip to ~20 KiB: harmless on the wire, a bomb once inflated.
  add(P.gzipBomb, { body: Buffer.alloc(20 * 1024 * 1024, 0x20), headers: xml, encoding: 'gzip' });

  add(P.windows1252, {
    body: iconv.encode(fx.sampleRss({ encodingDecl: 'windows-1252' }), 'windows-1252'),
    headers: { 'content-type': 'application/rss+xml; charset=windows-1252' },
  });
  // Latin-1 declared only in the prolog; the header names no charset.
  add(P.iso88591, {
    body: iconv.encode(fx.latin1Rss(), 'latin1'),
    headers: { 'content-type': 'text/xml' },
  });
  add(P.utf16le, {
    body: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode(fx.sampleRss({ encodingDecl: 'UTF-16' }), 'utf-16le'),
    ]),
    headers: { 'content-type': 'application/xml' },
  });
  add(P.utf16be, {
    body: Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      iconv.encode(fx.sampleRss({ encodingDecl: 'UTF-16' }), 'utf-16be'),
    ]),
    headers: { 'content-type': 'application/xml' },
  });
  // Says UTF-8 in the header, but the bytes are Windows-1252: a common publisher mistake.
  add(P.mislabelledUtf8, {
    body: iconv.encode(fx.sampleRss({ encodingDecl: 'windows-1252' }), 'windows-1252'),
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
  });

  add(P.htmlPage, { body: fx.htmlPage(), headers: { 'content-type': 'text/html; charset=utf-8' } });
  add(P.htmlArticle1252, {
    body: iconv.encode(fx.htmlArticle1252(), 'windows-1252'),
    headers: { 'content-type': 'text/html' },
  });
  add(P.malformed, { body: fx.malformedXml(), headers: xml });
  add(P.maxAge, { body: rss, headers: { ...xml, 'cache-control': 'public, max-age=7200' } });
  add(P.ttl, { body: fx.sampleRss({ ttlMinutes: 90 }), headers: xml });
  add(P.reset, (req) => {
    req.socket.destroy();
  });
}

/** /redirects/N → /redirects/N-1 → … → /redirects/0 → the RSS feed. */
function dynamicRoute(path: string): RouteHandler | undefined {
  const m = /^\/redirects\/(\d+)$/.exec(path);
  if (!m) return undefined;
  const n = Number(m[1]);
  const to = n === 0 ? BUILT_IN_PATHS.rss : `/redirects/${n - 1}`;
  return (_req, res) => {
    res.writeHead(302, { location: to }).end();
  };
}
