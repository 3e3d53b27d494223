import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const fixtures = path.join(ROOT, 'tests/fixtures/feeds');

/** The real CLI in a child process, with a config that does not exist (parse must not need one). */
const cli = (...args: string[]) => runCli(['--config', path.join(fixtures, 'no-such-config.yaml'), ...args]);

interface Line {
  input: string;
  items?: { id: string }[];
  error?: { kind: string; message: string };
}

let server: Server;
let base: string;
const tmp = mkdtempSync(path.join(tmpdir(), 'watchdesk-parse-'));

beforeAll(async () => {
  const rss = readFileSync(path.join(fixtures, 'rss-20.xml'));
  const html = readFileSync(path.join(fixtures, 'page.html'));
  server = createServer((req, res) => {
    if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(rss);
    } else if (req.url === '/home') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('watchdesk parse', () => {
  it('explains itself with --help', async () => {
    const run = await cli('parse', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/parse \[options\] <inputs\.\.\.>/);
    expect(run.stdout).toMatch(/--json/);
    expect(run.stdout).toMatch(/one JSON line per input/);
  });

  it('prints one file as a JSON array of normalized items', async () => {
    const run = await cli('parse', path.join(fixtures, 'rss-20.xml'), '--json');
    expect(run.code).toBe(0);
    const items = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(items).toHaveLength(3);
    expect(Object.keys(items[0]!)).toEqual([
      'id',
      'url',
      'title',
      'published',
      'author',
      'categories',
      'content',
      'enclosures',
    ]);
    expect(items[0]).toMatchObject({ id: 'wire-2024-0517', title: 'Senate panel advances platform bill' });
  });

  it('prints a readable listing without --json, and fetches URLs from a server', async () => {
    const run = await cli('parse', `${base}/feed.xml`);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Policy Wire \(sample\)/);
    expect(run.stdout).toMatch(/2024-05-17 13:15 {2}Senate panel advances platform bill/);
    expect(run.stdout).toMatch(/enclosure: https:\/\/cdn\.example\.com\/audio\/panel\.mp3 \(audio\/mpeg\)/);
  });

  it('prints one JSON line per input; a bad input does not stop the rest', async () => {
    const missing = path.join(fixtures, 'missing.xml');
    const run = await cli(
      'parse',
      path.join(fixtures, 'atom-xml-base.xml'),
      missing,
      path.join(fixtures, 'page.html'),
      `${base}/feed.xml`,
      `${base}/gone`,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.input)).toEqual([
      path.join(fixtures, 'atom-xml-base.xml'),
      missing,
      path.join(fixtures, 'page.html'),
      `${base}/feed.xml`,
      `${base}/gone`,
    ]);
    expect(lines[0]!.items).toHaveLength(2);
    expect(lines[1]!.error).toMatchObject({ kind: 'io', message: expect.stringMatching(/no such file/) });
    expect(lines[2]!.error?.kind).toBe('not_a_feed');
    expect(lines[3]!.items?.map((i) => i.id)).toContain('wire-2024-0517');
    expect(lines[4]!.error?.kind).toBe('http_status');
  });

  it('exits non-zero when every input fails', async () => {
    const run = await cli('parse', path.join(fixtures, 'truncated.xml'), `${base}/home`);
    expect(run.code).toBe(1);
    const kinds = run.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { error: { kind: string } }).error.kind);
    expect(kinds).toEqual(['malformed_xml', 'not_a_feed']);
  });

  it('reports a single failing input on stderr with its kind and exits 1', async () => {
    const run = await cli('parse', path.join(fixtures, 'page.html'), '--json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/web page/);
    expect(run.stderr).toMatch(/not_a_feed/);
  });

  it('refuses a file over fetch.maxBodyBytes as too_large before reading it, as over HTTP', async () => {
    // 600 MB that occupy no disk: a sparse file. Reading it whole would pass V8's string limit.
    const huge = path.join(tmp, 'huge.xml');
    closeSync(openSync(huge, 'w'));
    truncateSync(huge, 600 * 1024 * 1024);
    const run = await cli('parse', huge);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The file is 600.0 MB, over the limit of 5.0 MB (fetch.maxBodyBytes: 5242880)');
    expect(run.stderr).toContain('(too_large:');
    expect(run.stderr).not.toMatch(/malformed_xml|Cannot create a string/);
  }, 60_000);

  const smallLimit = () => {
    const config = path.join(tmp, 'small-limit.yaml');
    writeFileSync(config, 'fetch:\n  maxBodyBytes: 1024\n');
    return config;
  };
  const feed = path.join(fixtures, 'rss-20.xml');

  it('holds files to a configured fetch.maxBodyBytes', async () => {
    const file = await runCli(['--config', smallLimit(), 'parse', feed, feed]);
    const lines = file.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.error?.kind)).toEqual(['too_large', 'too_large']);
    expect(file.code).toBe(1);
  }, 60_000);

  it('holds stdin to a configured fetch.maxBodyBytes', async () => {
    const stdin = await runCli(['--config', smallLimit(), 'parse', '-'], {}, readFileSync(feed, 'utf8'));
    expect(stdin.code).toBe(1);
    expect(stdin.stderr).toContain('The input on stdin is more than 1.0 KB, over the limit of 1.0 KB');
  }, 60_000);

  it('reads a feed from stdin with -', async () => {
    const run = await runCli(['parse', '-', '--json'], {}, readFileSync(path.join(fixtures, 'rss-20.xml'), 'utf8'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const items = JSON.parse(run.stdout) as { id: string }[];
    expect(items.map((i) => i.id)).toContain('wire-2024-0517');
  }, 60_000);
});
