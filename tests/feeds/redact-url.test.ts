import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../src/feeds/fetch.js';
import { classifyFetchFailure } from '../../src/feeds/fetch-errors.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { pollFeed } from '../../src/feeds/poller.js';
import { redactUrl, redactUrlsIn } from '../../src/feeds/redact-url.js';
import { createLogger } from '../../src/log.js';
import { getFeedByUrl, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { runCli } from '../helpers/cli.js';
import { tempDb } from '../helpers/db.js';
import { sampleRss } from '../helpers/feed-fixtures.js';
import { type FeedServer, startFeedServer, TEST_FETCHER_OPTIONS } from '../helpers/feed-server.js';

describe('redactUrl', () => {
  it.each([
    ['userinfo', 'https://reader:hunter22@feeds.example/private.xml', 'https://***@feeds.example/private.xml'],
    ['a user name that is a token', 'https://ghp_abc123@feeds.example/x', 'https://***@feeds.example/x'],
    ['?token=', 'https://feeds.example/f?token=s3cr3t&page=2', 'https://feeds.example/f?token=***&page=2'],
    [
      'api_key and apiKey',
      'https://e.example/f?api_key=1&apiKey=2&q=kosa',
      'https://e.example/f?api_key=***&apiKey=***&q=kosa',
    ],
    [
      'access_token, a signature',
      'https://e.example/f?access_token=a&X-Amz-Signature=b',
      'https://e.example/f?access_token=***&X-Amz-Signature=***',
    ],
    [
      'a public URL, unchanged',
      'https://news.google.com/rss/search?q=%22Section+230%22&hl=en-US',
      'https://news.google.com/rss/search?q=%22Section+230%22&hl=en-US',
    ],
    ['not a URL, with userinfo', 'https://user:pw@bad host/', 'https://***@bad host/'],
    ['not a URL at all', 'feeds/local.xml', 'feeds/local.xml'],
  ])('%s', (_name, input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('redacts every URL inside a message', () => {
    expect(redactUrlsIn('GET https://u:p@a.example/f?key=k failed, then http://b.example/ok')).toBe(
      'GET https://***@a.example/f?key=*** failed, then http://b.example/ok',
    );
  });
});

describe('credentials in feed URLs', () => {
  let server: FeedServer;
  let fetcher: Fetcher;
  const seenAuth: (string | undefined)[] = [];
  beforeAll(async () => {
    server = await startFeedServer();
    fetcher = createFetcher(TEST_FETCHER_OPTIONS);
    // an Atom feed with relative links: they resolve against the feed URL
    server.route('/private/atom.xml', (req, res) => {
      seenAuth.push(req.headers.authorization);
      if (req.headers.authorization !== `Basic ${Buffer.from('reader:p@ss word').toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="feeds"' }).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/atom+xml' })
        .end(
          '<feed xmlns="http://www.w3.org/2005/Atom"><title>Private</title><entry><id>p1</id><title>Members only</title><link href="/posts/1"/></entry></feed>',
        );
    });
    server.route('/private/old.xml', { status: 301, headers: { location: '/private/atom.xml' } });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  const withUserinfo = (p: string) => server.url(p).replace('http://', 'http://reader:p%40ss%20word@');

  it('sends userinfo as Basic auth, and item links never inherit it', async () => {
    const res = await fetcher.fetch({ url: withUserinfo('/private/atom.xml') });
    expect(res.status).toBe(200);
    expect(res.url).toBe(server.url('/private/atom.xml'));
    const feed = parseFeed(res.body, { url: res.url });
    expect(feed.items[0]!.url).toBe(server.url('/posts/1'));
    // a relative permanent redirect keeps the credentials, so later polls still authenticate
    const moved = await fetcher.fetch({ url: withUserinfo('/private/old.xml') });
    expect(moved.status).toBe(200);
    expect(moved.permanentRedirect).toBe(withUserinfo('/private/atom.xml'));
  });

  it('never writes a token or a password into a log line or a stored error', async () => {
    const t = tempDb();
    try {
      server.route('/private/rss.xml', { status: 500, body: 'boom' });
      server.route('/private/ok.xml', { headers: { 'content-type': 'application/rss+xml' }, body: sampleRss() });
      server.route('/private/moves.xml', { status: 308, headers: { location: '/private/ok.xml?token=tok-9f8e7d' } });
      const failing = server.url('/private/rss.xml').replace('http://', 'http://reader:hunter22@');
      const moving = `${server.url('/private/moves.xml')}?token=tok-9f8e7d`;
      await syncFeedsFromConfig(
        t.sql,
        [
          { url: `${failing}?api_key=key-1a2b3c`, fullText: 'auto' },
          { url: moving, fullText: 'auto' },
        ],
        { intervalMs: 900_000 },
        0,
      );
      const lines: string[] = [];
      const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
      const deps = {
        db: t.sql,
        fetcher,
        parse: parseFeed,
        now: () => 0,
        maxFailures: 3,
        maxBackoffMs: 86_400_000,
        log,
      };
      const bad = await pollFeed(deps, (await getFeedByUrl(t.sql, `${failing}?api_key=key-1a2b3c`))!);
      expect(bad.status).toBe('error');
      const good = await pollFeed(deps, (await getFeedByUrl(t.sql, moving))!);
      expect(good.status).toBe('ok');
      // a redirect loop and an invalid redirect quote URLs in their messages
      server.route('/private/loop.xml', { status: 302, headers: { location: '/private/loop2.xml?token=tok-9f8e7d' } });
      server.route('/private/loop2.xml', { status: 302, headers: { location: '/private/loop.xml?sig=sig-55aa' } });
      const loop = await fetcher.fetch({ url: `${server.url('/private/loop.xml')}?sig=sig-55aa` }).catch((e) => e);
      expect((loop as Error).message).toMatch(/redirect loop: .*loop2\.xml\?token=\*\*\* sends back to .*\?sig=\*\*\*/);
      const stored = JSON.stringify(t.db.prepare('SELECT * FROM feeds').all());
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.join('\n')).toContain('***');
      for (const text of [...lines, (loop as Error).message]) {
        for (const secret of ['hunter22', 'key-1a2b3c', 'tok-9f8e7d', 'sig-55aa']) expect(text).not.toContain(secret);
      }
      // the store keeps the real address to poll, and only there
      expect(stored).toContain('tok-9f8e7d');
      expect((await getFeedByUrl(t.sql, `${failing}?api_key=key-1a2b3c`))!.lastErrorMessage).not.toContain('hunter22');
    } finally {
      t.close();
    }
  });

  it('classifyFetchFailure keeps credentials out of message and detail', () => {
    const err = classifyFetchFailure(new Error('connect failed for https://u:pw-777@h.example/f?token=t-888'), {
      url: 'https://h.example/f',
    });
    expect(`${err.message} ${err.extra.detail}`).not.toMatch(/pw-777|t-888/);
  });

  it('poll --once and feeds list print no token from an unnamed feed URL', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-redact-'));
    try {
      server.route('/private/gone.xml', { status: 404, body: 'no' });
      const url = `${server.url('/private/gone.xml').replace('http://', 'http://reader:hunter22@')}?token=tok-4242`;
      const config = writeBeatConfig(dir, { feeds: [{ url } as { name: string; url: string }] });
      const poll = await runCli(['--config', config, 'poll', '--once']);
      expect(poll.code).toBe(1); // its one feed failed
      expect(poll.stdout).toMatch(/error: http_status .*\*\*\*@127\.0\.0\.1:\d+\/private\/gone\.xml\?token=\*\*\*/);
      const json = await runCli(['--config', config, 'poll', '--once', '--json']);
      const list = await runCli(['--config', config, 'feeds', 'list']);
      expect(list.stdout).toContain('token=***');
      for (const out of [poll, json, list]) {
        expect(`${out.stdout}${out.stderr}`).not.toMatch(/hunter22|tok-4242/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
