import type { SubscriptionConfig } from '../../src/config/schema.js';
import { deliverPending, enqueueDigest } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/log.js';
import { getFeedByUrl, recordPollFailure, recordPollSuccess, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { insertNewItems, setItemTopics } from '../../src/store/items.js';
import type { Sql } from '../../src/store/sql.js';
import { upsertSubscription } from '../../src/store/subscriptions.js';
import { storeNewStory } from './place-story.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const HOSTILE_TITLE = '<script>alert(1)</script>';

/** Feeds on a port nobody listens on, each due only in an hour, so a running bot leaves them be. */
export function statusFeeds(base = 'http://127.0.0.1:9') {
  return [
    { name: 'Harbor Tech Review', url: `${base}/harbor.xml`, fullText: 'never' as const },
    { name: 'Justice Wire', url: `${base}/justice.xml`, fullText: 'never' as const },
    { name: 'Flaky Gazette', url: `${base}/flaky.xml`, fullText: 'never' as const },
    { name: 'Gone Daily', url: `${base}/gone.xml`, fullText: 'never' as const },
  ];
}

/** Stories per day for eu-dsa, oldest (13 days ago) first; child-safety gets one story today. */
export const DSA_PER_DAY = [0, 1, 0, 2, 0, 0, 3, 0, 1, 0, 0, 2, 0, 1];

export interface StatusFixture {
  paused: { id: number; platform: 'discord' };
  running: { id: number };
  deadDigestId: number;
}

/**
 * Fills a store as a bot that has run for two weeks would leave it, through the store's own
 * functions: feeds ok, failing and disabled; eu-dsa stories spread over 14 days (one of them
 * titled with a script tag); a Discord subscription with no token (paused) whose digest part
 * died in real delivery; and a console subscription that runs.
 */
export async function fillStatusStore(db: Sql, now: number, feeds = statusFeeds()): Promise<StatusFixture> {
  await syncFeedsFromConfig(db, feeds, { intervalMs: 15 * 60_000 }, now - 14 * DAY);
  const ids: number[] = [];
  for (const f of feeds) ids.push((await getFeedByUrl(db, f.url))!.id);
  const [harbor, justice, flaky, gone] = ids as [number, number, number, number];
  for (const id of [harbor, justice]) {
    await recordPollSuccess(db, id, { now, nextPollAt: now + HOUR, etag: null, lastModified: null });
  }
  await recordPollFailure(db, flaky, {
    now,
    nextPollAt: now + HOUR,
    kind: 'http_status',
    message: 'the server answered 503 Service Unavailable; it may be down for a while',
    state: 'failing',
  });
  await recordPollFailure(db, gone, {
    now,
    nextPollAt: now + HOUR,
    kind: 'dns',
    message: 'cannot resolve host gone.example: the host name does not resolve; check the URL for typos',
    state: 'disabled',
  });

  let n = 0;
  const story = async (feedId: number, title: string, at: number, topic: string) => {
    n++;
    const [item] = await insertNewItems(
      db,
      feedId,
      [
        {
          id: `fixture-${n}`,
          url: `https://news.example/${n}`,
          title,
          published: new Date(at).toISOString(),
          publishedEstimated: false,
          author: null,
          categories: [],
          content: `${title}. Written for the status page tests, story ${n}.`,
          enclosures: [],
        },
      ],
      { now: at, announced: true },
    );
    await setItemTopics(db, item!.itemId, [{ topic, score: 0.7, hits: [], explanation: 'fixture' }]);
    // every fixture item starts its own story
    await storeNewStory(
      db,
      { itemId: item!.itemId, title, lead: `story number ${n}`, publishedAt: at, announced: true },
      at,
    );
  };
  const today = Math.floor(now / DAY) * DAY;
  for (const [i, count] of DSA_PER_DAY.entries()) {
    const day = today - (DSA_PER_DAY.length - 1 - i) * DAY;
    for (let k = 0; k < count; k++) {
      const title = `Commission opens DSA case number ${i}-${k}`;
      await story(k % 2 ? justice : harbor, title, day + (k + 1) * 60_000, 'eu-dsa');
    }
  }
  await story(harbor, HOSTILE_TITLE, Math.min(now, today + 2 * 60_000), 'child-safety');

  const sub = (platform: 'discord' | 'console', channel: string, workspace = '') =>
    upsertSubscription(
      db,
      {
        platform,
        workspace,
        channel,
        topics: 'all',
        schedule: 'daily 09:00',
        timezone: 'UTC',
        mode: 'digest',
        maxItems: 10,
        minScore: 0,
      } satisfies SubscriptionConfig,
      { source: 'command', now: now - 14 * DAY },
    );
  const paused = await sub('discord', '222333444', '111222333');
  const running = await sub('console', 'ops-room');
  // The Discord digest dies in real delivery: there is no Discord sender without a token.
  const deadDigestId = await enqueueDigest(db, {
    subscriptionId: paused,
    parts: [{ platform: 'discord', payload: { content: 'digest (1/1)', embeds: [], allowed_mentions: { parse: [] } } }],
    cursorFrom: 0,
    cursorTo: 0,
    storyCount: 1,
    now: now - HOUR,
  });
  await deliverPending({
    db,
    senders: {},
    now: () => now,
    log: silentLogger,
    targetFor: () => ({ platform: 'discord', workspace: '111222333', channel: '222333444', thread: '' }),
  });
  return { paused: { id: paused, platform: 'discord' }, running: { id: running }, deadDigestId };
}
