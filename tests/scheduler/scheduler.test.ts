import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { type Clock, fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { subscriptionSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log.js';
import { nextRunOf } from '../../src/schedule/schedule.js';
import { type Scheduler, startScheduler } from '../../src/scheduler/scheduler.js';
import {
  getSubscription,
  listSubscriptions,
  markScheduleRun,
  upsertSubscription,
} from '../../src/store/subscriptions.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { captureLog } from '../helpers/log.js';
import { addAnnouncedStory } from '../helpers/stories.js';
import { until } from '../helpers/wait.js';

const HOUR = 3_600_000;

describe('scheduler', () => {
  let dir: string;
  let app: App | undefined;
  let scheduler: Scheduler | undefined;
  let printed = '';

  const setup = async (schedule: string, clock?: Clock) => {
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-sched-'));
    const file = writeBeatConfig(dir, {
      feeds: [],
      extra: {
        subscriptions: [{ platform: 'console', channel: 'c', topics: 'all', schedule, timezone: 'Europe/London' }],
      },
    });
    const out = new PassThrough();
    printed = '';
    out.on('data', (c: Buffer) => {
      printed += c.toString();
    });
    app = await createApp(loadConfig({ file, env: { secrets: {} } }), {
      log: silentLogger,
      consoleOut: out,
      ...(clock ? { clock } : {}),
    });
    return app;
  };

  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await app?.close();
    app = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const digestsSent = () => app!.db.value<number>("SELECT count(*) FROM digests WHERE status = 'delivered'");

  it('sends one catch-up digest at start when runs were missed, not one per missed slot', async () => {
    const a = await setup('hourly');
    await addAnnouncedStory(a.db, 'dsa-1', 'Commission opens Digital Services Act case against Example Market');
    const sub = (await listSubscriptions(a.db))[0]!;
    await markScheduleRun(a.db, sub.id, Date.now() - 5 * HOUR); // five hourly slots were missed
    scheduler = await startScheduler(a, { deliveryTickMs: 50 });
    await until(async () => (await digestsSent()) === 1);
    expect(await digestsSent()).toBe(1);
    expect(printed).toContain('Example Market');
    expect(await a.db.value('SELECT count(*) FROM digests')).toBe(1);
    const after = (await getSubscription(a.db, sub.id))!;
    expect(after.lastRunAt).toBeGreaterThan(Date.now() - 60_000);
    expect(after.lastDigestAt).not.toBeNull();
  });

  it('does not catch up when the last run was after the latest slot', async () => {
    // A Wednesday noon on the injected clock: the last run a minute ago is after Monday's slot,
    // whatever the real weekday and hour.
    const clock = fixedClock(Date.parse('2026-12-02T12:00:00Z'));
    const a = await setup('weekly mon 09:00', clock);
    await addAnnouncedStory(a.db, 'dsa-2', 'Digital Services Act fine for Example Market');
    const sub = (await listSubscriptions(a.db))[0]!;
    await markScheduleRun(a.db, sub.id, clock.now() - 60_000);
    scheduler = await startScheduler(a, { deliveryTickMs: 50 });
    // Catch-up runs as the scheduler starts; a full delivery pass after it finds nothing.
    await scheduler.kickDelivery();
    expect(await a.db.value('SELECT count(*) FROM digests')).toBe(0);
    expect(printed).toBe('');
    // the next run is visible and in the future, on a Monday at 09:00 London time
    const next = nextRunOf((await getSubscription(a.db, sub.id))!, clock.now())!;
    expect(next).toBe(Date.parse('2026-12-07T09:00:00Z'));
    const london = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(next);
    expect(london).toBe('Mon 09:00');
  });

  it('starts, and serves the other subscriptions, when a stored schedule cannot be read', async () => {
    const a = await setup('hourly');
    await addAnnouncedStory(a.db, 'dsa-5', 'Digital Services Act order against Example Market');
    const [good] = await listSubscriptions(a.db);
    const broken = await upsertSubscription(
      a.db,
      { ...subscriptionSchema.parse({ platform: 'console', channel: 'broken' }), schedule: 'hourly' },
      { source: 'command', now: Date.now() - 5 * HOUR },
    );
    // written around the validation, as an older version or a hand edit might have left it
    await a.db.run("UPDATE subscriptions SET timezone = 'Mars/Olympus_Mons' WHERE id = ?", [broken]);
    await markScheduleRun(a.db, good!.id, Date.now() - 5 * HOUR);
    await markScheduleRun(a.db, broken, Date.now() - 5 * HOUR);
    scheduler = await startScheduler(a, { deliveryTickMs: 50, refreshTickMs: 50 });
    await until(async () => (await digestsSent()) === 1);
    expect(await digestsSent()).toBe(1);
    expect(printed).toContain('Example Market');
    expect((await getSubscription(a.db, broken))!.lastRunAt).toBeLessThan(Date.now() - HOUR);
  });

  it('keeps running, and says so, when a refresh tick cannot read the store', async () => {
    const a = await setup('hourly');
    const { log, records } = captureLog('error');
    scheduler = await startScheduler({ ...a, log }, { refreshTickMs: 20, instantTickMs: HOUR, deliveryTickMs: HOUR });
    // the table gone for a moment, as a store that fails a read would leave the tick (a throw in a timer ends the process)
    await a.db.exec('ALTER TABLE subscriptions RENAME TO subscriptions_away');
    const failed = 'reading the subscriptions failed; trying again at the next refresh';
    await until(() => records().some((r) => r.msg === failed));
    await a.db.exec('ALTER TABLE subscriptions_away RENAME TO subscriptions');
    expect(records().find((r) => r.msg === failed)).toMatchObject({ level: 50, component: 'scheduler' });
  });

  it('never composes a second digest while one is still pending delivery', async () => {
    const a = await setup('hourly');
    await addAnnouncedStory(a.db, 'dsa-3', 'Digital Services Act probe into Example Market');
    const sub = (await listSubscriptions(a.db))[0]!;
    const { runSubscription } = await import('../../src/pipeline/digests.js');
    expect((await runSubscription(a.digestDeps, sub)).status).toBe('enqueued');
    await addAnnouncedStory(a.db, 'dsa-4', 'Second Digital Services Act probe into Other Market');
    expect((await runSubscription(a.digestDeps, (await getSubscription(a.db, sub.id))!)).status).toBe('busy');

    // the story that arrived while the first digest waited is neither lost nor repeated
    const { deliverPending } = await import('../../src/delivery/outbox.js');
    const deliver = () => deliverPending(a.deliverDeps);
    await deliver();
    expect(printed).toContain('Example Market');
    expect(printed).not.toContain('Other Market');
    printed = '';
    expect(await runSubscription(a.digestDeps, (await getSubscription(a.db, sub.id))!)).toMatchObject({
      status: 'enqueued',
      stories: 1,
    });
    await deliver();
    expect(printed).toContain('Other Market');
    expect(printed).not.toContain('Example Market');
  });
});
