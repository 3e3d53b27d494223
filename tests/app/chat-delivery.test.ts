import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { deliverPending, getDigest, getParts } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/log.js';
import { runSubscription } from '../../src/pipeline/digests.js';
import { pollAndIngest } from '../../src/pipeline/poll-cycle.js';
import { listFeeds } from '../../src/store/feeds.js';
import { getSubscription, listSubscriptions, type SubscriptionRow } from '../../src/store/subscriptions.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { storeSetting, type TempStore, tempStore } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { validateDiscordMessage, validateSlackMessage } from '../helpers/payload-validator.js';
import { maskedLinks, slackControlSequences } from '../render/inspect.js';

/**
 * The whole road from a feed to two chat platforms: a real app (config, store, poller, topics,
 * clustering, summarizer, composition, renderers, outbox and the real discord.js REST and Slack
 * WebClient senders) against loopback fakes of Discord and Slack.
 */

const GUILD = '1200000000000000001';
const DISCORD_CHANNEL = '1300000000000000001';
const SLACK_TEAM = 'T0FAKETEAM';
const SLACK_CHANNEL = 'C0DIGEST01';
const SLACK_THREAD = '1699999999.000100';
const HOSTILE = '@everyone **SALE** <!channel> <@U123> [click](http://evil.example) ||x||';
const HOUR = 3_600_000;

