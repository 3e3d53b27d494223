import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { multiProcessConfig, serveFeeds } from '../helpers/beat-feeds.js';
import { runCli } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';

/**
 * Issue 7 item 12: `poll --once` said "0 failed" and exited 0 when items failed to ingest. It
 * counts item failures per feed, and exits 1 when any feed or item failed, so a script sees it.
 */
describe('poll --once reports item failures', () => {
  let server: FeedServer;
  let setup: ReturnType<typeof multiProcessConfig>;

  beforeAll(async () => {
    server = await startFeedServer();
    serveFeeds(server, { prefix: 'pf', feeds: 1, perFeed: 3, from: 0 });
    setup = multiProcessConfig(server, { prefix: 'pf', feeds: 1 });
  });

  afterAll(async () => {
    await server.close();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  it('exits 1 and counts the item whose enrichment failed; the next due poll finishes it and exits 0', async () => {
    // A real SQLite failure in the last enrichment step, for one item.
    const db = openDb(setup.db);
    db.exec(`CREATE TRIGGER fail_one BEFORE UPDATE OF story_id ON items WHEN new.guid = 'f0-n1'
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    db.close();

    const first = await runCli(['--config', setup.config, 'poll', '--once']);
    expect(first.stdout).toMatch(/status\s+new\s+on-topic\s+failed\s+time\s+feed/);
    expect(first.stdout).toMatch(/ok \(first poll\)\s+3\s+2\s+1\s+\d+ ms\s+Outlet 0/);
    expect(first.stdout).toContain('1 feed polled: 3 new items; 0 feeds failed, 1 item failed.');
    expect(first.stderr).toContain('item enrichment failed; a later poll tries it again');
    expect(first.stderr).toContain('disk I/O error');
    expect(first.stderr).toContain('the next poll, or the running bot, tries them again');
    expect(first.code).toBe(1);

    // The fault is gone and the item's retry falls due (as a minute later).
    const fix = openDb(setup.db);
    fix.exec('DROP TRIGGER fail_one');
    fix.exec('UPDATE enrichment_claims SET next_attempt_at = 0');
    fix.close();
    const second = await runCli(['--config', setup.config, 'poll', '--once']);
    expect(second.stdout).toContain('1 unfinished item from earlier taken up again: 1 finished, 0 failed.');
    expect(second.code).toBe(0);
  }, 60_000);
});
