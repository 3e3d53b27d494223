/**
 * Issue 15, clock jumps and DST: the digest cron (the node-cron job the scheduler makes for each subscription,
 * src/scheduler/cron.ts) under fake timers. The wall clock jumps an hour forward over a slot and an hour back after
 * one, and the clocks change for summer and winter time: every slot fires once, at its local time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSchedule } from '../../src/schedule/schedule.js';
import { scheduleDigestCron } from '../../src/scheduler/cron.js';
import { recordCounts } from './counts.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('every schedule fires once across clock jumps and DST', () => {
  let fired: number[];
  let stop: (() => void) | undefined;
  beforeEach(() => {
    fired = [];
  });
  afterEach(() => {
    stop?.();
    vi.useRealTimers();
  });

  const start = (spec: string, timezone: string, at: string) => {
    vi.useFakeTimers({
      now: Date.parse(at),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    const sched = parseSchedule(spec, timezone);
    const task = scheduleDigestCron({
      cron: sched.cron,
      timezone: sched.timezone,
      name: 'test',
      fire: () => void fired.push(Date.now()),
    });
    stop = () => void task.destroy();
  };
  const run = (ms: number) => vi.advanceTimersByTimeAsync(ms);
  const localTime = (ms: number, timeZone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', day: '2-digit' }).format(ms);

  it('a jump of one hour forward over the slot: the slot still fires, once', async () => {
    start('daily 09:00', 'UTC', '2026-03-10T08:30:00Z');
    await run(10 * MINUTE);
    vi.setSystemTime(Date.parse('2026-03-10T09:40:00Z')); // the clock is stepped forward past 09:00
    await run(3 * HOUR);
    expect(fired).toHaveLength(1);
    await run(24 * HOUR);
    expect(fired).toHaveLength(2);
    recordCounts('clock and DST', { inputs: 1 });
  });

  it('a jump of one hour back after the slot fired: it does not fire again', async () => {
    start('daily 09:00', 'UTC', '2026-03-10T08:50:00Z');
    await run(15 * MINUTE);
    expect(fired).toHaveLength(1);
    vi.setSystemTime(Date.parse('2026-03-10T08:05:00Z')); // stepped back to before 09:00
    await run(3 * HOUR);
    expect(fired).toHaveLength(1);
    await run(24 * HOUR);
    expect(fired).toHaveLength(2);
    recordCounts('clock and DST', { inputs: 1 });
  });

  it('across both DST changes in London: 09:00 local fires once a day, and 01:30 once on the day 01:30 repeats', async () => {
    start('daily 09:00', 'Europe/London', '2026-03-28T12:00:00Z');
    await run(3 * 24 * HOUR); // 28, 29 (clocks forward at 01:00), 30 and 31 March
    expect(fired.map((t) => localTime(t, 'Europe/London'))).toEqual(['29, 09:00', '30, 09:00', '31, 09:00']);
    stop?.();
    fired = [];
    start('daily 01:30', 'Europe/London', '2026-10-24T12:00:00Z');
    await run(2 * 24 * HOUR); // 25 October: 01:00 to 02:00 BST, then 01:00 to 02:00 GMT again
    expect(fired.map((t) => localTime(t, 'Europe/London'))).toEqual(['25, 01:30', '26, 01:30']);
    recordCounts('clock and DST', { inputs: 2 });
  });
});
