import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { type Scheduler, startScheduler } from '../../src/scheduler/scheduler.js';
import { getSubscription, listSubscriptions, markScheduleRun } from '../../src/store/subscriptions.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { validateSlackMessage } from '../helpers/payload-validator.js';
import { addAnnouncedStory } from '../helpers/stories.js';
import { until } from '../helpers/wait.js';

const HOUR = 3_600_000;
const CHANNEL = 'C0NOTOKEN1';
const TITLE = 'Commission opens Digital Services Act case against Example Market';

/**
 * A Slack subscription while SLACK_BOT_TOKEN is missing: its digest is not composed (so no cursor
 * moves and nothing is parked as dead), the operator is told once, and once the token is set the
 * next start catches up and delivers the stories that waited.
 */
describe('a subscription whose platform has no token', () => {
  let slack: FakeSlack;
  let dir: string;
  let file: string;
  let app: App | undefined;
  let scheduler: Scheduler | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-notoken-'));
    file = writeBeatConfig(dir, {
      feeds: [],
      extra: {
        subscriptions: [{ platform: 'slack', workspace: slack.team.id, channel: CHANNEL, schedule: 'hourly' }],
      },
    });
  });

  afterAll(async () => {
    await scheduler?.stop();
    await app?.close();
    await slack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (sql: string) => Number(await app!.db.value(sql));

  it('composes nothing, moves no cursor and says why once', async () => {
    const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    app = await createApp(loadConfig({ file, env: { secrets: {} } }), { log });
    expect(app.senders.slack).toBeUndefined();
    await addAnnouncedStory(app.db, 'dsa-1', TITLE);
    const sub = (await listSubscriptions(app.db))[0]!;
    const missedAt = Date.now() - 5 * HOUR;
    await markScheduleRun(app.db, sub.id, missedAt);

    scheduler = await startScheduler(app, { deliveryTickMs: 50, refreshTickMs: 50 });
    expect(await until(() => lines.some((l) => l.includes('no chat token')))).toBe(true);
    // Catch-up ran as the scheduler started; a full delivery pass finds nothing to post.
    await scheduler.kickDelivery();
    const warnings = lines.filter((l) => l.includes('no chat token'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('SLACK_BOT_TOKEN');
    expect(await count('SELECT count(*) FROM digests')).toBe(0);
    const after = (await getSubscription(app.db, sub.id))!;
    expect(after.cursor).toBe(sub.cursor);
    // the missed run is still owed: it was not recorded as done
    expect(after.lastRunAt).toBe(missedAt);

    await scheduler.stop();
    scheduler = undefined;
    await app.close();
    app = undefined;
  });

  it('delivers the waiting stories at the next start once the token is set', async () => {
    const config = loadConfig({ file, env: { secrets: { slackBotToken: slack.token } } });
    app = await createApp(config, { log: createLogger({ write: () => {} }), slackApiUrl: slack.slackApiUrl });
    const sub = (await listSubscriptions(app.db))[0]!;
    scheduler = await startScheduler(app, { deliveryTickMs: 50 });
    expect(
      await until(async () => (await count("SELECT count(*) FROM digests WHERE status = 'delivered'")) === 1),
    ).toBe(true);
    const posts = slack.postsIn(CHANNEL);
    expect(posts).toHaveLength(1);
    expect(validateSlackMessage({ text: posts[0]!.text, blocks: posts[0]!.blocks })).toEqual([]);
    expect(JSON.stringify(posts[0]!.blocks)).toContain('Example Market');
    expect((await getSubscription(app.db, sub.id))!.cursor).toBeGreaterThan(sub.cursor);
  });
});
