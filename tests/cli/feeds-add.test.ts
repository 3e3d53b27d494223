import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { multiProcessConfig, serveFeeds } from '../helpers/beat-feeds.js';
import { runCli } from '../helpers/cli.js';
import { type FeedServer, BUILT_IN_PATHS as P, startFeedServer } from '../helpers/feed-server.js';

/**
 * Issue 13: `watchdesk feeds add/remove` against the loopback feed server, run as a person would. A run-time feed
 * is checked by one fetch before it is saved, is polled by `poll --once`, survives the config file dropping the
 * same URL, and `feeds list` says where each feed comes from.
 */
describe('feeds add and remove', () => {
  let server: FeedServer;
  let setup: ReturnType<typeof multiProcessConfig>;
  const cli = (...args: string[]) => runCli(['--config', setup.config, ...args]);

  beforeAll(async () => {
    server = await startFeedServer();
    serveFeeds(server, { prefix: 'fa', feeds: 2, perFeed: 3, from: 0 });
    setup = multiProcessConfig(server, { prefix: 'fa', feeds: 1 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  it('adds a feed after one fetch, prints what it found, refuses what is not a feed, and polls it', async () => {
    const added = await cli('feeds', 'add', server.url('/fa/1.xml'), '--name', 'Second Outlet', '--interval', '30m');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added feed 2: Second Outlet\./);
    expect(added.stdout).toContain('title: Outlet 1');
    expect(added.stdout).toMatch(/3 items; newest: ".+\(docket F1N0\)" \(\d{4}-\d\d-\d\d\)/);
    expect(added.stdout).toMatch(/Its 3 most recent items match: .+\(\d\)/);

    const again = await cli('feeds', 'add', server.url('/fa/1.xml'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Feed 2 (Second Outlet) was already added (source: cli); nothing changed.');

    const page = await cli('feeds', 'add', server.url(P.htmlPage));
    expect(page.code).toBe(2);
    expect(page.stderr).toContain(`error: could not add ${server.url(P.htmlPage)}:`);
    expect(page.stderr).toContain('Nothing was saved.');
    const list = await cli('feeds', 'list', '--json');
    const feeds = JSON.parse(list.stdout) as { id: number; source: string; intervalMs: number }[];
    expect(feeds.map((f) => [f.id, f.source])).toEqual([
      [1, 'config'],
      [2, 'cli'],
    ]);
    expect(feeds[1]?.intervalMs).toBe(30 * 60_000);

    const poll = await cli('poll', '--once');
    expect(poll.stdout).toMatch(/ok \(first poll\)\s+3\s+\d+\s+0\s+\d+ ms\s+Outlet 0/);
    expect(poll.stdout).toMatch(/ok \(first poll\)\s+3\s+\d+\s+0\s+\d+ ms\s+Second Outlet/);
    expect(poll.code).toBe(0);
  }, 120_000);

  it('keeps a run-time feed when the config drops the same URL, and the other way round', async () => {
    // the config's own feed is also added at run time, then the config file drops it
    const both = await cli('feeds', 'add', server.url('/fa/0.xml'));
    expect(both.stdout).toContain('is already in the config file; it is now also a run-time feed');
    const config = parse(readFileSync(setup.config, 'utf8')) as { feeds: unknown[] };
    writeFileSync(setup.config, stringify({ ...config, feeds: [] }));
    const list = await cli('feeds', 'list');
    expect(list.stdout).toMatch(/\n1\s+cli\s+ok/);
    expect(list.stdout).toMatch(/\n2\s+cli\s+ok/);

    // config-only feeds cannot be removed here; a removed run-time feed is gone from the list
    writeFileSync(setup.config, stringify({ ...config, feeds: [{ url: server.url('/fa/0.xml'), name: 'Outlet 0' }] }));
    const removeBoth = await cli('feeds', 'remove', '1');
    expect(removeBoth.stdout).toContain('the config file lists it, so it is still watched');
    const configOnly = await cli('feeds', 'remove', server.url('/fa/0.xml'));
    expect(configOnly.code).toBe(2);
    expect(configOnly.stderr).toContain('comes from the config file, not from a run-time add');
    const removed = await cli('feeds', 'remove', server.url('/fa/1.xml'));
    expect(removed.stdout).toContain('Removed feed 2 (Second Outlet): it is no longer polled');
    const after = JSON.parse((await cli('feeds', 'list', '--json')).stdout) as { id: number; source: string }[];
    expect(after.map((f) => [f.id, f.source])).toEqual([[1, 'config']]);
  }, 120_000);
});
