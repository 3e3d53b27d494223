import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { spawnCli } from '../helpers/cli.js';
import { storeSetting, type TempStore, tempStore } from '../helpers/db.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { logRecords } from '../helpers/log.js';
import { until } from '../helpers/wait.js';

/**
 * Shutdown while work is stuck: the LLM server takes every request and never answers, so the poll
 * cycle (summarizing a new item) is in flight when the signal comes.
 */
describe('shutdown with work in flight', () => {
  let feeds: FeedServer;
  let llm: Server;
  let llmUrl = '';
  let llmRequests = 0;
  const dirs: string[] = [];
  const stores: TempStore[] = [];

  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.route('/desk.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Desk', [
        {
          guid: 'stuck-1',
          title: 'Ofcom opens an Online Safety Act investigation into a forum',
          link: 'https://desk.example/stuck-1',
          date: new Date(Date.now() - 3_600_000).toISOString(),
          text: 'Ofcom said on Monday it had opened an investigation under the Online Safety Act into a forum.',
        },
      ]),
    });
    llm = createServer(() => {
      llmRequests++; // and never answer
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    llm.closeAllConnections();
    await new Promise<void>((r) => llm.close(() => r()));
    await feeds.close();
    for (const store of stores) await store.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function stuckBot(grace: string) {
    const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-shutdown-'));
    dirs.push(dir);
    // Each bot its own store, on the backend WATCHDESK_TEST_DB picks.
    const store = await tempStore();
    stores.push(store);
    const config = writeBeatConfig(dir, {
      feeds: [{ name: 'Desk', url: feeds.url('/desk.xml') }],
      extra: {
        http: { port: 0 },
        store: storeSetting(store.location),
        shutdown: { grace },
        llm: { enabled: true, baseUrl: llmUrl, timeout: '120s' },
        summarize: { useLlm: true },
      },
    });
    const before = llmRequests;
    const bot = spawnCli(['--config', config, 'start'], { LLM_API_KEY: 'sk-test-0000' });
    const exited = new Promise<number | null>((resolve) => bot.child.once('exit', (code) => resolve(code)));
    expect(await until(() => llmRequests > before, 60_000, 50)).toBe(true);
    const logs = () => logRecords(bot.output().stderr);
    return { ...bot, exited, logs };
  }

  it('waits at most shutdown.grace for the work in flight, then exits 0', async () => {
    const bot = await stuckBot('1s');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.logs().some((r) => r.msg.startsWith('shutdown grace ran out'))).toBe(true);
    expect(bot.logs().find((r) => r.msg === 'stopped')).toMatchObject({ signal: 'SIGTERM' });
  }, 90_000);

  it('a second signal exits at once, without waiting for the grace', async () => {
    const bot = await stuckBot('10m');
    bot.child.kill('SIGTERM');
    expect(await until(() => bot.logs().some((r) => r.msg === 'shutting down'), 30_000, 20)).toBe(true);
    bot.child.kill('SIGINT');
    expect(await bot.exited).toBe(130);
    expect(bot.logs().some((r) => r.msg === 'second signal: exiting at once' && r.signal === 'SIGINT')).toBe(true);
    expect(bot.logs().some((r) => r.msg === 'stopped')).toBe(false);
  }, 90_000);
});
