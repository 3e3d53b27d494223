import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { MetricsRegistry } from './metrics.js';
import type { StatusSnapshot } from './status.js';
import { renderStatusPage, STATUS_PAGE_CSP } from './status-page.js';

export interface Readiness {
  ready: boolean;
  /** One entry per part that must be up: the store, each configured chat adapter. */
  checks: Record<string, { ok: boolean; detail: string }>;
}

export interface HttpDeps {
  port: number;
  host: string;
  /** WATCHDESK_HTTP_PASSWORD: basic auth on everything but /healthz; none when unset. */
  password?: string;
  log: Logger;
  metrics: MetricsRegistry;
  readiness: () => Promise<Readiness>;
  status: () => Promise<StatusSnapshot>;
}

export interface HttpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** How long timers may stall before /healthz says the event loop is stuck. */
const STALL_MS = 10_000;

/**
 * Starts /healthz, /readyz, /metrics and the status page. Resolves to null, after a warning in the
 * log, when the port cannot be had: the bot keeps running without HTTP (port 0 always gets a free one).
 */
export async function startHttpServer(deps: HttpDeps): Promise<HttpServer | null> {
  const log = deps.log.child({ component: 'http' });
  let lastBeat = Date.now();
  const beat = setInterval(() => {
    lastBeat = Date.now();
  }, 1_000);
  beat.unref();
  const server = createServer((req, res) => {
    void handle(deps, req, res, () => Date.now() - lastBeat).catch((err: unknown) => {
      const id = randomBytes(4).toString('hex');
      log.error('http request failed', { id, path: req.url, err });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error (id ${id})\n`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // Several instances on one host each need a port: one that finds its port taken runs on without HTTP.
      const inUse = err.code === 'EADDRINUSE';
      log.warn('http server not started: this instance keeps running without /healthz, /metrics and the status page', {
        port: deps.port,
        host: deps.host,
        reason: inUse ? `port ${deps.port} is already in use` : errorMessage(err),
        hint: inUse
          ? `another process (another watchdesk instance?) listens on ${deps.host}:${deps.port}: give each instance its own http.port (or WATCHDESK_HTTP_PORT), or set http.port to 0 to have each pick a free one; then restart this one`
          : 'check http.host and http.port',
      });
      resolve(false);
    });
    server.listen(deps.port, deps.host, () => resolve(true));
  });
  if (!listening) {
    clearInterval(beat);
    return null;
  }
  const { port } = server.address() as AddressInfo;
  const host = deps.host.includes(':') ? `[${deps.host}]` : deps.host;
  const url = `http://${host}:${port}`;
  log.info('http server listening', { url, auth: deps.password ? 'basic' : 'none' });
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(beat);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, stalledMs: () => number) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
  }
  if (path === '/healthz') {
    const stalled = stalledMs() > STALL_MS;
    return sendJson(res, stalled ? 503 : 200, { status: stalled ? 'stalled' : 'ok', uptimeSeconds: uptime() });
  }
  if (deps.password && !authorized(req, deps.password)) {
    res.setHeader('www-authenticate', 'Basic realm="watchdesk", charset="UTF-8"');
    return send(res, 401, 'text/plain; charset=utf-8', 'authentication required\n');
  }
  if (path === '/readyz') {
    const r = await deps.readiness();
    return sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  }
  if (path === '/metrics') return send(res, 200, deps.metrics.contentType, await deps.metrics.render());
  if (path === '/') {
    res.setHeader('content-security-policy', STATUS_PAGE_CSP);
    return send(res, 200, 'text/html; charset=utf-8', renderStatusPage(await deps.status()));
  }
  return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /, /healthz, /readyz or /metrics\n');
}

/** Any user name; the password compared in constant time. */
function authorized(req: IncomingMessage, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const given = decoded.slice(decoded.indexOf(':') + 1);
  if (!decoded.includes(':')) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(password));
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function uptime(): number {
  return Math.round(process.uptime());
}
