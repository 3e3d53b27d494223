import { afterEach, describe, expect, it } from 'vitest';
import { getParts } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/log.js';
import { runSubscription } from '../../src/pipeline/digests.js';
import { insertNewItems, setItemSummary, setItemTopics } from '../../src/store/items.js';
import { getSubscription, upsertSubscription } from '../../src/store/subscriptions.js';
import { tempDb } from '../helpers/db.js';
import { validateSlackMessage } from '../helpers/payload-validator.js';
import { assignStory } from '../helpers/place-story.js';

const HOUR = 3_600_000;
const config = {
  bot: { name: 'watchdesk', url: 'https://example.org' },
  topics: {
    'eu-dsa': { name: 'EU DSA', query: '"Digital Services Act"' },
    'uk-osa': { name: 'UK OSA', query: '"Online Safety Act"' },
  },
};

describe('runSubscription', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.close());

  async function setup(skipEmpty: boolean, platform: 'console' | 'discord' | 'slack' = 'console') {
    t = tempDb();
    const db = t.sql;
    const feedId = Number(
      await db.value(
        "INSERT INTO feeds (url, name, interval_ms, created_at) VALUES ('https://f.example/rss', 'Feed', 900000, 0) RETURNING id",
      ),
    );
    const subId = await upsertSubscription(
      db,
      {
        platform,
        workspace: platform === 'console' ? '' : 'W1',
        channel: 'C1',
        topics: ['eu-dsa'],
        schedule: 'hourly',
        timezone: 'UTC',
        mode: 'digest',
        maxItems: 10,
        minScore: 0,
      },
      { source: 'config', now: Date.now() },
    );
    const add = async (guid: string, title: string, topic: string | null) => {
      const [item] = await insertNewItems(
        db,
        feedId,
        [
          {
            id: guid,
            url: `https://f.example/${guid}`,
            title,
            published: new Date().toISOString(),
            publishedEstimated: false,
            author: null,
            categories: [],
            content: title,
            enclosures: [],
          },
        ],
        { now: Date.now(), announced: true },
      );
      await setItemTopics(
        db,
        item!.itemId,
        topic ? [{ topic, score: 0.6, hits: [{ term: 't', field: 'title', count: 1 }], explanation: 't' }] : [],
      );
      await setItemSummary(db, item!.itemId, {
        text: `${title}.`,
        sentences: [title],
        method: 'extractive',
        note: null,
      });
      await assignStory(
        db,
        { itemId: item!.itemId, title, lead: title, publishedAt: Date.now(), announced: true },
        { now: Date.now(), windowMs: 72 * HOUR, threshold: 0.5 },
      );
    };
    const deps = {
      db: db,
      config: { ...config, digest: { skipEmpty } },
      now: () => Date.now(),
      log: silentLogger,
    };
    return { db, subId, add, deps };
  }

  it('skips an empty digest by default and moves the cursor past stories it does not want', async () => {
    const { db, subId, add, deps } = await setup(true);
    await add('osa', 'Ofcom fines a forum under the Online Safety Act', 'uk-osa');
    await add('noise', 'Weather turns cold', null);
    const before = (await getSubscription(db, subId))!;
    expect(await runSubscription(deps, before)).toEqual({ status: 'empty' });
    expect((await getSubscription(db, subId))!.cursor).toBeGreaterThan(before.cursor);
    expect(await db.value('SELECT count(*) FROM digests')).toBe(0);
  });

  it('sends a "nothing new" digest when skipEmpty is off, holding the cursor until delivery', async () => {
    const { db, subId, deps } = await setup(false);
    const r = await runSubscription(deps, (await getSubscription(db, subId))!);
    expect(r).toMatchObject({ status: 'enqueued', stories: 0, parts: 1 });
    if (r.status !== 'enqueued') return;
    expect(String((await getParts(db, r.digestId))[0]!.payload)).toMatch(/nothing new/i);
  });

  it('never sends "nothing new" to an instant subscription, even with skipEmpty off', async () => {
    const { db, add, deps } = await setup(false);
    const instant = await upsertSubscription(
      db,
      {
        platform: 'console',
        workspace: '',
        channel: 'alerts',
        topics: ['eu-dsa'],
        schedule: 'hourly',
        timezone: 'UTC',
        mode: 'instant',
        maxItems: 10,
        minScore: 0,
      },
      { source: 'config', now: Date.now() },
    );
    await add('osa', 'Ofcom fines a forum under the Online Safety Act', 'uk-osa');
    expect(await runSubscription(deps, (await getSubscription(db, instant))!)).toEqual({ status: 'empty' });
    expect(await db.value('SELECT count(*) FROM digests')).toBe(0);
    await add('dsa', 'Commission opens Digital Services Act case', 'eu-dsa');
    expect(await runSubscription(deps, (await getSubscription(db, instant))!)).toMatchObject({
      status: 'enqueued',
      stories: 1,
    });
  });

  it('renders the payloads for the subscription platform into the outbox', async () => {
    const { db, subId, add, deps } = await setup(true, 'slack');
    await add('dsa', 'Commission opens Digital Services Act case', 'eu-dsa');
    const cursor = (await getSubscription(db, subId))!.cursor;
    const r = await runSubscription(deps, (await getSubscription(db, subId))!);
    expect(r).toMatchObject({ status: 'enqueued', stories: 1 });
    if (r.status !== 'enqueued') return;
    const payload = JSON.parse(String((await getParts(db, r.digestId))[0]!.payload));
    expect(validateSlackMessage(payload)).toEqual([]);
    expect(payload.blocks.length).toBeGreaterThan(1);
    expect(JSON.stringify(payload)).toContain('Digital Services Act case');
    // the reservation is in the outbox; the cursor itself waits for the delivery
    expect((await getSubscription(db, subId))!.cursor).toBe(cursor);
  });
});
