/**
 * Fills a store the way a running bot would, through the real pipeline: a feed's first poll (its backlog is
 * never announced), then new stories on the next poll, then every subscription's digest falls due.
 */
import { createApp } from '../../src/app/app.js';
import { readEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { pollAndIngest } from '../../src/pipeline/poll-cycle.js';
import { listFeeds } from '../../src/store/feeds.js';
import { rss } from '../helpers/beat-config.js';
import type { FeedServer } from '../helpers/feed-server.js';

const HOUR = 3_600_000;

export async function seedThroughPipeline(
  configFile: string,
  feeds: FeedServer,
  route: string,
  hostileTitle: string,
): Promise<void> {
  const feed = (items: Parameters<typeof rss>[1]) => ({
    headers: { 'content-type': 'application/rss+xml' },
    body: rss('Capitol Wire', items),
  });
  feeds.route(route, feed([]));
  const app = await createApp(loadConfig({ file: configFile, env: readEnv({}) }), { log: silentLogger });
  try {
    await pollAndIngest(app, await listFeeds(app.db));
    feeds.route(route, feed(STORIES(hostileTitle)));
    await pollAndIngest(app, await listFeeds(app.db));
    await app.db.run('UPDATE subscriptions SET last_run_at = ?', [Date.now() - 48 * HOUR]);
  } finally {
    await app.close();
  }
}

/** Our own wording: on-beat stories for several topics, one titled with mentions. */
const STORIES = (hostileTitle: string) =>
  [
    [
      hostileTitle,
      'A bipartisan group of senators reintroduced the Kids Online Safety Act with new age verification duties for platforms.',
    ],
    [
      'Appeals court narrows Section 230 immunity for recommendation feeds',
      'The court held that Section 230 does not shield a platform for its own recommendation design.',
    ],
    [
      'Commission opens Digital Services Act case against a marketplace',
      'Brussels opened formal proceedings under the Digital Services Act over illegal listings.',
    ],
    [
      'Ofcom publishes illegal harms codes under the Online Safety Act',
      'Ofcom said platforms in the UK must assess illegal harms under the Online Safety Act.',
    ],
  ].map(([title, text], i) => ({
    guid: `wire-${i}`,
    title: title as string,
    link: `https://wire.example/news/${i}`,
    date: new Date(Date.now() - (i + 1) * HOUR).toISOString(),
    text: text as string,
  }));
