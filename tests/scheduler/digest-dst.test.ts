import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { type Scheduler, startScheduler } from '../../src/scheduler/scheduler.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { addAnnouncedStory } from '../helpers/stories.js';

const HOUR = 3_600_000;

/**
 * Issue 8 item 9: the whole scheduler (cron registry, delivery loop, console sender, real SQLite)
 * under fake timers, across the spring clock change in London: a daily 09:00 digest is composed
 * and delivered at 09:00 local time each day, 09:00 GMT before the change and 09:00 BST after it.
 */
describe('a 09:00 Europe/London digest across the change to summer time', () => {
  let dir: string | undefined;
  let app: App | undefined;
  let scheduler: Scheduler | undefined;

  afterEach(async () => {
    await scheduler?.stop();
    await app?.close();
    vi.useRealTimers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fires at 09:00 local time on each day, before and after the clocks go forward', async () => {
    // Friday 27 March 2026, noon; the clocks go forward at 01:00 UTC on Sunday 29 March.
    vi.useFakeTimers({
      now: Date.parse('2026-03-27T12:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-dst-'));
    const file = writeBeatConfig(dir, {
      feeds: [],
      extra: {
        subscriptions: [
          { platform: 'console', channel: 'desk', topics: 'all', schedule: 'daily 09:00', timezone: 'Europe/London' },
        ],
      },
    });
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => {
      printed += c.toString();
    });
    app = await createApp(loadConfig({ file, env: { secrets: {} } }), { log: silentLogger, consoleOut: out });
    // Long ticks: nothing here depends on them, and three fake days of 5 s ticks would be slow.
    scheduler = await startScheduler(app, {
      maxPollSleepMs: HOUR,
      deliveryTickMs: 60_000,
      instantTickMs: HOUR,
      refreshTickMs: HOUR,
    });

    // A new story each morning, then the day runs to noon.
    for (const day of ['28', '29', '30']) {
      await vi.advanceTimersByTimeAsync(Date.parse(`2026-03-${day}T06:00:00Z`) - Date.now());
      await addAnnouncedStory(app.db, `dsa-${day}`, `Digital Services Act note for March ${day}`);
      await vi.advanceTimersByTimeAsync(6 * HOUR);
    }

    const digests = await app.db.all<{ createdAt: number; status: string }>(
      'SELECT created_at AS "createdAt", status FROM digests ORDER BY id',
    );
    expect(digests.map((d) => new Date(d.createdAt).toISOString())).toEqual([
      '2026-03-28T09:00:00.000Z', // 09:00 GMT
      '2026-03-29T08:00:00.000Z', // 09:00 BST, the day the clocks changed
      '2026-03-30T08:00:00.000Z',
    ]);
    expect(digests.every((d) => d.status === 'delivered')).toBe(true);
    for (const day of ['28', '29', '30']) expect(printed).toContain(`Digital Services Act note for March ${day}`);
  });
});
