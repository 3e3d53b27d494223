// biome-ignore-all lint/style/noExcessiveLinesPerFile: one request's whole path (redirects, caps, charset, conditional GET, the SSRF guard's hooks) reads best top to bottom in one file
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Agent, type Dispatcher, request } from 'undici';
import type { FileConfig } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import { discardBody, parseRetryAfter, readCapped } from '../http-response.js';
import {
  blockedRange,
  checkedAddress,
  type GuardPolicy,
  guardedConnector,
  type Resolver,
  systemResolver,
} from './address-guard.js';
import { decodeBody } from './charset.js';
import { classifyFetchFailure, FetchError, httpStatusError, KIND_ADVICE } from './fetch-errors.js';
import { createHostLimiter, type HostLimiter } from './host-limiter.js';
import { decodeComponent } from './normalize.js';
import { redactUrl } from './redact-url.js';

export interface FetcherOptions {
  userAgent: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  perHostConcurrency: number;
  globalConcurrency: number;
  /** Lets untrusted requests reach private and loopback addresses too (fetch.allowPrivateNetworks). */
  allowPrivateNetworks?: boolean;
  /** How the SSRF guard resolves host names; tests inject one. */
  resolve?: Resolver;
  /** Which addresses the SSRF guard refuses (private-address.ts); tests exempt their loopback feed server. */
  blockedRange?: GuardPolicy['blocked'];
}

export interface FetchRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  maxBodyBytes?: number;
  /** Ends the request early (shutdown); the fetch then rejects with the signal's reason, not a FetchError. */
  signal?: AbortSignal;
  /**
   * The URL came from someone other than the operator (a chat command, or a feed added from chat and the
   * article links in it): private, loopback and metadata addresses are refused, every hop and every connection.
   */
  untrusted?: boolean;
}

export interface FetchResult {
  status: 200 | 304;
  /** Final URL after redirects. */
  url: string;
  /** The new address when the chain began with permanent (301/308) redirects, else null. */
  permanentRedirect: string | null;
  /** Decoded text; '' on 304. */
  body: string;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Cache-Control max-age (less Age), in ms. */
  maxAgeMs: number | null;
}

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

/** "watchdesk/0.1.0 (+https://github.com/watchdesk/watchdesk)": names the bot and where to read about it. */
export function userAgentFor(botName: string, botUrl: string, version: string): string {
  return `${botName}/${version} (+${botUrl})`;
}

/** The fetcher's options from the config's `bot` and `fetch` sections. */
export function fetcherOptionsFor(config: Pick<FileConfig, 'bot' | 'fetch'>, version: string): FetcherOptions {
  const f = config.fetch;
  return {
    userAgent: userAgentFor(config.bot.name, config.bot.url, version),
    timeoutMs: f.timeout,
    connectTimeoutMs: f.connectTimeout,
    maxBodyBytes: f.maxBodyBytes,
    maxRedirects: f.maxRedirects,
    perHostConcurrency: f.perHostConcurrency,
    globalConcurrency: f.globalConcurrency,
    allowPrivateNetworks: f.allowPrivateNetworks,
  };
}

/**
 * One fetcher per process: a keep-alive connection pool plus the per-host and global limits,
 * shared by feed polls and article-page fetches alike so politeness covers both.
 */
export function createFetcher(opts: FetcherOptions): Fetcher {
  const pool = {
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    // The limiter bounds concurrency per host name; the pool must not add a tighter cap per origin.
    connections: null,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  };
  const agent = new Agent({ ...pool, connect: { timeout: opts.connectTimeoutMs } });
  // Untrusted URLs get a pool of their own, so a connection is never shared between the two kinds.
  const policy: GuardPolicy = { resolve: opts.resolve ?? systemResolver, blocked: opts.blockedRange ?? blockedRange };
  const guarded = opts.allowPrivateNetworks
    ? undefined
    : new Agent({ ...pool, connect: guardedConnector(opts.connectTimeoutMs, policy) });
  const limiter = createHostLimiter({ perHost: opts.perHostConcurrency, global: opts.globalConcurrency });
  const trustedCtx: HopContext = { agent, limiter, opts };
  const guardedCtx: HopContext | undefined = guarded ? { agent: guarded, limiter, opts, policy } : undefined;
  return {
    fetch: (req) => fetchFollowingRedirects(req.untrusted && guardedCtx ? guardedCtx : trustedCtx, req),
    close: async () => {
      await Promise.all([agent.close(), guarded?.close()]);
    },
  };
}

