/**
 * Issue 17: three `watchdesk start` processes share one PostgreSQL store as pg-boss jobs. 300 loopback feeds and 30
 * console subscriptions (15 instant, 15 hourly, each caught up once after "downtime"): each feed is polled once in its interval (counted
 * at the feed server), each story is posted once to each subscription across the three processes' outputs, and
 * after a SIGKILL of one process mid-poll its claimed work is taken over when the claims lapse (jobs.expire), with
 * no poll or story lost and none duplicated. Always on PostgreSQL (127.0.0.1:5432, database test; see .ci/run).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { syncFeedsFromConfig } from '../../src/store/feeds.js';
import { openStore } from '../../src/store/open.js';
import { rss } from '../helpers/beat-config.js';
import { beatStories, multiProcessConfig } from '../helpers/beat-feeds.js';
import { spawnCli } from '../helpers/cli.js';
import { dropPgSchema, PG_TEST_URL, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { until } from '../helpers/wait.js';

type Bot = ReturnType<typeof spawnCli>;

const FEEDS = 300;
/** One feed in ten carries a story each round: 30 stories a round, all in one digest (maxItems 50). */
const STORY_EVERY = 10;
const SUBS = 30;
const EXPIRE_S = 6;

describe('three watchdesk processes on one PostgreSQL store (issue 17)', { timeout: 90_000 }, () => {
  const schema = pgTestSchema();
  const url = pgSchemaUrl(schema);
  const bots: Bot[] = [];
  let server: FeedServer;
  let setup: ReturnType<typeof multiProcessConfig>;
  let admin: pg.Client;
  const q = async <T>(text: string, values: unknown[] = []) =>
    (await admin.query(text.replaceAll('~.', `"${schema}".`), values)).rows as T[];

  beforeAll(async () => {
    server = await startFeedServer();
    serveRound(server, 0);
    const subscriptions = Array.from({ length: SUBS }, (_, i) => ({
      platform: 'console',
      channel: `desk-${i}`,
      topics: 'all',
      maxItems: 50,
      ...(i % 2 === 0 ? { mode: 'instant' } : { schedule: 'hourly' }),
    }));
    setup = multiProcessConfig(server, {
      prefix: 'so',
      feeds: FEEDS,
      extra: {
        store: { url },
        subscriptions,
        jobs: { expire: `${EXPIRE_S}s`, concurrency: 16 },
        // Every feed is on 127.0.0.1: one host, so its limit is each process's whole share.
        fetch: { timeout: '5s', connectTimeout: '2s', perHostConcurrency: 16 },
      },
    });
    admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
    // As an earlier poll leaves them: past their first poll (whose items are stored unannounced), due now.
    const store = await openStore(url);
    try {
      const { feeds, polling } = loadConfig({ file: setup.config });
      await syncFeedsFromConfig(store, feeds, { intervalMs: polling.defaultInterval }, Date.now());
      await store.run('UPDATE feeds SET polls = 1, last_success_at = ?, next_poll_at = ?', [Date.now(), Date.now()]);
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    for (const bot of bots) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await admin?.end();
    await server?.close();
    await dropPgSchema(schema);
    rmSync(setup.dir, { recursive: true, force: true });
  });

  const hitsPerFeed = (since: number) => {
    const counts = new Map<string, number>();
    for (const r of server.requests.slice(since)) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
    return counts;
  };
  /**
   * 'settled' once every feed is polled `polls` times in all, every subscription's cursor is at the last story and
   * nothing is pending; else what is still waiting (said by a failing assertion).
   */
  let state = '';
  const settled = async (polls: number) => {
    const [f] = await q<{ n: number }>('SELECT count(*)::int AS n FROM ~.feeds WHERE polls < $1', [polls]);
    const [s] = await q<{ behind: number; pending: number }>(
      `SELECT count(*) FILTER (WHERE s.cursor < (SELECT coalesce(max(announce_seq), 0) FROM ~.stories))::int AS behind,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ~.digests d
                                             WHERE d.subscription_id = s.id AND d.status = 'pending'))::int AS pending
       FROM ~.subscriptions s`,
    );
    state =
      f!.n + s!.behind + s!.pending === 0
        ? 'settled'
        : `${f!.n} feeds to poll, ${s!.behind} subscriptions behind, ${s!.pending} with a digest pending`;
    process.stderr.write(`[${new Date().toISOString().slice(14, 23)}] ${state}\n`);
    return state === 'settled';
  };
  /**
   * Waits for the round's polls (every feed polled `polls` times in all), then for its digests: the instant ones
   * come as the stories do; the scheduled ones (hourly) are put back three hours, as after downtime, so that each
   * runs one catch-up of its missed slots.
   */
  const caughtUp = async (polls: number) => {
    await until(async () => (await settled(polls)) || /^0 feeds/.test(state), 45_000, 250);
    await q("UPDATE ~.subscriptions SET last_run_at = $1 WHERE mode = 'digest'", [Date.now() - 3 * 3_600_000]);
    await until(() => settled(polls), 30_000, 250);
  };
  /** How often each of the round's story labels was printed, across every process's stdout. */
  const printedLabels = (round: number) => {
    const out = bots.map((b) => b.output().stdout).join('\n');
    return roundLabels(round).map((label) => out.split(label).length - 1);
  };

  it('polls each feed once and posts each story once to each subscription, across three processes', async () => {
    for (let i = 0; i < 3; i++) bots.push(spawnCli(['--config', botConfig(setup.config, i), 'start']));
    await caughtUp(2);
    expect(state).toBe('settled');

    const hits = hitsPerFeed(0);
    expect(hits.size).toBe(FEEDS);
    expect([...hits.values()].filter((n) => n !== 1)).toEqual([]);
    expect(printedLabels(0)).toEqual(roundLabels(0).map(() => SUBS));
    const [parts] = await q<{ sent: number }>("SELECT count(*)::int AS sent FROM ~.digest_parts WHERE status = 'sent'");
    const printed = bots.map((b) => b.output().stdout.match(/^# /gm)?.length ?? 0).reduce((a, b) => a + b);
    expect(printed).toBe(parts!.sent);
    // All three took part: each started its job workers, and none of them stopped.
    for (const bot of bots) {
      expect(bot.output().stderr).toContain('running polls, digests and deliveries as jobs');
      expect(bot.child.exitCode).toBeNull();
    }
  });

  it('takes over the polls of a process killed with SIGKILL mid-round, losing and repeating nothing', async () => {
    const arrivals: Arrival[] = [];
    serveRound(server, 1, 300, arrivals);
    const from = server.requests.length;
    await q('UPDATE ~.feeds SET next_poll_at = $1', [Date.now()]);
    // Killed with polls of its own in flight: requests it sent in the last 200 ms, whose answers take 300 ms.
    const inFlight = () => arrivals.filter((a) => a.bot === 0 && a.at > Date.now() - 200);
    expect(await until(() => inFlight().length >= 3, 30_000, 5)).toBe(true);
    const cut = new Set(inFlight().map((a) => a.path));
    const victim = bots[0]!;
    const killed = new Promise((resolve) => victim.child.once('exit', (code, signal) => resolve(code ?? signal)));
    victim.child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');

    await caughtUp(3);
    expect(state).toBe('settled');
    const hits = hitsPerFeed(from);
    expect(hits.size).toBe(FEEDS);
    // A feed is fetched again only when the killed process had fetched it without recording the poll: at most
    // as many as it polls at once.
    const twice = [...hits.values()].filter((n) => n === 2).length;
    expect([...hits.values()].every((n) => n === 1 || n === 2)).toBe(true);
    // Its polls in flight were taken over: fetched again by another process, and only those were.
    expect(twice).toBeGreaterThan(0);
    expect(twice).toBeLessThanOrEqual(16);
    const again = [...hits].filter(([, n]) => n === 2).map(([path]) => path);
    expect(again.filter((path) => !arrivals.some((a) => a.path === path && a.bot === 0))).toEqual([]);
    expect([...cut].some((path) => again.includes(path))).toBe(true);
    const labels = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM ~.items WHERE guid LIKE '%-n1' GROUP BY guid ORDER BY guid",
    );
    expect(labels.map((r) => r.n)).toEqual(roundLabels(1).map(() => 1));
    expect(printedLabels(1)).toEqual(roundLabels(1).map(() => SUBS));
    for (const bot of bots.slice(1)) expect(bot.child.exitCode).toBeNull();
  });

  it('the others stop cleanly on SIGTERM', async () => {
    for (const bot of bots.slice(1)) {
      const stopped = new Promise((resolve) => bot.child.once('exit', (code, signal) => resolve(code ?? signal)));
      bot.child.kill('SIGTERM');
      // shutdown.grace is 5 s; a bot still running well past it says why in its log.
      const late = new Promise((resolve) => setTimeout(() => resolve('still running after 20 s'), 20_000).unref());
      expect(await Promise.race([stopped, late]), bot.output().stderr.slice(-4000)).toBe(0);
    }
  });
});

interface Arrival {
  path: string;
  /** Which process asked: each has its own bot.url, so its own User-Agent. */
  bot: number;
  at: number;
}

/**
 * Round `round`'s feeds: every STORY_EVERY-th one tells a story of its own, the others are empty. Each answer
 * takes `delayMs`, so that a process killed mid-round has polls in flight; `arrivals` records who asked when.
 */
function serveRound(server: FeedServer, round: number, delayMs = 0, arrivals: Arrival[] = []): void {
  for (let f = 0; f < FEEDS; f++) {
    const body = rss(`Outlet ${f}`, f % STORY_EVERY === 0 ? beatStories(f, round, 1) : []);
    const path = `/so/${f}.xml`;
    server.route(path, (req, res) => {
      const bot = Number(/bot-(\d)/.exec(req.headers['user-agent'] ?? '')?.[1] ?? -1);
      arrivals.push({ path, bot, at: Date.now() });
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), delayMs);
    });
  }
}

/** The shared config with this process's own bot.url (so its own User-Agent), beside it. */
function botConfig(file: string, i: number): string {
  const config = parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  config.bot = { ...config.bot, url: `https://watchdesk.example/bot-${i}` };
  const own = file.replace(/\.yaml$/, `-${i}.yaml`);
  writeFileSync(own, stringify(config));
  return own;
}

function roundLabels(round: number): string[] {
  return Array.from({ length: FEEDS / STORY_EVERY }, (_, k) => beatStories(k * STORY_EVERY, round, 1)[0]!.label);
}
