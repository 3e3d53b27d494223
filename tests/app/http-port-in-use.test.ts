import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { spawnCli } from '../helpers/cli.js';
import { type TempStore, tempStore } from '../helpers/db.js';
import { until } from '../helpers/wait.js';

/**
 * Issue 17: instances on one host each need their own HTTP port, and one that finds its port taken runs on
 * without HTTP, saying which port and what to set. Two real `watchdesk start` processes, each on a store of its
 * own (the backend WATCHDESK_TEST_DB picks), the second configured with the port the first listens on.
 */
type Bot = { child: ChildProcess; output: () => { stdout: string; stderr: string } };

const bots: Bot[] = [];
const stores: TempStore[] = [];
const dirs: string[] = [];

async function startBot(port: number): Promise<Bot> {
  const store = await tempStore();
  stores.push(store);
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-port-'));
  dirs.push(dir);
  const config = writeBeatConfig(dir, {
    feeds: [{ name: 'Quiet Wire', url: 'http://127.0.0.1:9/quiet.xml' }],
    extra: { http: { host: '127.0.0.1', port } },
  });
  const bot = spawnCli(['--config', config, 'start'], { WATCHDESK_DB: store.location, WATCHDESK_LOG_LEVEL: 'info' });
  bots.push(bot);
  return bot;
}

/** The log lines (JSON, one a line on stderr) whose msg matches `msg`. */
function lines(bot: Bot, msg: RegExp): Record<string, unknown>[] {
  return bot
    .output()
    .stderr.split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => msg.test(String(r.msg)));
}

const exited = (bot: Bot) =>
  new Promise<number | null>((resolve) => {
    if (bot.child.exitCode !== null) resolve(bot.child.exitCode);
    else bot.child.once('exit', (code) => resolve(code));
  });

afterAll(async () => {
  for (const bot of bots) {
    if (bot.child.exitCode !== null || bot.child.signalCode !== null) continue;
    bot.child.kill('SIGTERM');
    await exited(bot);
  }
  for (const store of stores) await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('an HTTP port already in use', () => {
  it('a second instance given the first one’s port warns with the port and what to set, and runs on', async () => {
    const first = await startBot(0);
    expect(await until(() => lines(first, /^http server listening/).length === 1, 30_000, 50)).toBe(true);
    const url = String(lines(first, /^http server listening/)[0]?.url);
    const port = Number(new URL(url).port);
    expect(port).toBeGreaterThan(0);

    const second = await startBot(port);
    expect(await until(() => lines(second, /^http server not started/).length === 1, 30_000, 50)).toBe(true);
    const warning = lines(second, /^http server not started/)[0];
    expect(warning).toMatchObject({ level: 40, port, reason: `port ${port} is already in use` });
    expect(String(warning?.hint)).toContain('give each instance its own http.port');
    expect(String(warning?.hint)).toContain('set http.port to 0');
    // It runs on: its adapters start after the HTTP server, and a SIGTERM stops it as usual.
    expect(await until(() => lines(second, /: next digest at /).length > 0, 30_000, 50)).toBe(true);
    expect(second.child.exitCode).toBeNull();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(lines(second, /^stopped$/)).toHaveLength(1);
  }, 60_000);
});
