/** The world the Slack end-to-end tests run in: a feed of on-beat stories (one hostile) and a bot config. */
import { loadConfig } from '../../src/config/load.js';
import { listFeeds, recordPollSuccess, syncFeedsFromConfig } from '../../src/store/feeds.js';
import { openStore } from '../../src/store/open.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { storeSetting } from '../helpers/db.js';
import type { FakeSlack } from '../helpers/fake-slack.js';
import type { FeedServer } from '../helpers/feed-server.js';

const HOUR = 3_600_000;

/** Written for these tests; each is clearly on one topic of the default beat, so each becomes its own story. */
const ARTICLES = [
  [
    'Senate committee advances the Kids Online Safety Act <!channel> <@U123>',
    'The Kids Online Safety Act cleared a Senate committee on Tuesday; <!here> sponsors say a floor vote on the child safety bill may come this spring. Visit <https://evil.example|your bank> now.',
  ],
  [
    'Appeals court narrows Section 230 immunity for recommendation algorithms',
    'A federal appeals court held that Section 230 does not shield a platform from claims about how its recommendation algorithm promoted harmful content.',
  ],
  [
    'European Commission opens Digital Services Act proceedings against a marketplace',
    'Brussels opened formal Digital Services Act proceedings over illegal products and the protection of minors on the marketplace.',
  ],
  [
    'Ofcom publishes illegal harms codes under the Online Safety Act',
    "The UK regulator Ofcom published its first codes of practice under the Online Safety Act, setting duties for platforms' illegal harms risk assessments.",
  ],
  [
    'Operator of a Backpage-style site sentenced for promoting prostitution under FOSTA',
    'A federal judge sentenced the operator of a classified advertising website under FOSTA-SESTA after a trafficking investigation.',
  ],
] as const;

export function serveBeatFeed(server: FeedServer): string {
  const now = Date.now();
  server.route('/beat.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss(
      'Beat Wire',
      ARTICLES.map(([title, text], i) => ({
        guid: `beat-${i}`,
        title,
        link: `https://beatwire.example/${i}`,
        date: new Date(now - (i + 1) * HOUR).toISOString(),
        text,
      })),
    ),
  });
  return server.url('/beat.xml');
}

/** Channels the tests use, each set up in the fake Slack for what it tests. */
export const CH = {
  digest: 'C0DIGEST',
  notIn: 'C0NOTIN',
  archived: 'C0ARCHIVED',
  busy: 'C0BUSY',
  commands: 'C0COMMANDS',
} as const;

/**
 * A bot config: the beat's topics, the test feed, Slack pointed at the fake, scheduled digests every 2 s, and the
 * store at `store` (a tempStore() location: a SQLite file or a PostgreSQL schema).
 */
export function writeSlackConfig(
  dir: string,
  p: {
    feedUrl: string;
    slack: FakeSlack;
    store: string;
    mode?: 'http' | 'socket';
    channels: string[];
    adminUsers?: string[];
  },
): string {
  const file = writeBeatConfig(dir, {
    feeds: [{ name: 'Beat Wire', url: p.feedUrl }],
    extra: {
      store: storeSetting(p.store),
      polling: { defaultInterval: '1h' },
      http: { port: 0, host: '127.0.0.1' },
      // On PostgreSQL (the jobs of issue 17) a part a killed bot claimed is retried once its claim lapses: soon.
      jobs: { expire: '8s' },
      slack: {
        apiBaseUrl: p.slack.slackApiUrl,
        ...(p.mode ? { mode: p.mode } : {}),
        port: 0,
        host: '127.0.0.1',
        adminUsers: p.adminUsers ?? [],
      },
      // Every 2 seconds (seconds named explicitly), so a scheduled digest comes soon after the first poll.
      subscriptions: p.channels.map((channel) => ({
        platform: 'slack',
        workspace: p.slack.team.id,
        channel,
        topics: 'all',
        schedule: 'cron-with-seconds */2 * * * * *',
        maxItems: 20,
      })),
    },
  });
  return file;
}

/**
 * As if the bot had polled the feed before: a feed's first poll only sets the baseline (it never floods a
 * channel), so the test's articles count as new, and the feed is due at once when the bot starts.
 */
export async function markFeedsPolledBefore(configFile: string): Promise<void> {
  const config = loadConfig({ file: configFile, env: { secrets: {} } });
  const db = await openStore(config.dbUrl ?? config.dbPath);
  try {
    const now = Date.now();
    await syncFeedsFromConfig(db, config.feeds, { intervalMs: config.polling.defaultInterval }, now);
    for (const feed of await listFeeds(db)) {
      await recordPollSuccess(db, feed.id, { now: now - HOUR, nextPollAt: 0, etag: null, lastModified: null });
    }
  } finally {
    await db.close();
  }
}
