import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { deliverPending } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/log.js';
import { runSubscription } from '../../src/pipeline/digests.js';
import { pollAndIngest } from '../../src/pipeline/poll-cycle.js';
import { listFeeds } from '../../src/store/feeds.js';
import { getSubscription, listSubscriptions } from '../../src/store/subscriptions.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { storeSetting, type TempStore, tempStore } from '../helpers/db.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';

const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR).toISOString();

// Our own synthetic reporting: one event told by two outlets, one off-topic item, then a second event.
const hotelA = {
  guid: 'a-1',
  title: 'Appeals court revives trafficking survivors’ lawsuit against hotel booking platform',
  link: 'https://alpha.example/news/hotel-platform-lawsuit',
  date: at(30),
  text:
    'A federal appeals court on Monday revived a lawsuit by survivors of sex trafficking against a hotel booking ' +
    'platform, holding that Section 230 does not bar claims under the Trafficking Victims Protection Act when the ' +
    'platform profited from rooms it knew were used for exploitation. The panel sent the case back to the district court.',
};
const hotelB = {
  guid: 'b-1',
  title: 'Hotel booking platform must face sex trafficking lawsuit, appeals court rules',
  link: 'https://beta.example/2026/hotel-booking-platform-trafficking-suit',
  date: at(29),
  text:
    'A hotel booking platform must face a lawsuit brought by sex trafficking survivors, an appeals court ruled on ' +
    'Monday, rejecting the company’s argument that Section 230 immunity shields it from claims under the federal ' +
    'trafficking law. The survivors say the platform ignored repeated warnings.',
};
const bakery = {
  guid: 'a-2',
  title: 'Neighbourhood bakery wins regional sourdough prize',
  link: 'https://alpha.example/news/sourdough-prize',
  date: at(20),
  text: 'A family bakery took first place at the regional bread fair on Saturday with a rye sourdough.',
};
const ofcomA = {
  guid: 'a-3',
  title: 'Ofcom opens Online Safety Act investigation into file-sharing service',
  link: 'https://alpha.example/news/ofcom-file-sharing',
  date: at(2),
  text:
    'Ofcom has opened an investigation under the Online Safety Act into a file-sharing service over its failure ' +
    'to assess the risk of illegal content, the regulator said on Thursday.',
};
const ofcomB = {
  guid: 'b-2',
  title: 'File-sharing service faces Ofcom investigation under Online Safety Act',
  link: 'https://beta.example/2026/ofcom-file-sharing-investigation',
  date: at(1),
  text:
    'The UK regulator Ofcom is investigating a file-sharing service under the Online Safety Act, saying it did not ' +
    'carry out an illegal content risk assessment.',
};

describe('pipeline: poll → store → classify → cluster → summarize → digest → console', () => {
  let server: FeedServer;
  let dir: string;
  let store: TempStore;
  let app: App;
  let out: PassThrough;
  let printed = '';
  let phase = 1;

  beforeAll(async () => {
    server = await startFeedServer();
    const serve =
      (name: string, items: () => object[]) =>
      (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
        const etag = `"${name}-${phase}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(rss(name, items() as never));
      };
    server.route(
      '/alpha.xml',
      serve('Alpha', () => (phase === 1 ? [hotelA, bakery] : [ofcomA, hotelA, bakery])),
    );
    server.route(
      '/beta.xml',
      serve('Beta', () => (phase === 1 ? [hotelB] : [ofcomB, hotelB])),
    );
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-pipeline-'));
    // The store on the backend WATCHDESK_TEST_DB picks: a SQLite file, or a PostgreSQL schema of its own.
    store = await tempStore();
    const file = writeBeatConfig(dir, {
      feeds: [
        { name: 'Alpha News', url: server.url('/alpha.xml') },
        { name: 'Beta Times', url: server.url('/beta.xml') },
      ],
      extra: { store: storeSetting(store.location) },
    });
    out = new PassThrough();
    out.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    app = await createApp(loadConfig({ file, env: { secrets: {} } }), { log: silentLogger, consoleOut: out });
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const feeds = async () => (await listFeeds(app.db)).filter((f) => f.inConfig);
  const item = async (guid: string) =>
    (await app.db.get<{
      id: number;
      story_id: number;
      summary: string | null;
      summary_method: string | null;
      announced: number;
    }>('SELECT id, story_id, summary, summary_method, announced FROM items WHERE guid = ?', [guid]))!;
  const topicsOf = (id: number) =>
    app.db.column<string>('SELECT topic FROM item_topics WHERE item_id = ? ORDER BY topic', [id]);

  it('first poll stores, classifies and clusters every item and summarizes those on a topic, announcing none', async () => {
    const reports = await pollAndIngest(app, await feeds());
    expect(reports.map((r) => [r.status, r.firstPoll, r.newItems])).toEqual([
      ['ok', true, 2],
      ['ok', true, 1],
    ]);
    const a = await item('a-1');
    const b = await item('b-1');
    expect(await topicsOf(a.id)).toEqual(expect.arrayContaining(['platform-liability', 'trafficking-law']));
    expect(await topicsOf((await item('a-2')).id)).toEqual([]);
    expect(a.story_id).toBe(b.story_id);
    expect((await item('a-2')).story_id).not.toBe(a.story_id);
    for (const guid of ['a-1', 'b-1']) expect((await item(guid)).summary?.length).toBeGreaterThan(20);
    // off the beat: searchable and in a story of its own, its summary deferred until a digest could need it
    expect(await item('a-2')).toMatchObject({ summary: null, summary_method: 'deferred' });
    for (const guid of ['a-1', 'a-2', 'b-1']) expect((await item(guid)).announced).toBe(0);
    const announced = await app.db.value('SELECT count(*) FROM stories WHERE announce_seq IS NOT NULL');
    expect(announced).toBe(0);
  });

  it('second poll gets 304 Not Modified from every feed and stores nothing', async () => {
    const before = await app.db.value('SELECT count(*) FROM items');
    const reports = await pollAndIngest(app, await feeds());
    expect(reports.map((r) => r.status)).toEqual(['not_modified', 'not_modified']);
    expect(await app.db.value('SELECT count(*) FROM items')).toBe(before);
  });

  it('announces what arrives later, and the digest holds only that, with both outlets', async () => {
    phase = 2;
    const reports = await pollAndIngest(app, await feeds());
    expect(reports.map((r) => [r.status, r.newItems, r.announced])).toEqual([
      ['ok', 1, 1],
      ['ok', 1, 1],
    ]);
    expect((await item('a-3')).story_id).toBe((await item('b-2')).story_id);
    expect(await topicsOf((await item('a-3')).id)).toContain('uk-osa');

    const sub = (await listSubscriptions(app.db, { activeOnly: true }))[0]!;
    const run = await runSubscription(app.digestDeps, sub);
    expect(run).toMatchObject({ status: 'enqueued', stories: 1 });
    const delivered = await deliverPending(app.deliverDeps);
    expect(delivered.sent).toBe(1);
    expect(printed).toContain('Online Safety Act');
    expect(printed).toContain('Beta Times');
    expect(printed).toContain('Alpha News');
    expect(printed).not.toContain('Hotel booking platform must face');
    expect(printed).not.toContain('sourdough');
    // the cursor moved with the confirmed delivery, so the next run has nothing new
    const after = (await getSubscription(app.db, sub.id))!;
    expect(after.cursor).toBeGreaterThan(sub.cursor);
    expect(after.lastDigestAt).not.toBeNull();
    expect(await runSubscription(app.digestDeps, after)).toEqual({ status: 'empty' });
  });
});
