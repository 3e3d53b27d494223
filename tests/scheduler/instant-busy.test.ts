import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { type Scheduler, startScheduler } from '../../src/scheduler/scheduler.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { validateSlackMessage } from '../helpers/payload-validator.js';
import { until } from '../helpers/wait.js';

const CHANNEL = 'C0ALERTS01';

const item = (guid: string, title: string) => ({
  guid,
  title,
  link: `https://wire.example/${guid}`,
  date: new Date(Date.now() - 600_000).toISOString(),
  text: `${title}. The regulator set out its reasons in a notice published on its website.`,
});

/**
 * An instant channel whose previous post is still waiting (here: Slack asked for a pause) when a
 * new story is announced cannot take the new story at once. It must get it as soon as the
 * earlier post is confirmed, not only when some later story happens to be announced.
 */
describe('instant subscription busy when a story is announced', () => {
  let server: FeedServer;
  let slack: FakeSlack;
  let dir: string;
  let app: App;
  let scheduler: Scheduler;
  let phase = 1;
  // Retry-After is waited out on this clock, not in real seconds: a part is due when it says so.
  const clock = fixedClock(Date.now());

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    server = await startFeedServer();
    server.route('/wire.xml', (_req, res) => {
      const items = [item('backlog', 'Older note on the Online Safety Act')];
      if (phase >= 2) items.push(item('first', 'Ofcom fines a forum under the Online Safety Act'));
      if (phase >= 3) items.push(item('second', 'Ofcom opens an Online Safety Act inquiry into a video app'));
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Wire', items));
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-instant-busy-'));
    const file = writeBeatConfig(dir, {
      feeds: [{ name: 'Wire', url: server.url('/wire.xml') }],
      extra: {
        subscriptions: [
          { platform: 'slack', workspace: slack.team.id, channel: CHANNEL, topics: ['uk-osa'], mode: 'instant' },
        ],
      },
    });
    const config = loadConfig({ file, env: { secrets: { slackBotToken: slack.token } } });
    app = await createApp(config, { log: silentLogger, slackApiUrl: slack.slackApiUrl, clock });
    scheduler = await startScheduler(app, { maxPollSleepMs: 100, deliveryTickMs: 100 });
  });

  afterAll(async () => {
    await scheduler?.stop();
    await app?.close();
    await Promise.all([server?.close(), slack?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (sql: string) => Number(await app.db.value(sql));
  const pollNow = () => app.db.run('UPDATE feeds SET next_poll_at = 0');
  const postCalls = () => slack.calls.filter((c) => c.method === 'chat.postMessage').length;

  it('posts the second story right after the first is confirmed, with no further announcement', async () => {
    expect(await until(async () => (await count('SELECT count(*) FROM items')) === 1, 10_000)).toBe(true);

    // the first story's post meets three 429s in a row: its digest stays pending until the clock
    // passes each Retry-After, so the next poll lands while it waits
    slack.failNext({ kind: 'ratelimited', retryAfterSec: 2 }, { times: 3 });
    phase = 2;
    await pollNow();
    expect(await until(() => postCalls() === 1, 10_000)).toBe(true);
    expect(await count("SELECT count(*) FROM digests WHERE status = 'pending'")).toBe(1);

    // the second story is announced while the channel is busy: nothing new is composed yet
    phase = 3;
    await pollNow();
    expect(await until(async () => (await count('SELECT count(*) FROM items')) === 3, 10_000)).toBe(true);
    expect(await count('SELECT count(*) FROM digests')).toBe(1);

    // no further poll brings anything; the confirmed first post frees the channel for the second:
    // past each Retry-After on the clock, a delivery pass (which composes and posts the second
    // story once the first is confirmed) runs to its end
    for (let i = 0; i < 4 && slack.postsIn(CHANNEL).length < 2; i++) {
      clock.advance(2_001);
      await scheduler.kickDelivery();
    }
    expect(slack.postsIn(CHANNEL)).toHaveLength(2);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(5);
    for (const p of slack.postsIn(CHANNEL))
      expect(validateSlackMessage({ text: p.text, blocks: p.blocks })).toEqual([]);
    const posts = slack.postsIn(CHANNEL).map((p) => JSON.stringify(p.blocks));
    expect(posts[0]).toContain('Ofcom fines a forum');
    expect(posts[1]).toContain('video app');
    expect(posts[1]).not.toContain('Ofcom fines a forum');
    expect(await count("SELECT count(*) FROM digests WHERE status = 'delivered'")).toBe(2);
  });
});