interface HopContext {
  agent: Dispatcher;
  limiter: HostLimiter;
  opts: FetcherOptions;
  /** Set for untrusted requests: each hop's host is checked before the request as well as at connect. */
  policy?: GuardPolicy;
}

type HopOutcome = { redirect: string; status: number } | { result: FetchResult };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function fetchFollowingRedirects(ctx: HopContext, req: FetchRequest): Promise<FetchResult> {
  let url = parseHttpUrl(req.url, 'the feed URL');
  let permanentRedirect: string | null = null;
  let stillPermanent = true;
  const seen = new Set<string>([url.href]);
  for (let hop = 0; ; hop++) {
    // Each hop takes its own slot, so a redirect to another host is throttled by that host's
    // limit, and a slot is never held while waiting for another (no cross-host deadlock).
    const current = url;
    // Before the request too, so a refused address is refused before a slot or a socket is taken; the
    // connect hook checks again on the address actually connected to.
    if (ctx.policy) {
      await checkedAddress(current.hostname, ctx.policy).catch((err: unknown) => {
        throw classifyFetchFailure(err, { url: redactUrl(current.href) });
      });
    }
    const outcome = await ctx.limiter.run(current.hostname, () => fetchOnce(ctx, req, current));
    if ('result' in outcome) return { ...outcome.result, permanentRedirect };
    if (hop >= ctx.opts.maxRedirects) {
      throw new FetchError(
        'too_many_redirects',
        `more than ${ctx.opts.maxRedirects} redirects starting at ${redactUrl(req.url)}: the URL redirects too many times; use the final address`,
      );
    }
    const next = parseHttpUrl(outcome.redirect, `the redirect from ${redactUrl(url.href)}`, url);
    if (seen.has(next.href)) {
      throw new FetchError(
        'too_many_redirects',
        `redirect loop: ${redactUrl(url.href)} sends back to ${redactUrl(next.href)}; the site is misconfigured, check the URL in a browser`,
      );
    }
    seen.add(next.href);
    if (stillPermanent && (outcome.status === 301 || outcome.status === 308)) permanentRedirect = next.href;
    else stillPermanent = false;
    url = next;
  }
}

async function fetchOnce(ctx: HopContext, req: FetchRequest, url: URL): Promise<HopOutcome> {
  const { opts, agent } = ctx;
  const cap = req.maxBodyBytes ?? opts.maxBodyBytes;
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent,
    accept: req.accept ?? FEED_ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (req.etag) headers['if-none-match'] = req.etag;
  if (req.lastModified) headers['if-modified-since'] = req.lastModified;
  // A private feed written as https://user:pass@host/feed: undici ignores userinfo, so send it as
  // Basic auth ourselves. A relative redirect keeps it (same host); an absolute one drops it.
  // The URL without it is what goes on the wire and into the result, so feed-relative item
  // links never inherit the credentials.
  const target = new URL(url.href);
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeComponent(url.username)}:${decodeComponent(url.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }

  // undici's headers/body timeouts are idle timeouts; this one bounds the whole exchange, so a
  // server that trickles a byte a second cannot hold a slot forever.
  if (req.signal?.aborted) throw req.signal.reason;
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, opts.timeoutMs);
  const stop = () => abort.abort();
  req.signal?.addEventListener('abort', stop, { once: true });
  try {
    const res = await request(target, { dispatcher: agent, method: 'GET', headers, signal: abort.signal });
    const h = res.headers;
    const status = res.statusCode;
    if (REDIRECTS.has(status) && header(h, 'location')) {
      await drain(res.body);
      return { redirect: header(h, 'location')!, status };
    }
    const common = {
      url: target.href,
      permanentRedirect: null,
      contentType: header(h, 'content-type'),
      etag: header(h, 'etag'),
      lastModified: header(h, 'last-modified'),
      maxAgeMs: parseMaxAge(header(h, 'cache-control'), header(h, 'age')),
    };
    if (status === 304) {
      await drain(res.body);
      return { result: { ...common, status: 304, body: '' } };
    }
    if (status < 200 || status > 299) {
      await drain(res.body);
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfter(header(h, 'retry-after'), Date.now()) : undefined;
      throw httpStatusError(status, retryAfterMs);
    }
    const declared = Number(header(h, 'content-length'));
    if (Number.isFinite(declared) && declared > cap) {
      discardBody(res.body);
      throw tooLarge(cap, `Content-Length is ${declared} bytes`);
    }
    const raw = await readCapped(res.body, cap);
    if (raw === null) throw tooLarge(cap, `more than ${cap} bytes arrived`);
    const bytes = await decompress(raw, header(h, 'content-encoding'), cap);
    return { result: { ...common, status: 200, body: decodeBody(bytes, common.contentType).text } };
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason;
    throw classifyFetchFailure(err, { url: redactUrl(url.href), timedOut, timeoutMs: opts.timeoutMs });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', stop);
  }
}

