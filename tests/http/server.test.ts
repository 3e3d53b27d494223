import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterHealth } from '../../src/chat/types.js';
import { createMetrics, type MetricsRegistry } from '../../src/http/metrics.js';
import { checkReadiness } from '../../src/http/readiness.js';
import { type HttpDeps, type HttpServer, startHttpServer } from '../../src/http/server.js';
import { collectStatus } from '../../src/http/status.js';
import { oldestPendingPartAt } from '../../src/store/status.js';
import { tempDb } from '../helpers/db.js';
import { captureLog } from '../helpers/log.js';
import { fillStatusStore } from '../helpers/status-store.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const PASSWORD = 'pw-for-the-status-page-77';

describe('HTTP server: /healthz, /readyz, /metrics, the status page', () => {
  const t = tempDb();
  const captured = captureLog('info');
  let metrics: MetricsRegistry;
  let adapters: Record<string, AdapterHealth>;
  let server: HttpServer;
  let deps: HttpDeps;

  beforeAll(async () => {
    await fillStatusStore(t.sql, NOW);
    adapters = { console: { ok: true, detail: 'connected' } };
    metrics = createMetrics({
      outbox: async () => {
        const oldest = await oldestPendingPartAt(t.sql);
        return { pendingParts: 0, oldestPendingSeconds: oldest === null ? 0 : (NOW - oldest) / 1000 };
      },
    });
    deps = {
      port: 0,
      host: '127.0.0.1',
      log: captured.log,
      metrics,
      readiness: () => checkReadiness({ db: t.sql, adapters: () => adapters }),
      status: () =>
        collectStatus({
          db: t.sql,
          botName: 'watchdesk',
          topics: [
            { id: 'eu-dsa', name: 'EU Digital Services Act' },
            { id: 'child-safety', name: 'Child safety online' },
          ],
          pausedReason: (s) => (s.platform === 'discord' ? 'no DISCORD_TOKEN set: digests wait for it' : null),
          now: () => NOW,
        }),
    };
    server = (await startHttpServer(deps))!;
  });

  afterAll(async () => {
    await server?.close();
    t.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

  it('port 0 picks a free port and logs where it listens', () => {
    expect(server.port).toBeGreaterThan(0);
    const line = captured.records().find((r) => r.msg === 'http server listening');
    expect(line?.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('/healthz says the process is alive', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('/readyz is 200 when the store and every adapter are up, else 503 naming the part that is down', async () => {
    const ok = await get('/readyz');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status: 'ready',
      checks: { store: { ok: true }, 'chat:console': { ok: true } },
    });
    adapters = { ...adapters, discord: { ok: false, detail: 'DISCORD_TOKEN was rejected (401): set a valid token' } };
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
    expect(body.status).toBe('not ready');
    expect(body.checks['chat:discord']).toEqual({ ok: false, detail: expect.stringContaining('rejected') });
    expect(body.checks.store!.ok).toBe(true);
    adapters = { console: { ok: true, detail: 'connected' } };
  });

  it('/metrics exposes every series under watchdesk_ names, counting what the pipeline reports', async () => {
    metrics.pollFinished('ok', 0.12);
    metrics.pollFinished('dns', 0.01);
    metrics.itemIngested(0.004, true);
    metrics.itemIngested(0.003, false);
    metrics.partFinished('slack', 'dead');
    metrics.digestFinished('console', 'delivered');
    metrics.commandFinished('latest', 0.2);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const names = new Set(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/[{ ]/)[0]!),
    );
    expect(names.size).toBeGreaterThan(20);
    for (const name of names) expect(name).toMatch(/^watchdesk_/);
    expect(text).toContain('watchdesk_polls_total{result="ok"} 1');
    expect(text).toContain('watchdesk_polls_total{result="dns"} 1');
    expect(text).toContain('watchdesk_fetch_duration_seconds_count{result="ok"} 1');
    expect(text).toContain('watchdesk_items_ingested_total 2');
    expect(text).toContain('watchdesk_stories_created_total 1');
    expect(text).toContain('watchdesk_ingest_duration_seconds_count 2');
    expect(text).toContain('watchdesk_digest_parts_total{platform="slack",outcome="dead"} 1');
    expect(text).toContain('watchdesk_digests_total{platform="console",outcome="delivered"} 1');
    expect(text).toContain('watchdesk_command_duration_seconds_count{command="latest"} 1');
    expect(text).toMatch(/watchdesk_outbox_pending_parts 0/);
    expect(text).toMatch(/watchdesk_outbox_oldest_pending_age_seconds 0/);
    expect(text).toMatch(/watchdesk_nodejs_eventloop_lag_seconds \d/);
    expect(text).toMatch(/watchdesk_process_cpu_seconds_total \d/);
  });

  it('/ is the status page: escaped, self-contained, no script allowed', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)="(?!https:\/\/news\.example\/)/);
    expect(html).toContain('Flaky Gazette');
    expect(html).toMatch(/<span class="state disabled">disabled<\/span>/);
    expect(html).toContain('no DISCORD_TOKEN set: digests wait for it');
    expect(html).toContain('no discord sender is configured: set DISCORD_TOKEN and restart');
  });

  it('answers 404 with the paths it has, and 405 to anything but GET and HEAD', async () => {
    const missing = await get('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/healthz');
    const post = await fetch(`${server.url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('with WATCHDESK_HTTP_PASSWORD, everything but /healthz needs basic auth', async () => {
    const guarded = (await startHttpServer({ ...deps, password: PASSWORD }))!;
    try {
      const at = (path: string, auth?: string) =>
        fetch(`${guarded.url}${path}`, auth ? { headers: { authorization: `Basic ${btoa(auth)}` } } : {});
      expect((await at('/healthz')).status).toBe(200);
      for (const path of ['/', '/readyz', '/metrics']) {
        const res = await at(path);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="watchdesk"/);
      }
      expect((await at('/', 'ops:wrong-password')).status).toBe(401);
      expect((await at('/', 'no-colon-at-all')).status).toBe(401);
      const page = await at('/', `ops:${PASSWORD}`);
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain(PASSWORD);
      expect((await at('/metrics', `anyone:${PASSWORD}`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('a port already in use is logged clearly and the caller keeps running without HTTP', async () => {
    const second = await startHttpServer({ ...deps, port: server.port });
    expect(second).toBeNull();
    const line = captured.records().find((r) => r.msg.startsWith('http server not started'));
    expect(line).toMatchObject({ reason: `port ${server.port} is already in use`, port: server.port, level: 40 });
    expect(String(line?.hint)).toContain('give each instance its own http.port');
    expect(String(line?.hint)).toContain('set http.port to 0');
    expect((await get('/healthz')).status).toBe(200);
  });
});
