import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { deliverPending, enqueueDigest } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/log.js';
import { listSubscriptions } from '../../src/store/subscriptions.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { runCli } from '../helpers/cli.js';

describe('watchdesk outbox', () => {
  let dir: string;
  let config: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-outbox-'));
    config = writeBeatConfig(dir, {
      feeds: [],
      extra: {
        subscriptions: [{ platform: 'discord', workspace: '2001', channel: '3001', topics: 'all', schedule: 'hourly' }],
      },
    });
    // A Discord digest with no DISCORD_TOKEN set: delivery parks it as dead with a reason.
    const app = await createApp(loadConfig({ file: config, env: { secrets: {} } }), { log: silentLogger });
    const sub = (await listSubscriptions(app.db))[0]!;
    await enqueueDigest(app.db, {
      subscriptionId: sub.id,
      parts: [{ platform: 'discord', payload: { content: 'part one', embeds: [], allowed_mentions: { parse: [] } } }],
      cursorFrom: 0,
      cursorTo: 5,
      storyCount: 1,
      now: Date.now(),
    });
    const r = await deliverPending(app.deliverDeps);
    expect(r.dead).toBe(1);
    await app.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows dead parts with the reason and what to do', async () => {
    const r = await runCli(['--config', config, 'outbox', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dead parts: 1');
    expect(r.stdout).toMatch(/1\s+1\/1\s+discord:2001\/3001\s+\d+\s+.*DISCORD_TOKEN/);
    expect(r.stdout).toContain('watchdesk outbox retry <digest>');
  });

  it('re-queues a dead digest, and refuses one that is not dead', async () => {
    const again = await runCli(['--config', config, 'outbox', 'retry', '1']);
    expect(again.stdout).toContain('digest 1: 1 part(s) queued again');
    const status = await runCli(['--config', config, 'outbox', 'status']);
    expect(status.stdout).toContain('pending digests: 1, pending parts: 1, dead parts: 0');
    const refused = await runCli(['--config', config, 'outbox', 'retry', '1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('digest 1 is not dead');
  });

  it('says a digest that was never composed does not exist, and where to find the ids', async () => {
    const r = await runCli(['--config', config, 'outbox', 'retry', '99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: digest 99 does not exist');
    expect(r.stderr).toContain('watchdesk outbox status');
    expect(r.stderr).not.toContain('not dead');
  }, 60_000);
});