/** Cache-Control max-age minus Age, in ms; null when absent, zero, or caching is forbidden. */
export function parseMaxAge(cacheControl: string | null, age: string | null): number | null {
  if (!cacheControl) return null;
  const directives = cacheControl.toLowerCase();
  if (/(^|[\s,])(no-store|no-cache)\b/.test(directives)) return null;
  const m = /(?:^|[\s,])max-age\s*=\s*"?(\d+)/.exec(directives);
  if (!m) return null;
  const ageSeconds = age && /^\d+$/.test(age.trim()) ? Number(age.trim()) : 0;
  const seconds = Number(m[1]) - ageSeconds;
  return seconds > 0 ? seconds * 1000 : null;
}

function parseHttpUrl(text: string, what: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new FetchError(
      'invalid_url',
      `${what} "${redactUrl(text)}" is not a URL: the URL is not a valid http(s) address`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('invalid_url', `${what} uses ${url.protocol} — only http and https can be fetched`);
  }
  url.hash = '';
  return url;
}

function header(h: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = h[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Reads and drops a small body (redirect, 304, error page) so the connection can be reused;
 * a big one is cut off instead. Cheaper than undici's dump() on this hot path.
 */
async function drain(body: Dispatcher.ResponseData['body']): Promise<void> {
  await readCapped(body, 64 * 1024).catch(() => {});
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * Undoes Content-Encoding with the output capped at the body limit, so a small compressed
 * "bomb" stops at the cap instead of filling memory. Truncated streams are accepted as far as
 * they go, like browsers do.
 */
async function decompress(raw: Buffer, encodingHeader: string | null, cap: number): Promise<Buffer> {
  const encodings = (encodingHeader ?? '')
    .toLowerCase()
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'identity');
  let data = raw;
  // Encodings are listed in the order applied, so undo them from the last.
  for (const enc of encodings.reverse()) {
    if (data.length === 0) break;
    const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: cap };
    try {
      if (enc === 'gzip' || enc === 'x-gzip') data = await gunzip(data, flush);
      // "deflate" should be zlib-wrapped, but some servers send raw deflate; the zlib header
      // (low nibble 8, checksum divisible by 31) tells which.
      else if (enc === 'deflate') data = await (isZlibHeader(data) ? inflate(data, flush) : inflateRaw(data, flush));
      else if (enc === 'br') {
        data = await brotli(data, {
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
          maxOutputLength: cap,
        });
      } else {
        throw new FetchError('io', `the server sent the body with an unsupported Content-Encoding "${enc}"`);
      }
    } catch (err) {
      if (err instanceof FetchError) throw err;
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(cap, `the ${enc} body expands past ${cap} bytes`);
      }
      throw new FetchError('io', `the ${enc}-compressed body is corrupt and cannot be read`, {
        detail: errorMessage(err),
      });
    }
    if (data.length > cap) throw tooLarge(cap, `the ${enc} body expands past ${cap} bytes`);
  }
  return data;
}

function isZlibHeader(b: Buffer): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

function tooLarge(cap: number, why: string): FetchError {
  return new FetchError('too_large', `response too large (${why}; limit ${cap} bytes): ${KIND_ADVICE.too_large}`);
}
