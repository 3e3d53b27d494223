import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { ROOT, runCliWithClosedStdout } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';

const FEED = path.join(ROOT, 'tests/fixtures/feeds/rss-20.xml');
const ARTICLE = path.join(ROOT, 'tests/fixtures/articles/backpage-style-sentencing.txt');

/** A reader that stops early is not an error: no EPIPE, no stack trace, status 0. */
function expectQuietExit(run: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): void {
  expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
  expect(run.signal).toBeNull();
  expect(run.code).toBe(0);
}

// Each test starts the CLI in a child process, which takes several seconds on a loaded machine.
describe('a closed stdout (watchdesk … | head)', { timeout: 60_000 }, () => {
  let server: FeedServer;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    server = await startFeedServer();
    server.route('/desk.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Desk', [
        {
          guid: 'd1',
          title: 'Senators revive the Kids Online Safety Act',
          link: 'https://desk.example/d1',
          date: new Date().toISOString(),
          text: 'A bipartisan group of senators reintroduced the Kids Online Safety Act on Tuesday.',
        },
      ]),
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-pipe-'));
    config = writeBeatConfig(dir, { feeds: [{ name: 'Desk', url: server.url('/desk.xml') }] });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parse stops quietly when the reader has seen its first lines', async () => {
    // Enough output that the pipe closes while parse is still writing.
    const inputs = Array.from({ length: 200 }, () => FEED);
    expectQuietExit(await runCliWithClosedStdout(['--config', path.join(dir, 'none.yaml'), 'parse', ...inputs]));
  });

  it('classify stops quietly when stdout is closed before it writes', async () => {
    expectQuietExit(await runCliWithClosedStdout(['classify', ARTICLE], { closeAt: 'start' }));
  });

  it('poll stops quietly when stdout is closed before its table', async () => {
    expectQuietExit(await runCliWithClosedStdout(['--config', config, 'poll', '--once'], { closeAt: 'start' }));
  });
});
