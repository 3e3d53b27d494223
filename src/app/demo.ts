import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { readEnv } from '../config/env.js';
import { DEFAULT_CONFIG_FILE, loadConfig, PROJECT_ROOT } from '../config/load.js';
import { deliverPending } from '../delivery/outbox.js';
import { runSubscription } from '../pipeline/digests.js';
import { pollAndIngest } from '../pipeline/poll-cycle.js';
import { listFeeds } from '../store/feeds.js';
import { listSubscriptions } from '../store/subscriptions.js';
import { createApp } from './app.js';
import { startDemoFeedServer } from './demo-feeds.js';

const DEMO_CONFIG_FILE = path.join(PROJECT_ROOT, 'config', 'demo.yaml');

export interface DemoOptions {
  /** Keep the demo database here instead of a temp folder that is removed afterwards. */
  dbPath?: string;
  out?: Writable;
  /** Progress notes (stderr by default) so stdout carries only the digest. */
  notes?: (line: string) => void;
}

/**
 * One whole cycle, offline: poll the bundled demo feeds twice (a backlog, then new stories),
 * classify, cluster, summarize, compose the console subscription's digest, render it and deliver
 * it through the real outbox to stdout.
 */
export async function runDemo(opts: DemoOptions = {}): Promise<{ stories: number; elapsedMs: number }> {
  const started = Date.now();
  const note = opts.notes ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tempDir = opts.dbPath ? null : mkdtempSync(path.join(tmpdir(), 'watchdesk-demo-'));
  const dbPath = opts.dbPath ?? path.join(tempDir as string, 'demo.db');
  const server = await startDemoFeedServer(Date.now());
  try {
    const demo = loadConfig({ file: DEMO_CONFIG_FILE, env: { ...readEnv({}), dbPath } });
    // The demo borrows the default beat's topics so that it shows exactly what the beat matches.
    const beat = loadConfig({ file: DEFAULT_CONFIG_FILE, env: readEnv({}) });
    const config = {
      ...demo,
      topics: Object.keys(demo.topics).length > 0 ? demo.topics : beat.topics,
      feeds: demo.feeds.map((f) => ({ ...f, url: f.url.replace('http://demo.invalid', server.base) })),
    };
    const app = await createApp(config, { logLevel: 'warn', consoleOut: opts.out });
    try {
      const feeds = async () => (await listFeeds(app.db)).filter((f) => f.watched);
      const first = await pollAndIngest(app, await feeds());
      note(
        `poll 1: ${sum(first, 'newItems')} items from ${first.length} feeds stored (first poll: searchable, not announced)`,
      );
      server.setPhase(2);
      const second = await pollAndIngest(app, await feeds());
      note(
        `poll 2: ${sum(second, 'newItems')} new items, ${sum(second, 'matched')} on-topic; classified, clustered and summarized`,
      );
      const sub = (await listSubscriptions(app.db, { activeOnly: true })).find((s) => s.platform === 'console');
      if (!sub) throw new Error('config/demo.yaml has no console subscription');
      const run = await runSubscription(app.digestDeps, sub);
      const stories = run.status === 'enqueued' ? run.stories : 0;
      note(`digest: ${stories} stories composed into the outbox; delivering to the console…\n`);
      await deliverPending(app.deliverDeps);
      const elapsedMs = Date.now() - started;
      note(
        `demo done in ${(elapsedMs / 1000).toFixed(1)} s: poll → classify → cluster → summarize → compose → render → deliver`,
      );
      return { stories, elapsedMs };
    } finally {
      await app.close();
    }
  } finally {
    await server.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

function sum<K extends string>(rows: Record<K, number>[], key: K): number {
  return rows.reduce((n, r) => n + r[key], 0);
}
