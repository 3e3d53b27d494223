import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedAddress, Resolver } from '../../src/feeds/address-guard.js';
import { createFetcher, type Fetcher } from '../../src/feeds/fetch.js';
import { FetchError } from '../../src/feeds/fetch-errors.js';
import { type BlockedRange, blockedRange } from '../../src/feeds/private-address.js';
import { type FeedServer, BUILT_IN_PATHS as P, startFeedServer, TEST_FETCHER_OPTIONS } from '../helpers/feed-server.js';

/**
 * Issue 13: a URL typed in chat must not make the bot fetch from its own machine, its networks or a cloud
 * metadata service, by a literal address in any spelling, a redirect, or a DNS name (rebinding included). No
 * request here ever leaves loopback: a refused address is refused before a socket opens, and the only server
 * that could answer is the loopback feed server, whose request log shows it was never reached.
 */
describe('blockedRange', () => {
  const cases: [string, BlockedRange | null][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.3.4', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private network'],
    ['172.16.0.1', 'private network'],
    ['172.31.255.254', 'private network'],
    ['192.168.1.1', 'private network'],
    ['::ffff:192.168.1.1', 'private network'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['fd12:3456::1', 'IPv6 unique local'],
    ['fc00::1', 'IPv6 unique local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    // the IPv4 inside NAT64 and 6to4 addresses is judged as itself
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['2002:a00:1::', 'private network'],
    // public
    ['8.8.8.8', null],
    ['93.184.216.34', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
    ['64:ff9b::808:808', null],
    ['not-an-address', null],
  ];
  it.each(cases)('%s → %s', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });
});

describe('untrusted fetches refuse private addresses', () => {
  let server: FeedServer;
  let fetcher: Fetcher;
  let lookups: string[];
  /** Names the tests resolve; a function answers differently on each look-up (rebinding). */
  let answers: Record<string, string[] | ((n: number) => string[])>;

  const resolve: Resolver = async (host) => {
    lookups.push(host);
    const a = answers[host];
    const list = typeof a === 'function' ? a(lookups.filter((h) => h === host).length) : a;
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  beforeAll(async () => {
    server = await startFeedServer();
    fetcher = createFetcher({ ...TEST_FETCHER_OPTIONS, resolve });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  async function refusal(f: Fetcher, url: string): Promise<FetchError> {
    const before = server.requests.length;
    const err = await f.fetch({ url, untrusted: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FetchError);
    expect(server.requests.length).toBe(before);
    return err as FetchError;
  }

  const literal: [string, string][] = [
    ['loopback', `http://127.0.0.1:PORT${P.rss}`],
    ['loopback', `http://2130706433:PORT${P.rss}`],
    ['loopback', `http://0177.0.0.1:PORT${P.rss}`],
    ['loopback', `http://0x7f.0.0.1:PORT${P.rss}`],
    ['loopback', `http://127.1:PORT${P.rss}`],
    ['loopback', `http://[::1]:PORT${P.rss}`],
    ['loopback', `http://[::ffff:127.0.0.1]:PORT${P.rss}`],
    ['unspecified', `http://0.0.0.0:PORT${P.rss}`],
    ['private network', 'http://10.0.0.5/feed.xml'],
    ['private network', 'http://012.0.0.5/feed.xml'],
    ['private network', 'http://172.16.0.1/feed.xml'],
    ['private network', 'http://3232235777/feed.xml'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['cloud metadata', 'http://0xa9fea9fe/latest/meta-data/'],
    ['link-local', 'http://169.254.10.10/'],
    ['link-local', 'http://[fe80::1]/'],
    ['carrier-grade NAT', 'http://100.64.0.1/'],
    ['IPv6 unique local', 'http://[fd12:3456::1]/'],
  ];
  it.each(literal)('refuses a literal %s address: %s', async (range, url) => {
    const err = await refusal(fetcher, url.replace('PORT', String(server.port)));
    expect(err.kind).toBe('blocked');
    expect(err.message).toContain(`${range} address`);
    expect(err.message).toContain('fetch.allowPrivateNetworks: true');
  });

  it('refuses a name that resolves to a private, metadata or ULA address, or to one private among public ones', async () => {
    answers = {
      'intranet.example': ['10.20.30.40'],
      'metadata.example': ['169.254.169.254'],
      'ula.example': ['fd00::5'],
      'cgnat.example': ['100.100.1.1'],
      'mixed.example': ['93.184.216.34', '127.0.0.1'],
    };
    lookups = [];
    for (const [host, range] of [
      ['intranet.example', 'private network'],
      ['metadata.example', 'cloud metadata'],
      ['ula.example', 'IPv6 unique local'],
      ['cgnat.example', 'carrier-grade NAT'],
      ['mixed.example', 'loopback'],
    ] as const) {
      const err = await refusal(fetcher, `http://${host}:${server.port}${P.rss}`);
      expect(err.kind).toBe('blocked');
      expect(err.message).toContain(`${host} resolves to`);
      expect(err.message).toContain(`${range} address`);
    }
  });

  it('refuses a rebinding name at connect time: public when first looked up, loopback when the socket opens', async () => {
    answers = { 'rebind.example': (n) => (n === 1 ? ['93.184.216.34'] : ['127.0.0.1']) };
    lookups = [];
    const err = await refusal(fetcher, `http://rebind.example:${server.port}${P.rss}`);
    expect(err.kind).toBe('blocked');
    expect(err.message).toContain('rebind.example resolves to 127.0.0.1, a loopback address');
    // the first look-up (before the request) passed; the connect hook's own look-up refused
    expect(lookups).toEqual(['rebind.example', 'rebind.example']);
  });

  it('refuses a redirect to a private address, by literal or by name, after fetching the public first hop', async () => {
    // The loopback feed server stands in for a public site: this fetcher exempts exactly its address, so every
    // other loopback address (127.0.0.2, ::1) is still refused by the real table.
    const onlyServer = createFetcher({
      ...TEST_FETCHER_OPTIONS,
      resolve,
      blockedRange: (a) => (a === '127.0.0.1' ? null : blockedRange(a)),
    });
    answers = { 'internal.example': ['192.168.0.10'] };
    const targets: [string, string][] = [
      ['cloud metadata', 'http://169.254.169.254/latest/meta-data/iam/'],
      ['loopback', `http://127.0.0.2:${server.port}${P.rss}`],
      ['loopback', `http://[::1]:${server.port}${P.rss}`],
      ['private network', 'http://internal.example/admin'],
    ];
    try {
      for (const [i, [range, to]] of targets.entries()) {
        server.route(`/hop/${i}`, { status: 302, headers: { location: to } });
        const err = await onlyServer.fetch({ url: server.url(`/hop/${i}`), untrusted: true }).then(
          () => null,
          (e: unknown) => e as FetchError,
        );
        expect(err?.kind).toBe('blocked');
        expect(err?.message).toContain(`${range} address`);
        expect(server.requestsTo(`/hop/${i}`)).toHaveLength(1);
      }
      // the exemption is real: the server itself answers through the guarded pool
      const ok = await onlyServer.fetch({ url: server.url(P.rss), untrusted: true });
      expect(ok.status).toBe(200);
    } finally {
      await onlyServer.close();
    }
  });

  it('lets trusted fetches (config, CLI, OPML feeds) reach loopback as before', async () => {
    const res = await fetcher.fetch({ url: server.url(P.rss) });
    expect(res.status).toBe(200);
  });

  it('with fetch.allowPrivateNetworks an untrusted fetch reaches the loopback feed server', async () => {
    const open = createFetcher({ ...TEST_FETCHER_OPTIONS, resolve, allowPrivateNetworks: true });
    try {
      const res = await open.fetch({ url: server.url(P.rss), untrusted: true });
      expect(res.status).toBe(200);
      expect(res.body).toContain('<rss');
    } finally {
      await open.close();
    }
  });

  it('says a name that does not resolve is a DNS problem, not a refusal', async () => {
    answers = {};
    const err = await refusal(fetcher, 'http://nowhere.example/feed.xml');
    expect(err.kind).toBe('dns');
  });
});
