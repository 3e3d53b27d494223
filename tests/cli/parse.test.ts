import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
});