describe('digests delivered to Discord and Slack from a running app', () => {
  let server: FeedServer;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let dir: string;
  let store: TempStore;
  let app: App;
  let phase = 1;
  let discordSub: SubscriptionRow;
  let slackSub: SubscriptionRow;
  let discordDigest: number;
  let slackDigest: number;
  // The outbox clock: moved by hand to show what waits for a Retry-After.
  let now = Date.now();

  beforeAll(async () => {
    discord = await new FakeDiscord().start();
    slack = await new FakeSlack().start();
    server = await startFeedServer();
    server.route(
      '/wire.xml',
      serve('Wire', () => (phase === 1 ? [backlog('wire')] : wireItems(server))),
    );
    server.route(
      '/ledger.xml',
      serve('Ledger', () => (phase === 1 ? [backlog('ledger')] : ledgerItems())),
    );
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-chat-'));
    // The store on the backend WATCHDESK_TEST_DB picks: a SQLite file, or a PostgreSQL schema of its own.
    store = await tempStore();
    const sub = { topics: 'all', schedule: 'daily 09:00', timezone: 'Europe/Berlin', maxItems: 60 };
    const file = writeBeatConfig(dir, {
      feeds: [
        { name: 'Wire Service', url: server.url('/wire.xml') },
        { name: 'Ledger Daily', url: server.url('/ledger.xml') },
      ],
      extra: {
        store: storeSetting(store.location),
        subscriptions: [
          { platform: 'discord', workspace: GUILD, channel: DISCORD_CHANNEL, ...sub },
          { platform: 'slack', workspace: SLACK_TEAM, channel: SLACK_CHANNEL, thread: SLACK_THREAD, ...sub },
        ],
      },
    });
    const config = loadConfig({
      file,
      env: { secrets: { discordToken: discord.token, slackBotToken: slack.token } },
    });
    app = await createApp(config, {
      log: silentLogger,
      discordApiUrl: discord.restApi,
      slackApiUrl: slack.slackApiUrl,
    });
    const subs = await listSubscriptions(app.db, { activeOnly: true });
    discordSub = subs.find((s) => s.platform === 'discord')!;
    slackSub = subs.find((s) => s.platform === 'slack')!;
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), discord?.stop(), slack?.stop()]);
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = () =>
    deliverPending({ ...app.deliverDeps, now: () => now, backoff: { baseMs: 5_000, maxMs: 60_000 } });
  const feeds = async () => (await listFeeds(app.db)).filter((f) => f.inConfig);
  const cursor = async (id: number) => (await getSubscription(app.db, id))!.cursor;

  it('ingests a backlog silently, then composes both digests into the outbox without moving a cursor', async () => {
    expect(app.senders.discord).toBeDefined();
    expect(app.senders.slack).toBeDefined();
    await pollAndIngest(app, await feeds());
    phase = 2;
    const reports = await pollAndIngest(app, await feeds());
    expect(reports.every((r) => r.status === 'ok')).toBe(true);
    // the hostile title survives ingest as feed text, so the rest of the test is about escaping it
    const hostile = (await app.db.value<string>("SELECT title FROM items WHERE guid = 'wire-hostile'"))!;
    expect(hostile).toContain('<!channel>');
    expect(hostile).toContain('<@U123>');

    const d = await runSubscription(app.digestDeps, discordSub);
    const s = await runSubscription(app.digestDeps, slackSub);
    if (d.status !== 'enqueued' || s.status !== 'enqueued') throw new Error(`not enqueued: ${d.status} ${s.status}`);
    discordDigest = d.digestId;
    slackDigest = s.digestId;
    expect(d.stories).toBe(STORIES + 1);
    expect(s.stories).toBe(STORIES + 1);
    expect(d.parts).toBeGreaterThanOrEqual(3);
    expect(s.parts).toBeGreaterThanOrEqual(3);
    expect(await cursor(discordSub.id)).toBe(discordSub.cursor);
    expect(await cursor(slackSub.id)).toBe(slackSub.cursor);
    expect((await getDigest(app.db, d.digestId))!.cursorTo).toBeGreaterThan(discordSub.cursor);
  });

  it('Discord: a failed last part holds the cursor; every part then arrives once, in order, labelled and safe', async () => {
    const n = (await getParts(app.db, discordDigest)).length;
    discord.failNext({ kind: 'server_error', status: 503 }, { when: (b) => String(b.content).includes(`(${n}/${n})`) });
    slack.failNext({ kind: 'ratelimited', retryAfterSec: 30 }, { when: (a) => headerOf(a).includes(`(2/`) });

    await deliver();
    expect(discord.messagesIn(DISCORD_CHANNEL)).toHaveLength(n - 1);
    expect((await getDigest(app.db, discordDigest))!.status).toBe('pending');
    expect(await cursor(discordSub.id)).toBe(discordSub.cursor);

    now += 5_001; // past the first backoff step, not yet past Slack's Retry-After
    await deliver();
    const posts = discord.messagePosts(DISCORD_CHANNEL).map((r) => r.body);
    const created = discord.messagesIn(DISCORD_CHANNEL);
    expect(created).toHaveLength(n);
    expect(posts).toHaveLength(n + 1); // the 503 attempt, then its retry
    expect((await getDigest(app.db, discordDigest))!.status).toBe('delivered');
    expect(await cursor(discordSub.id)).toBe((await getDigest(app.db, discordDigest))!.cursorTo);

    const stored = await getParts(app.db, discordDigest);
    created.forEach((m, i) => {
      const body = m.body;
      expect(validateDiscordMessage(body)).toEqual([]);
      expect(String(body.content)).toContain(`(${i + 1}/${n})`);
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(body.enforce_nonce).toBe(true);
      expect(body.nonce).toBe(stored[i]!.nonce);
      expect(stored[i]!.platformMessageId).toBe(m.id);
    });
    expect(new Set(created.map((m) => m.body.nonce)).size).toBe(n);

    const strings = created.flatMap((m) => discordStrings(m.body));
    const all = strings.join('\n');
    // the hostile title is shown, defused: mentions broken by a zero-width space, markdown escaped
    expect(all).toContain('@\u200beveryone \\*\\*SALE\\*\\*');
    expect(all).toContain('\\|\\|x\\|\\|');
    expect(all).not.toMatch(/@(everyone|here)/);
    expect(all).not.toMatch(/<[@#/]/);
    // Slack's syntax means nothing to Discord; escaped, it shows as typed
    expect(all).not.toMatch(/(?<!\\)<!channel/);
    expect(all).not.toContain('||x||');
    expect(all).not.toMatch(/(?<!\\)\*\*SALE/);
    expect(strings.flatMap(maskedLinks).filter((l) => l.url.includes('evil.example'))).toEqual([]);
    expect(created.flatMap((m) => m.body.embeds.map((e: { url?: string }) => e.url ?? ''))).not.toContainEqual(
      expect.stringContaining('evil.example'),
    );
    // every story once, across the parts
    const titles = created.flatMap((m) =>
      m.body.embeds.filter((e: { url?: string }) => e.url).map((e: { url: string }) => e.url),
    );
    expect(new Set(titles).size).toBe(STORIES + 1);
    expect(titles).toHaveLength(STORIES + 1);
    // the story both outlets told lists the other outlet with its own link
    expect(all).toContain(`[Ledger Daily](${LEDGER_TWIN_URL})`);
  });

  it('Slack: a 429 mid-digest makes the rest wait for Retry-After, then they go, none lost or repeated', async () => {
    const n = (await getParts(app.db, slackDigest)).length;
    // part 1 went in the first pass; part 2 met the 429; nothing behind it has moved since
    expect(slack.postsIn(SLACK_CHANNEL)).toHaveLength(1);
    const waiting = await getParts(app.db, slackDigest);
    expect(waiting.map((p) => p.status)).toEqual(['sent', ...Array(n - 1).fill('pending')]);
    expect(waiting[1]!.lastError).toMatch(/rate limit/i);
    expect(waiting[2]!.attempts).toBe(0);
    expect(await cursor(slackSub.id)).toBe(slackSub.cursor);

    await deliver(); // still inside the 30 s the platform asked for
    expect(slack.postsIn(SLACK_CHANNEL)).toHaveLength(1);

    now += 30_000;
    await deliver();
    const posts = slack.postsIn(SLACK_CHANNEL);
    expect(posts).toHaveLength(n);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(n + 1);
    expect((await getDigest(app.db, slackDigest))!.status).toBe('delivered');
    expect(await cursor(slackSub.id)).toBe((await getDigest(app.db, slackDigest))!.cursorTo);

    const stored = await getParts(app.db, slackDigest);
    posts.forEach((p, i) => {
      expect(validateSlackMessage({ text: p.text, blocks: p.blocks })).toEqual([]);
      expect(p.threadTs).toBe(SLACK_THREAD);
      expect(p.blocks?.[0]?.text?.text).toContain(`(${i + 1}/${n})`);
      expect(p.text).toContain(`(${i + 1}/${n})`);
      expect(stored[i]!.platformMessageId).toBe(p.ts);
    });
    const texts = posts.flatMap((p) => slackStrings(p));
    const all = texts.join('\n');
    expect(all).not.toMatch(/@(everyone|here|channel)/);
    expect(all).toContain('&lt;!channel&gt;');
    // the only control sequences are the links we built to the stories
    const sequences = texts.flatMap(slackControlSequences);
    expect(sequences.length).toBeGreaterThan(STORIES);
    for (const seq of sequences) expect(seq).toMatch(/^https?:\/\/(127\.0\.0\.1:\d+|wire\.example|ledger\.example)\//);
    const links = new Set(sequences.filter((q) => q.includes('/story/')).map((q) => q.split('|')[0]));
    expect(links.size).toBe(STORIES + 1);
  });

  it('nothing is composed again: both subscriptions are caught up', async () => {
    for (const sub of [discordSub, slackSub]) {
      expect(await runSubscription(app.digestDeps, (await getSubscription(app.db, sub.id))!)).toEqual({
        status: 'empty',
      });
    }
    expect(await app.db.value('SELECT count(*) FROM digests')).toBe(2);
  });
});

// ---------------------------------------------------------------------------- feeds

/** On-topic stories, each about its own case, so that none of them cluster together. */
const STORIES = 48;
const LEDGER_TWIN_URL = 'https://ledger.example/2026/kestrel-section-230-appeal';

const FIRMS = [
  'Kestrel',
  'Mosaic',
  'Tundra',
  'Juniper',
  'Orchid',
  'Basalt',
  'Lantern',
  'Quarry',
  'Saffron',
  'Vesper',
  'Willow',
  'Zephyr',
  'Amber',
  'Cobalt',
  'Dynamo',
  'Ember',
  'Falcon',
  'Garnet',
  'Harbor',
  'Indigo',
  'Jasper',
  'Krypton',
  'Lotus',
  'Meridian',
  'Nimbus',
  'Onyx',
  'Pebble',
  'Quill',
  'Rook',
  'Sable',
  'Topaz',
  'Umber',
  'Violet',
  'Walnut',
  'Xenon',
  'Yarrow',
];
const PLACES = [
  'Ohio',
  'Oregon',
  'Nevada',
  'Maine',
  'Utah',
  'Texas',
  'Iowa',
  'Idaho',
  'Vermont',
  'Alaska',
  'Kansas',
  'Georgia',
];
const TOPICS = [
  (f: string, p: string) => `${p} appeals panel rejects ${f} bid for Section 230 immunity in defamation fight`,
  (f: string, p: string) => `${f} fined by Ofcom under the Online Safety Act after ${p} users report scams`,
  (f: string, p: string) => `Brussels opens Digital Services Act probe of ${f} marketplace over ${p} counterfeit toys`,
  (f: string, p: string) => `${p} lawmakers cite Kids Online Safety Act as ${f} changes teen feed defaults`,
];
const SUBJECTS = [
  'drone parts',
  'ticket resale',
  'tutoring videos',
  'recipe forums',
  'fitness trackers',
  'podcast ads',
  'rental listings',
  'crypto wallets',
  'vintage cameras',
  'garden tools',
  'language apps',
  'pet adoption',
];

function story(i: number) {
  const round = Math.floor(i / FIRMS.length);
  const firm = `${FIRMS[i % FIRMS.length]!}${round > 0 ? ' Labs' : ''}`;
  const place = PLACES[(i + 5 * round) % PLACES.length]!;
  const title = TOPICS[i % TOPICS.length]!(firm, place);
  const subject = SUBJECTS[(i * 5) % SUBJECTS.length]!;
  return {
    guid: `wire-${i}`,
    title,
    link: `https://wire.example/story/${firm.toLowerCase().replace(' ', '-')}`,
    date: new Date(Date.now() - (i + 1) * 600_000).toISOString(),
    text: `${title}. The dispute concerns ${subject} sold or promoted by ${firm} to people in ${place}. ${firm} said it would respond in writing.`,
  };
}

function wireItems(server: FeedServer) {
  const hostile = {
    guid: 'wire-hostile',
    // Entity-encoded, as a feed carries text: after ingest decodes it, the title holds the raw sequences.
    title: `${asHtmlText(HOSTILE)} Section 230 shield tested by flash-sale scam victims`,
    link: server.url('/story/hostile'),
    date: new Date(Date.now() - 2 * HOUR).toISOString(),
    text: asHtmlText(
      'Victims of a flash-sale scam argue Section 230 does not protect the app that ran the ads. @here <@&42> [more](http://evil.example/x)',
    ),
  };
  return [hostile, ...Array.from({ length: STORIES }, (_, i) => story(i)), backlog('wire')];
}

/** The second outlet tells the first wire story in its own words, so it is one story with two outlets. */
function ledgerItems() {
  const first = story(0);
  return [
    {
      guid: 'ledger-kestrel',
      title: 'Ohio appeals panel rejects Kestrel bid for Section 230 immunity in defamation fight, court says',
      link: LEDGER_TWIN_URL,
      date: new Date(Date.now() - 500_000).toISOString(),
      text: first.text,
    },
    backlog('ledger'),
  ];
}

function asHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function backlog(feed: string) {
  return {
    guid: `${feed}-backlog`,
    title: `${feed} backlog: an older Section 230 explainer`,
    link: `https://${feed}.example/backlog`,
    date: new Date(Date.now() - 48 * HOUR).toISOString(),
    text: 'An explainer on the history of Section 230 published last week.',
  };
}

function serve(name: string, items: () => Parameters<typeof rss>[1]) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(name, items()));
  };
}

// --------------------------------------------------------------------------- inspect

// biome-ignore lint/suspicious/noExplicitAny: a posted body
function discordStrings(body: any): string[] {
  return [
    body.content ?? '',
    // biome-ignore lint/suspicious/noExplicitAny: embeds as posted
    ...body.embeds.flatMap((e: any) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      // biome-ignore lint/suspicious/noExplicitAny: fields as posted
      ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value]),
    ]),
  ].filter(Boolean);
}

function slackStrings(p: { text?: string; blocks?: unknown[] }): string[] {
  const out = [p.text ?? ''];
  // biome-ignore lint/suspicious/noExplicitAny: blocks as posted
  for (const b of (p.blocks ?? []) as any[]) {
    if (b.text?.text) out.push(b.text.text);
    for (const el of b.elements ?? []) out.push(el.text);
    for (const f of b.fields ?? []) out.push(f.text);
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: chat.postMessage arguments
function headerOf(args: Record<string, any>): string {
  const blocks = Array.isArray(args.blocks) ? args.blocks : [];
  return String(blocks[0]?.text?.text ?? '');
}
