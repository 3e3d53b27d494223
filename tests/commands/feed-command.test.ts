import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand, runCommandText } from '../../src/commands/registry.js';
import type { CommandDeps, Invocation, RawInput } from '../../src/commands/types.js';
import type { ResolvedAddress, Resolver } from '../../src/feeds/address-guard.js';
import { createFetcher, type Fetcher } from '../../src/feeds/fetch.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { pollFeed } from '../../src/feeds/poller.js';
import { addFeed } from '../../src/pipeline/add-feed.js';
import { plainLine, replyText } from '../../src/render/index.js';
import { getFeedByUrl, listWatchedFeeds, syncFeedsFromConfig } from '../../src/store/feeds.js';
import type { Sql } from '../../src/store/sql.js';
import { compileTopics } from '../../src/topics/classify.js';
import { rss } from '../helpers/beat-config.js';
import { commandDeps, invocation, NOW, TOPICS } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';
import { type FeedServer, startFeedServer, TEST_FETCHER_OPTIONS } from '../helpers/feed-server.js';

/**
 * Issue 13: /digest feed add and remove, through the shared registry as both adapters call it (Discord options and
 * Slack command text). Admins only; a URL typed in chat goes through the SSRF guard, and works from the loopback
 * feed server only with fetch.allowPrivateNetworks.
 */
let server: FeedServer;
let t: ReturnType<typeof tempDb>;
let db: Sql;
const fetchers: Fetcher[] = [];
const answers: Record<string, string[]> = { 'intranet.example': ['10.9.8.7'], 'feeds.example': ['127.0.0.1'] };
const resolve: Resolver = async (host) => {
  const list = answers[host];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address): ResolvedAddress => ({ address, family: 4 }));
};

function deps(allowPrivateNetworks: boolean): CommandDeps {
  const fetcher = createFetcher({ ...TEST_FETCHER_OPTIONS, resolve, allowPrivateNetworks });
  fetchers.push(fetcher);
  const addDeps = { db: db, fetcher, topics: compileTopics(TOPICS), defaultIntervalMs: 900_000, now: () => NOW };
  return commandDeps(db, { feedAdmin: { add: (req) => addFeed(addDeps, req) } });
}
const run = (d: CommandDeps, raw: RawInput, inv: Invocation = invocation()) =>
  runCommand(d, { command: 'feed', raw, inv });

beforeAll(async () => {
  server = await startFeedServer();
  const day = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
  server.route('/policy.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss('Policy Ledger', [
      {
        guid: 'a',
        title: 'Court narrows Section 230 shield',
        link: 'https://l.example/a',
        date: day(1),
        text: 'A ruling.',
      },
      {
        guid: 'b',
        title: 'Digital Services Act audit due',
        link: 'https://l.example/b',
        date: day(3),
        text: 'Brussels.',
      },
      { guid: 'c', title: 'Section 230 bill stalls', link: 'https://l.example/c', date: day(5), text: 'Congress.' },
      { guid: 'd', title: 'Cup final tickets', link: 'https://l.example/d', date: day(7), text: 'Sport.' },
    ]),
  });
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await server.close();
});
beforeEach(() => {
  t = tempDb();
  db = t.sql;
});
afterEach(() => t.close());

