/**
 * Issue 15, kill -9. The real bot (`watchdesk start`, discord.js and the Slack Web API against the fakes) polls two
 * feeds, ingests their new stories and posts them at once (instant subscriptions on both platforms). It is killed
 * with SIGKILL at a seeded random moment after each start, which lands in start-up, polling, ingest or delivery,
 * then started again; at the end it runs until everything is out. At each fake: every story exactly once, none
 * missing, and every part once (its nonce seen once); PRAGMA integrity_check is ok after every kill.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beatStories, multiProcessConfig, pastFirstPoll, serveFeeds } from '../helpers/beat-feeds.js';
import { spawnCli } from '../helpers/cli.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';
import { LONG, recordCounts, scaled } from './counts.js';

const KILLS = scaled(3, 20);
const SEED = 0x15_2026;
const FEEDS = 2;
const PER_ROUND = 2;
const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const SLACK_CHANNEL = 'C0KILL';
const LABEL = /\(docket F\d+N\d+\)/g;

/** mulberry32: the same kill moments on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('kill -9 at seeded points during polling, ingest and delivery', () => {
  let server: FeedServer;
  const discord = new FakeDiscord();
  const slack = new FakeSlack();
  let setup: ReturnType<typeof multiProcessConfig>;

  beforeAll(async () => {
    server = await startFeedServer();
    await discord.start();
    await slack.start();
    setup = multiProcessConfig(server, {
      prefix: 'kill',
      feeds: FEEDS,
      extra: {
        subscriptions: [
          { platform: 'discord', workspace: GUILD, channel: CHANNEL, topics: 'all', mode: 'instant', maxItems: 50 },
          {
            platform: 'slack',
            workspace: slack.team.id,
            channel: SLACK_CHANNEL,
            topics: 'all',
            mode: 'instant',
            maxItems: 50,
          },
        ],
        discord: { apiBaseUrl: discord.restApi },
        slack: { apiBaseUrl: slack.slackApiUrl },
      },
    });
    serveFeeds(server, { prefix: 'kill', feeds: FEEDS, perFeed: 0, from: 0 });
    await pastFirstPoll(setup.db, setup.config);
  });
  afterAll(async () => {
    await discord.stop();
    await slack.stop();
    await server.close();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  const env = { DISCORD_TOKEN: discord.token, SLACK_BOT_TOKEN: slack.token, WATCHDESK_LOG_LEVEL: 'info' };
  const start = () => spawnCli(['--config', setup.config, 'start'], env);
  /** Each round the feeds carry PER_ROUND more stories each, and are due now, as if their interval had passed. */
  const nextRound = (round: number) => {
    serveFeeds(server, { prefix: 'kill', feeds: FEEDS, perFeed: (round + 1) * PER_ROUND, from: 0 });
    const db = new Database(setup.db);
    try {
      db.prepare('UPDATE feeds SET next_poll_at = 0').run();
    } finally {
      db.close();
    }
  };
  const integrity = () => {
    const db = new Database(setup.db, { readonly: true });
    try {
      return db.pragma('integrity_check', { simple: true });
    } finally {
      db.close();
    }
  };
  /** How many of these guids are stored, and each announced story as the labels of its items. */
  const storedState = (guids: string[]) => {
    const db = new Database(setup.db, { readonly: true });
    try {
      const rows = db
        .prepare(
          'SELECT i.guid, i.title, s.id AS story, s.announce_seq AS seq FROM items i LEFT JOIN stories s ON s.id = i.story_id',
        )
        .all() as { guid: string; title: string; story: number | null; seq: number | null }[];
      const wanted = new Set(guids);
      const stories = new Map<number, string[]>();
      for (const r of rows) {
        if (r.story === null || r.seq === null) continue;
        const label = r.title.match(LABEL)?.[0];
        if (label) stories.set(r.story, [...(stories.get(r.story) ?? []), label]);
      }
      return { stored: rows.filter((r) => wanted.has(r.guid)).length, stories: [...stories.values()] };
    } finally {
      db.close();
    }
  };
  const labelsAt = () => ({
    discord: discord.messagesIn(CHANNEL).map((m) => new Set(JSON.stringify(m.body).match(LABEL) ?? [])),
    slack: slack.postsIn(SLACK_CHANNEL).map((p) => new Set(JSON.stringify([p.text, p.blocks]).match(LABEL) ?? [])),
  });

  it(`${KILLS} kills, then a clean finish: every story posted exactly once on both platforms`, {
    timeout: LONG ? 600_000 : 240_000,
  }, async () => {
    const random = seeded(SEED);
    const phases: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      nextRound(round);
      const bot = start();
      const exited = new Promise<NodeJS.Signals | null>((resolve) => bot.child.once('exit', (_c, s) => resolve(s)));
      // from the moment the poll reaches the feed server: somewhere in the poll, the ingest or the posting after it
      const polled = server.requestsTo('/kill/0.xml').length;
      await until(() => server.requestsTo('/kill/0.xml').length > polled || bot.child.exitCode !== null, 30_000, 10);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 1_500)));
      bot.child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const said = bot.output().stderr.match(/"msg":"[^"]{0,60}/g) ?? [];
      phases.push(
        `posted so far ${discord.messagesIn(CHANNEL).length}+${slack.postsIn(SLACK_CHANNEL).length}; last log: ${said.at(-1)?.slice(7) ?? ''}`,
      );
      expect(integrity()).toBe('ok');
    }

    nextRound(KILLS);
    const served = Array.from({ length: FEEDS }, (_, f) => beatStories(f, 0, (KILLS + 1) * PER_ROUND)).flat();
    const bot = start();
    // Done when every served item is stored and every announced story is on both platforms. Two items the
    // clusterer puts in one story are one entry (under the representative's title), so stories are counted.
    const progress = () => {
      const state = storedState(served.map((s) => s.guid));
      const at = labelsAt();
      const missing = (sets: Set<string>[]) =>
        state.stories.filter((labels) => !sets.some((s) => labels.some((l) => s.has(l))));
      return {
        stored: state.stored,
        missing: [...missing(at.discord), ...missing(at.slack)],
        stories: state.stories,
        at,
      };
    };
    // generous: on a loaded machine the last run posts dozens of stories in several parts
    const done = await until(
      () => {
        const p = progress();
        return p.stored === served.length && p.missing.length === 0;
      },
      LONG ? 300_000 : 120_000,
      250,
    );
    const exited = new Promise((resolve) => bot.child.once('exit', resolve));
    bot.child.kill('SIGTERM');
    await exited;
    expect(integrity()).toBe('ok');
    const end = progress();
    expect({ done, stored: end.stored, missing: end.missing }, bot.output().stderr.slice(-1_500)).toEqual({
      done: true,
      stored: served.length,
      missing: [],
    });

    const lost = served.length - end.stored + end.missing.length;
    let duplicates = 0;
    for (const sets of Object.values(end.at)) {
      for (const labels of end.stories) {
        const n = sets.filter((s) => labels.some((l) => s.has(l))).length;
        if (n > 1) duplicates += n - 1;
      }
    }
    // every part once: Discord parts by their marker line, Slack parts by their metadata nonce
    const markers = discord.messagesIn(CHANNEL).map((m) => /-# ref (\S+)$/.exec(String(m.body.content))?.[1]);
    const nonces = slack.postsIn(SLACK_CHANNEL).map((p) => String(p.metadata?.event_payload.nonce));
    duplicates += markers.length - new Set(markers).size + nonces.length - new Set(nonces).size;
    expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
    if (LONG) console.log(`kill -9: at each kill:\n${phases.join('\n')}`);
    recordCounts('kill -9', { inputs: KILLS, crashes: 0, lost, duplicates });
  });
});
