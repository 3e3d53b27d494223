import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/feeds/opml.js';
import { multiProcessConfig, serveFeeds } from '../helpers/beat-feeds.js';
import { runCli } from '../helpers/cli.js';
import { type FeedServer, BUILT_IN_PATHS as P, startFeedServer } from '../helpers/feed-server.js';

/**
 * Issue 13: `feeds import` and `feeds export` against the loopback feed server. An import reports duplicates
 * and bad entries, skips them and goes on; an export gives back the titles and folders it imported.
 */
describe('feeds import and export', () => {
  let server: FeedServer;
  let setup: ReturnType<typeof multiProcessConfig>;
  const cli = (...args: string[]) => runCli(['--config', setup.config, ...args]);

  beforeAll(async () => {
    server = await startFeedServer();
    serveFeeds(server, { prefix: 'op', feeds: 4, perFeed: 2, from: 0 });
    setup = multiProcessConfig(server, { prefix: 'op', feeds: 1 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  it('imports, skips and reports, then exports the same titles and folders', async () => {
    const opml = path.join(setup.dir, 'reader.opml');
    writeFileSync(
      opml,
      `<?xml version="1.0"?>
<opml version="2.0"><head><title>From my reader</title></head><body>
  <outline text="Courts &amp; Law">
    <outline text="US">
      <outline type="rss" text="Docket One" xmlUrl="${server.url('/op/1.xml')}"/>
    </outline>
    <outline type="rss" text="Docket Two" xmlUrl="${server.url('/op/2.xml')}"/>
  </outline>
  <outline type="rss" text="Top Level Three" xmlUrl="${server.url('/op/3.xml')}"/>
  <outline type="rss" text="Docket One again" xmlUrl="${server.url('/op/1.xml')}"/>
  <outline type="rss" text="Already in the config" xmlUrl="${server.url('/op/0.xml')}"/>
  <outline type="rss" text="A web page" xmlUrl="${server.url(P.htmlPage)}"/>
  <outline text="Just a heading"/>
</body></opml>`,
    );
    const run = await cli('feeds', 'import', opml);
    expect(run.stdout).toContain('added    feed 2: Docket One (2 items)');
    expect(run.stdout).toContain('added    feed 3: Docket Two (2 items)');
    expect(run.stdout).toContain('added    feed 4: Top Level Three (2 items)');
    expect(run.stdout).toContain('skipped  Docket One again: listed more than once in the file');
    expect(run.stdout).toContain('skipped  Already in the config: already watched (feed 1, source: config)');
    expect(run.stdout).toMatch(
      /bad {6}A web page: This is a web page \(HTML\), not a feed\. The page links its feed at /,
    );
    expect(run.stdout).toContain('bad      "Just a heading": it has no xmlUrl, so it names no feed');
    expect(run.stdout).toContain('3 added, 2 duplicates skipped, 2 bad entries skipped.');
    // not a terminal: one plain progress line per feed checked, on stderr
    expect(run.stderr).toMatch(/^import: 1\/4 /m);
    expect(run.stderr).toMatch(/^import: 4\/4 /m);
    expect(run.code).toBe(1);

    const out = path.join(setup.dir, 'export.opml');
    const exp = await cli('feeds', 'export', '--out', out);
    expect(exp.stdout).toContain(`wrote 4 feeds to ${out}`);
    const back = parseOpml(readFileSync(out, 'utf8'));
    expect(back?.problems).toEqual([]);
    expect(new Set(back?.feeds.map((f) => JSON.stringify([f.title, f.category])))).toEqual(
      new Set(
        [
          ['Outlet 0', []],
          ['Docket One', ['Courts & Law', 'US']],
          ['Docket Two', ['Courts & Law']],
          ['Top Level Three', []],
        ].map((x) => JSON.stringify(x)),
      ),
    );

    const list = JSON.parse((await cli('feeds', 'list', '--json')).stdout) as { source: string }[];
    expect(list.map((f) => f.source)).toEqual(['config', 'opml', 'opml', 'opml']);
  }, 120_000);

  it('refuses a file that is not OPML, saving nothing', async () => {
    const csv = path.join(setup.dir, 'list.csv');
    writeFileSync(csv, 'name,url\nA,https://a.example/\n');
    const run = await cli('feeds', 'import', csv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${csv} is not an OPML file`);
  }, 60_000);
});