describe('/digest feed add', () => {
  it('is for admins only, on Discord and on Slack', async () => {
    const d = deps(true);
    for (const platform of ['discord', 'slack'] as const) {
      const r = await run(
        d,
        { action: 'add', url: server.url('/policy.xml') },
        invocation({ platform, user: { id: 'U1', admin: false } }),
      );
      expect(r.title).toBe('Admins only');
      expect(plainLine(r.error!.what)).toContain('Only admins may use /digest feed');
    }
    expect(await listWatchedFeeds(db)).toEqual([]);
    expect(server.requestsTo('/policy.xml')).toHaveLength(0);
  });

  it('refuses loopback, private, metadata and privately resolving addresses, saving nothing', async () => {
    const d = deps(false);
    const cases: [string, string][] = [
      [server.url('/policy.xml'), '127.0.0.1 is a loopback address'],
      [`http://feeds.example:${server.port}/policy.xml`, 'feeds.example resolves to 127.0.0.1, a loopback address'],
      ['http://10.0.0.8/feed.xml', '10.0.0.8 is a private network address'],
      ['http://192.168.1.20/rss', '192.168.1.20 is a private network address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
      ['http://intranet.example/feed', 'intranet.example resolves to 10.9.8.7, a private network address'],
      ['http://[fd00::1]/feed', 'fd00::1 is an IPv6 unique local address'],
      ['http://100.64.1.1/feed', '100.64.1.1 is a carrier-grade NAT address'],
    ];
    for (const [url, what] of cases) {
      const r = await run(d, { action: 'add', url });
      expect(r.title).toBe('Address not allowed');
      expect(r.ephemeral).toBe(true);
      expect(plainLine(r.error!.what)).toContain(what);
      expect(plainLine(r.error!.what)).toContain('fetch.allowPrivateNetworks: true');
    }
    expect(await listWatchedFeeds(db)).toEqual([]);
    expect(server.requestsTo('/policy.xml')).toHaveLength(0);
  });

  it('with fetch.allowPrivateNetworks adds the loopback feed: title, item count and the topics its items match', async () => {
    const r = await run(deps(true), { action: 'add', url: server.url('/policy.xml') });
    expect(r.title).toBe('Feed added');
    expect(r.ephemeral).toBe(false);
    expect(r.notices.map(plainLine)).toEqual([
      `Feed 1: Policy Ledger, from ${server.url('/policy.xml')}.`,
      '4 items; newest: "Court narrows Section 230 shield" (2026-03-10)',
      'Its 4 most recent items match: Platform liability & Section 230 (2), EU Digital Services Act (1).',
      'Its first poll stores the items it has now without announcing them; new ones come in digests.',
    ]);
    expect(await getFeedByUrl(db, server.url('/policy.xml'))).toMatchObject({
      addedBy: 'chat',
      addedNote: 'discord 1200000000000000001 #1300000000000000001 by 1500000000000000001',
      title: 'Policy Ledger',
    });
    const again = await run(deps(true), { action: 'add', url: server.url('/policy.xml') });
    expect(again.title).toBe('Already watched');
  });

  it('takes Slack command text, a Slack-wrapped link included, and says what is wrong with a bad address', async () => {
    const slack = invocation({ platform: 'slack', workspace: 'T1', channel: 'C1', user: { id: 'U1', admin: true } });
    const r = await runCommandText(deps(true), `feed add <${server.url('/policy.xml')}>`, slack);
    expect(r.title).toBe('Feed added');
    expect((await getFeedByUrl(db, server.url('/policy.xml')))?.addedNote).toBe('slack T1 #C1 by U1');
    const bad = await runCommandText(deps(true), 'feed add ftp://files.example/feed', slack);
    expect(bad.title).toBe('Not a feed address');
    const page = await runCommandText(deps(true), `feed add ${server.url('/page.html')}`, slack);
    expect(page.title).toBe('Not a feed I can read');
    expect(replyText(page)).toContain('Nothing was saved.');
  });
});

describe('/digest feed remove', () => {
  it('removes a run-time feed, and refuses one from the config file', async () => {
    await syncFeedsFromConfig(
      db,
      [{ url: 'https://config.example/rss', fullText: 'auto' }],
      { intervalMs: 900_000 },
      NOW,
    );
    const d = deps(true);
    await run(d, { action: 'add', url: server.url('/policy.xml') });
    const slack = invocation({ platform: 'slack', workspace: 'T1', channel: 'C1' });
    const fromConfig = await runCommandText(d, 'feed remove https://config.example/rss', slack);
    expect(fromConfig.title).toBe('Set in the config file');
    const removed = await runCommandText(d, `feed remove ${server.url('/policy.xml')}`, slack);
    expect(removed.title).toBe('Feed removed');
    expect(removed.notices.map(plainLine)[0]).toContain('is no longer polled');
    expect((await listWatchedFeeds(db)).map((f) => f.url)).toEqual(['https://config.example/rss']);
    expect((await run(d, { action: 'remove', url: server.url('/policy.xml') })).title).toBe('No such feed');
  });
});

describe('a feed added from chat stays behind the guard', () => {
  it('is refused at every poll when its address is private, unless the config file lists it', async () => {
    // added while fetch.allowPrivateNetworks was on; it is off now
    t.db
      .prepare(
        `INSERT INTO feeds (url, interval_ms, next_poll_at, in_config, added_by, added_at, created_at)
       VALUES (?, 900000, 0, 0, 'chat', 0, 0)`,
      )
      .run(server.url('/policy.xml'));
    const fetcher = createFetcher({ ...TEST_FETCHER_OPTIONS, resolve });
    fetchers.push(fetcher);
    const pollDeps = {
      db: db,
      fetcher,
      parse: parseFeed,
      now: () => NOW,
      maxFailures: 10,
      maxBackoffMs: 86_400_000,
    };
    const [row] = await listWatchedFeeds(db);
    const before = server.requestsTo('/policy.xml').length;
    const outcome = await pollFeed(pollDeps, row!);
    expect(outcome.status).toBe('error');
    expect(outcome.status === 'error' && outcome.error.kind).toBe('blocked');
    expect(server.requestsTo('/policy.xml')).toHaveLength(before);

    // the operator vouches for it in the config file: trusted from then on
    await syncFeedsFromConfig(db, [{ url: row!.url, fullText: 'auto' }], { intervalMs: 900_000 }, NOW);
    const trusted = await pollFeed(pollDeps, (await listWatchedFeeds(db))[0]!);
    expect(trusted.status).toBe('ok');
  });
});
