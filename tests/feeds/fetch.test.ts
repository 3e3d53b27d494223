import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errors as undiciErrors } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher, type FetcherOptions, userAgentFor } from '../../src/feeds/fetch.js';
import { classifyFetchFailure, FetchError } from '../../src/feeds/fetch-errors.js';
import {
  type FeedServer,
  BUILT_IN_PATHS as P,
  RETRY_AFTER_503_MS,
  RETRY_AFTER_SECONDS,
  RSS_ETAG,
  RSS_LAST_MODIFIED,
  startFeedServer,
} from '../helpers/feed-server.js';

const UA = userAgentFor('watchdesk', 'https://example.org/watchdesk', '0.1.0');
const OPTS: FetcherOptions = {
  userAgent: UA,
  timeoutMs: 5_000,
  connectTimeoutMs: 2_000,
  maxBodyBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  perHostConcurrency: 2,
  globalConcurrency: 8,
};

let server: FeedServer;
let fetcher: Fetcher;

beforeAll(async () => {
  server = await startFeedServer();
  fetcher = createFetcher(OPTS);
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

async function fetchError(f: Fetcher, url: string): Promise<FetchError> {
  const err = await f.fetch({ url }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('fetch: basics and conditional GET', () => {
  it('names the bot and its URL in the User-Agent', async () => {
    expect(UA).toBe('watchdesk/0.1.0 (+https://example.org/watchdesk)');
    await fetcher.fetch({ url: server.url(P.atom) });
    const seen = server.requestsTo(P.atom).at(-1)!;
    expect(seen.headers['user-agent']).toBe(UA);
    expect(seen.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(String(seen.headers.accept)).toContain('application/rss+xml');
  });

  it('returns the body, validators and content type on 200', async () => {
    const res = await fetcher.fetch({ url: server.url(P.rss) });
    expect(res.status).toBe(200);
    expect(res.url).toBe(server.url(P.rss));
    expect(res.permanentRedirect).toBeNull();
    expect(res.etag).toBe(RSS_ETAG);
    expect(res.lastModified).toBe(RSS_LAST_MODIFIED);
    expect(res.contentType).toContain('application/rss+xml');
    expect(res.body).toContain('Café owner’s lawsuit tests Section 230 shield — again');
    expect(res.maxAgeMs).toBeNull();
  });

  it('sends If-None-Match / If-Modified-Since and reports 304 with an empty body', async () => {
    const res = await fetcher.fetch({ url: server.url(P.rss), etag: RSS_ETAG, lastModified: RSS_LAST_MODIFIED });
    expect(res.status).toBe(304);
    expect(res.body).toBe('');
    const seen = server.requestsTo(P.rss).at(-1)!;
    expect(seen.headers['if-none-match']).toBe(RSS_ETAG);
    expect(seen.headers['if-modified-since']).toBe(RSS_LAST_MODIFIED);
  });

  it('gets a full answer again when the stored ETag is stale', async () => {
    const res = await fetcher.fetch({ url: server.url(P.rss), etag: '"old"' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<rss');
  });

  it('passes a custom Accept for article pages', async () => {
    const res = await fetcher.fetch({ url: server.url(P.htmlPage), accept: 'text/html' });
    expect(res.body).toContain('not the feed');
    expect(server.requestsTo(P.htmlPage).at(-1)!.headers.accept).toBe('text/html');
  });

  it('reports Cache-Control max-age in ms', async () => {
    const res = await fetcher.fetch({ url: server.url(P.maxAge) });
    expect(res.maxAgeMs).toBe(7_200_000);
  });
});

describe('fetch: compression', () => {
  it.each([
    ['gzip', P.gzip],
    ['deflate (zlib)', P.deflate],
    ['deflate (raw)', P.deflateRaw],
    ['br', P.br],
  ])('decodes %s', async (_name, path) => {
    const res = await fetcher.fetch({ url: server.url(path) });
    expect(res.body).toContain('Zoë Marchetti named to lead EU Digital Services Act audits');
    expect(res.body).toContain('€6 million');
  });

  it('classifies a corrupt gzip body instead of returning garbage', async () => {
    const err = await fetchError(fetcher, server.url(P.corruptGzip));
    expect(err.kind).toBe('io');
    expect(err.message).toMatch(/gzip-compressed body is corrupt/);
  });
});

describe('fetch: body cap', () => {
  it('refuses a body whose Content-Length is over the cap', async () => {
    const err = await fetchError(fetcher, server.url(P.huge));
    expect(err.kind).toBe('too_large');
    expect(err.message).toMatch(/Content-Length/);
  });

  it('stops a chunked body while it streams past the cap', async () => {
    const err = await fetchError(fetcher, server.url(P.hugeChunked));
    expect(err.kind).toBe('too_large');
    expect(err.message).toMatch(/more than 5242880 bytes arrived/);
  });

  it('stops a gzip bomb that is small on the wire but huge decompressed', async () => {
    const err = await fetchError(fetcher, server.url(P.gzipBomb));
    expect(err.kind).toBe('too_large');
    expect(err.message).toMatch(/gzip body expands past/);
  });

  it('honours a per-request cap', async () => {
    const err = await fetcher.fetch({ url: server.url(P.rss), maxBodyBytes: 100 }).catch((e: unknown) => e);
    expect((err as FetchError).kind).toBe('too_large');
  });
});

describe('fetch: redirects', () => {
  it('follows a 301 and reports the permanent new address', async () => {
    const res = await fetcher.fetch({ url: server.url(P.moved301) });
    expect(res.status).toBe(200);
    expect(res.url).toBe(server.url(P.rss));
    expect(res.permanentRedirect).toBe(server.url(P.rss));
  });

  it('follows a 308 with a relative Location', async () => {
    const res = await fetcher.fetch({ url: server.url(P.moved308) });
    expect(res.permanentRedirect).toBe(server.url(P.rss));
    expect(res.body).toContain('<rss');
  });

  it('does not remember a temporary 302', async () => {
    const res = await fetcher.fetch({ url: server.url(P.temporary302) });
    expect(res.url).toBe(server.url(P.rss));
    expect(res.permanentRedirect).toBeNull();
  });

  it('remembers only the permanent prefix of a 301 → 302 chain', async () => {
    const res = await fetcher.fetch({ url: server.url(P.chain301then302) });
    expect(res.url).toBe(server.url(P.rss));
    expect(res.permanentRedirect).toBe(server.url('/old/chain-step-2.xml'));
  });

  it('follows exactly maxRedirects hops and refuses one more', async () => {
    const ok = await fetcher.fetch({ url: server.url(P.redirects(4)) }); // 5 hops: 4,3,2,1,0 → rss
    expect(ok.url).toBe(server.url(P.rss));
    const err = await fetchError(fetcher, server.url(P.redirects(5))); // 6 hops
    expect(err.kind).toBe('too_many_redirects');
  });

  it('detects a redirect loop', async () => {
    const err = await fetchError(fetcher, server.url(P.loop));
    expect(err.kind).toBe('too_many_redirects');
    expect(err.message).toMatch(/redirect loop/);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    server.route('/to-ftp', { status: 301, headers: { location: 'ftp://files.example.org/feed.xml' } });
    const err = await fetchError(fetcher, server.url('/to-ftp'));
    expect(err.kind).toBe('invalid_url');
  });
});

describe('fetch: HTTP errors', () => {
  it('429 carries Retry-After in seconds', async () => {
    const err = await fetchError(fetcher, server.url(P.tooMany429));
    expect(err.kind).toBe('http_status');
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(RETRY_AFTER_SECONDS * 1000);
    expect(err.message).toMatch(/^HTTP 429 Too Many Requests: .*rate-limiting.*2 minutes/);
  });

  it('503 carries Retry-After given as an HTTP date', async () => {
    const err = await fetchError(fetcher, server.url(P.unavailable503));
    expect(err.status).toBe(503);
    // HTTP dates have one-second resolution; allow for that and the request's own time.
    expect(err.retryAfterMs).toBeGreaterThan(RETRY_AFTER_503_MS - 5_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(RETRY_AFTER_503_MS);
  });

  it.each([
    [P.error500, 500, /^HTTP 500 Internal Server Error: .*temporary/],
    [P.notFound404, 404, /^HTTP 404 Not Found: the feed URL no longer exists/],
    [P.gone410, 410, /^HTTP 410 Gone: .*removed for good/],
  ])('%s → http_status with a readable message', async (path, status, message) => {
    const err = await fetchError(fetcher, server.url(path));
    expect(err.kind).toBe('http_status');
    expect(err.status).toBe(status);
    expect(err.retryAfterMs).toBeUndefined();
    expect(err.message).toMatch(message);
  });
});

describe('fetch: charsets', () => {
  it.each([
    [
      'Windows-1252 from the header',
      P.windows1252,
      'Commission’s new audit chief says fines of €6 million are “only the beginning”',
    ],
    ['UTF-16LE with BOM', P.utf16le, 'Zoë Marchetti named to lead'],
    ['UTF-16BE with BOM', P.utf16be, 'fines of €6 million'],
    ['Windows-1252 mislabelled as UTF-8', P.mislabelledUtf8, 'Café owner’s lawsuit tests Section 230 shield — again'],
    ['ISO-8859-1 from the XML prolog', P.iso88591, "Zoë's naïve façade: Münster court"],
    [
      'HTML <meta> charset',
      P.htmlArticle1252,
      'Zoë Marchetti told the hearing the €6 million fine was “proportionate”',
    ],
  ])('decodes %s', async (_name, path, expected) => {
    const res = await fetcher.fetch({ url: server.url(path) });
    expect(res.body).toContain(expected);
    expect(res.body).not.toMatch(/[\uFFFD\u0000]|Ã/);
  });
});

describe('fetch: failures are classified', () => {
  it('times out a server that never answers', async () => {
    const quick = createFetcher({ ...OPTS, timeoutMs: 300 });
    try {
      const err = await fetchError(quick, server.url(P.hang));
      expect(err.kind).toBe('timeout');
      expect(err.message).toMatch(/did not send a complete answer/);
    } finally {
      await quick.close();
    }
  });

  it('times out a body that trickles forever, though bytes keep arriving', async () => {
    const quick = createFetcher({ ...OPTS, timeoutMs: 400 });
    try {
      const err = await fetchError(quick, server.url(P.slowBody));
      expect(err.kind).toBe('timeout');
    } finally {
      await quick.close();
    }
  });

  it('DNS failure for a .invalid host', async () => {
    const err = await fetchError(fetcher, 'http://feeds.watchdesk.invalid/rss.xml');
    expect(err.kind).toBe('dns');
    expect(err.message).toMatch(/cannot resolve host feeds\.watchdesk\.invalid/);
  });

  it('connection refused on a closed port', async () => {
    const other = await startFeedServer();
    const url = other.url('/x');
    await other.close();
    const err = await fetchError(fetcher, url);
    expect(err.kind).toBe('connect');
    expect(err.message).toMatch(/refused/);
  });

  it('connection dropped mid-request', async () => {
    const err = await fetchError(fetcher, server.url(P.reset));
    expect(err.kind).toBe('connect');
  });

  it('TLS to a port that speaks plain HTTP', async () => {
    const err = await fetchError(fetcher, server.url(P.rss).replace('http:', 'https:'));
    expect(err.kind).toBe('tls');
  });

  it.each([
    ['not a URL', 'feeds example org'],
    ['non-http scheme', 'ftp://files.example.org/feed.xml'],
    ['file scheme', 'file:///etc/hosts'],
  ])('invalid_url: %s', async (_name, url) => {
    const err = await fetchError(fetcher, url);
    expect(err.kind).toBe('invalid_url');
  });
});

describe('fetch: TLS with a self-signed certificate', () => {
  it('classifies an untrusted certificate as tls', async () => {
    // A throwaway certificate made at test time; nothing is stored in the repository.
    const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      res.end('<rss/>');
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tls.address() as AddressInfo).port;
      const err = await fetchError(fetcher, `https://127.0.0.1:${port}/feed.xml`);
      expect(err.kind).toBe('tls');
      expect(err.message).toMatch(/self-signed certificate/);
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fetch: politeness and pooling', () => {
  /** A route that holds each answer briefly and records how many were in flight at once. */
  function concurrencyProbe(p: string): { max: () => number } {
    let active = 0;
    let max = 0;
    server.route(p, (_req, res) => {
      active++;
      max = Math.max(max, active);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel/></rss>');
      }, 60);
    });
    return { max: () => max };
  }

  it('keeps at most perHostConcurrency requests in flight to one host', async () => {
    const probe = concurrencyProbe('/probe/per-host');
    const all = await Promise.all(
      Array.from({ length: 8 }, () => fetcher.fetch({ url: server.url('/probe/per-host') })),
    );
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(probe.max()).toBeLessThanOrEqual(OPTS.perHostConcurrency);
    expect(probe.max()).toBeGreaterThanOrEqual(1);
  });

  it('applies the global limit too', async () => {
    const probe = concurrencyProbe('/probe/global');
    const one = createFetcher({ ...OPTS, perHostConcurrency: 4, globalConcurrency: 1 });
    try {
      await Promise.all(Array.from({ length: 5 }, () => one.fetch({ url: server.url('/probe/global') })));
    } finally {
      await one.close();
    }
    expect(probe.max()).toBe(1);
  });

  it('reuses keep-alive connections', async () => {
    const ports = new Set<number>();
    server.route('/probe/keep-alive', (req, res) => {
      ports.add(req.socket.remotePort ?? -1);
      res.end('<rss version="2.0"><channel/></rss>');
    });
    const pooled = createFetcher(OPTS);
    try {
      for (let i = 0; i < 10; i++) await pooled.fetch({ url: server.url('/probe/keep-alive') });
    } finally {
      await pooled.close();
    }
    // undici's pool may open a second socket while the first is being released; what matters
    // is that ten polls did not open ten connections.
    expect(ports.size).toBeLessThanOrEqual(2);
  });
});

describe('classifyFetchFailure', () => {
  const url = 'https://feeds.example.org/rss';
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
  it.each([
    ['connect timeout', new undiciErrors.ConnectTimeoutError(), 'timeout'],
    ['headers timeout', new undiciErrors.HeadersTimeoutError(), 'timeout'],
    ['body timeout', new undiciErrors.BodyTimeoutError(), 'timeout'],
    ['aborted request', new undiciErrors.RequestAbortedError(), 'timeout'],
    ['socket closed', new undiciErrors.SocketError('other side closed'), 'connect'],
    ['EAI_AGAIN', withCode('getaddrinfo EAI_AGAIN feeds.example.org', 'EAI_AGAIN'), 'dns'],
    ['ECONNRESET', withCode('read ECONNRESET', 'ECONNRESET'), 'connect'],
    ['EPIPE', withCode('write EPIPE', 'EPIPE'), 'connect'],
    ['expired certificate', withCode('certificate has expired', 'CERT_HAS_EXPIRED'), 'tls'],
    [
      'wrong host certificate',
      withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'),
      'tls',
    ],
    [
      'wrapped cause',
      new TypeError('fetch failed', { cause: withCode('getaddrinfo ENOTFOUND x', 'ENOTFOUND') }),
      'dns',
    ],
  ] as const)('%s → %s', (_name, err, kind) => {
    const classified = classifyFetchFailure(err, { url });
    expect(classified.kind).toBe(kind);
    expect(classified.message).toContain('feeds.example.org');
  });

  it('reports a timeout when our own deadline fired, whatever undici threw', () => {
    const err = classifyFetchFailure(new undiciErrors.SocketError('closed'), {
      url,
      timedOut: true,
      timeoutMs: 20_000,
    });
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/within 20 seconds/);
  });

  it('passes FetchErrors through unchanged', () => {
    const original = new FetchError('too_large', 'big');
    expect(classifyFetchFailure(original, { url })).toBe(original);
  });
});
