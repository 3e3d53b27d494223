import { STATUS_CODES } from 'node:http';
import { redactUrlsIn } from './redact-url.js';
import type { FetchErrorKind } from './types.js';

/**
 * A fetch or parse failure, classified into a kind a person can act on. `message` is the
 * person-facing text; `detail` keeps the low-level cause for logs.
 */
export class FetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly extra: { status?: number; retryAfterMs?: number; detail?: string } = {},
  ) {
    super(message);
    this.name = 'FetchError';
  }

  get status(): number | undefined {
    return this.extra.status;
  }

  get retryAfterMs(): number | undefined {
    return this.extra.retryAfterMs;
  }

  toJSON(): { kind: FetchErrorKind; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

/** What each kind means for the person who runs the bot, and what to do about it. */
export const KIND_ADVICE: Record<FetchErrorKind, string> = {
  dns: 'the host name does not resolve; check the URL for typos or whether the site still exists',
  connect: 'the server refused or dropped the connection; it may be down, or block this machine',
  tls: 'the secure connection failed (certificate or TLS problem on the site)',
  timeout: 'the server took too long to answer; it will be retried later',
  http_status: 'the server answered with an error status',
  too_large: 'the response is larger than the configured limit (fetch.maxBodyBytes)',
  not_a_feed:
    'the URL returns something that is not RSS, Atom or JSON Feed (often an HTML page); find the feed link on that page',
  malformed_xml: 'the feed is broken XML that no parser could read; tell the publisher',
  too_many_redirects: 'the URL redirects too many times; use the final address',
  invalid_url: 'the URL is not a valid http(s) address',
  blocked: 'the address is on a private or internal network, which a feed added from chat may not reach',
  io: 'the file or input could not be read',
};

/** Person-readable explanations for HTTP error statuses, after "HTTP 404 Not Found: ". */
const STATUS_ADVICE: Record<number, string> = {
  400: 'the server rejected the request as malformed; check the feed URL',
  401: 'the feed needs a login, and watchdesk only polls public feeds',
  403: 'the server refuses access; it may block bots or this machine',
  404: 'the feed URL no longer exists; check the site for its new feed address',
  410: 'the feed was removed for good; delete it from the config',
  429: 'the server is rate-limiting this bot',
  500: 'the server failed while answering; usually temporary, it will be retried',
  502: 'a gateway in front of the site failed; usually temporary, it will be retried',
  503: 'the server is temporarily unavailable',
  504: 'a gateway in front of the site timed out; usually temporary, it will be retried',
};

/** An 'http_status' FetchError whose message names the status and what it means. */
export function httpStatusError(status: number, retryAfterMs?: number): FetchError {
  const reason = STATUS_CODES[status] ?? 'Unknown Status';
  let advice =
    STATUS_ADVICE[status] ??
    (status >= 500
      ? 'the server failed; it will be retried'
      : 'the server rejected the request; check the feed URL in a browser');
  if (retryAfterMs !== undefined) advice += `; it asked to wait ${describeWait(retryAfterMs)} before retrying`;
  else if (status === 429 || status === 503) advice += '; it will be retried later';
  const extra: { status: number; retryAfterMs?: number } = { status };
  if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
  return new FetchError('http_status', `HTTP ${status} ${reason}: ${advice}`, extra);
}

/**
 * Turns whatever undici or Node threw into a classified FetchError. The low-level cause is
 * kept in `detail` for logs; the message is for a person.
 */
export function classifyFetchFailure(
  err: unknown,
  ctx: { url: string; timedOut?: boolean; timeoutMs?: number },
): FetchError {
  if (err instanceof FetchError) return err;
  const chain = causeChain(err);
  // The SSRF guard refuses inside undici's connect hook; its verdict may come back wrapped.
  const ours = chain.find((e) => e instanceof FetchError);
  if (ours) return ours as FetchError;
  const host = hostOf(ctx.url);
  const codes = chain.map((e) => String((e as { code?: unknown }).code ?? ''));
  const names = chain.map((e) => String((e as { name?: unknown }).name ?? ''));
  // Low-level messages may quote the URL; its credentials must not reach a log line.
  const text = redactUrlsIn(chain.map((e) => String((e as { message?: unknown }).message ?? '')).join(' | '));
  const detail = `${codes.filter(Boolean).join(',') || names.join(',')}: ${text}`.slice(0, 500);
  const make = (kind: FetchErrorKind, what: string) =>
    new FetchError(kind, `${what}: ${KIND_ADVICE[kind]}`, { detail });
  const has = (...want: string[]) => codes.some((c) => want.includes(c));

  if (ctx.timedOut) {
    const secs = ctx.timeoutMs !== undefined ? ` within ${describeWait(ctx.timeoutMs)}` : '';
    return make('timeout', `${host} did not send a complete answer${secs}`);
  }
  if (codes.some(isTlsCode) || /certificate|\bssl\b|\btls\b|wrong version number/i.test(text)) {
    return make('tls', `secure connection to ${host} failed (${tlsReason(codes, text)})`);
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL')) {
    return make('dns', `cannot resolve host ${host}`);
  }
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) return make('timeout', `connecting to ${host} timed out`);
  if (
    has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED', 'ABORT_ERR') ||
    names.includes('AbortError')
  ) {
    return make('timeout', `${host} stopped answering`);
  }
  if (has('ECONNREFUSED')) return make('connect', `${host} refused the connection`);
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED')) {
    return make('connect', `${host} dropped the connection`);
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL')) return make('connect', `${host} is unreachable from here`);
  if (has('ERR_INVALID_URL', 'UND_ERR_INVALID_ARG', 'ERR_INVALID_ARG_VALUE'))
    return make('invalid_url', `bad URL ${redactUrlsIn(ctx.url)}`);
  if (codes.some((c) => c.startsWith('HPE_')) || names.includes('HTTPParserError')) {
    return make('connect', `${host} did not answer with valid HTTP`);
  }
  return make('connect', `request to ${host} failed (${text.slice(0, 120) || 'unknown error'})`);
}

/** "2 minutes", "30 seconds", "3 hours": for messages. */
export function describeWait(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} minutes`;
  return `${Math.round(m / 60)} hours`;
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('CERT_') ||
    code.includes('SELF_SIGNED') ||
    code.startsWith('UNABLE_TO_') ||
    code === 'EPROTO' ||
    code === 'HOSTNAME_MISMATCH'
  );
}

function tlsReason(codes: string[], text: string): string {
  if (codes.some((c) => c.includes('SELF_SIGNED'))) return 'self-signed certificate';
  if (codes.includes('CERT_HAS_EXPIRED')) return 'certificate expired';
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) return 'certificate is for another host name';
  if (codes.some((c) => c.startsWith('UNABLE_TO_'))) return 'certificate not trusted';
  if (/wrong version number|packet length too long/i.test(text)) return 'the server does not speak TLS on this port';
  return 'handshake failed';
}

function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 10) {
    const e = queue.shift();
    if (e === null || e === undefined || out.includes(e)) continue;
    out.push(e);
    if (typeof e === 'object') {
      queue.push((e as { cause?: unknown }).cause);
      const nested = (e as { errors?: unknown }).errors;
      if (Array.isArray(nested)) queue.push(...nested);
    }
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
