import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import {
  dueSlot,
  nextRunAfter,
  parseSchedule,
  presetToCron,
  validateScheduleSpec,
} from '../../src/schedule/schedule.js';

describe('schedule presets', () => {
  it.each([
    ['hourly', '0 * * * *'],
    ['daily 09:00', '0 9 * * *'],
    ['Daily 7:05', '5 7 * * *'],
    ['weekdays 08:30', '30 8 * * 1-5'],
    ['weekly mon 09:00', '0 9 * * 1'],
    ['weekly Friday 17:45', '45 17 * * 5'],
    ['*/15 * * * *', '*/15 * * * *'],
  ])('%s → %s', (spec, cron) => {
    expect(presetToCron(spec)).toBe(cron);
  });

  it.each(['daily 24:00', 'weekly someday 09:00', 'every tuesday', '* * *', '61 * * * *'])('rejects %s', (spec) => {
    expect(presetToCron(spec)).toBeNull();
    expect(validateScheduleSpec(spec, 'UTC').map((p) => p.field)).toEqual(['schedule']);
  });
});

describe('six-field cron (issue 7 item 13)', () => {
  it('is refused with a message that says why, instead of being read as seconds first', () => {
    // read seconds-first, "0 9 * * 1-5 *" means 00:09:00 on 1-5 January
    expect(presetToCron('0 9 * * 1-5 *')).toBeNull();
    const [problem] = validateScheduleSpec('0 9 * * 1-5 *', 'UTC');
    expect(problem?.field).toBe('schedule');
    expect(problem?.expected).toContain('a cron expression of 5 fields (minute hour day-of-month month day-of-week)');
    expect(problem?.expected).toContain('6 fields would be read as seconds first');
    expect(problem?.found).toBe('"0 9 * * 1-5 *"');
    expect(presetToCron('0 9 * * 1-5')).toBe('0 9 * * 1-5');
  });

  it('is taken only when seconds are named: cron-with-seconds <6 fields>', () => {
    expect(presetToCron('cron-with-seconds */2 * * * * *')).toBe('*/2 * * * * *');
    expect(validateScheduleSpec('cron-with-seconds */2 * * * * *', 'UTC')).toEqual([]);
    expect(presetToCron('cron-with-seconds 0 9 * * 1-5')).toBeNull(); // five fields: not seconds
    expect(validateScheduleSpec('0 9 * * 1-5 *', 'UTC')[0]?.expected).toContain(
      'or write "cron-with-seconds <6 fields>" if seconds are meant',
    );
  });

  it('is refused in the config file and by subscriptions add, with the path', () => {
    const text = 'subscriptions:\n  - { platform: console, channel: desk, schedule: "0 0 9 * * 1-5" }\n';
    expect(() => parseConfigText(text, 'team.yaml')).toThrow(
      /team\.yaml: subscriptions\.0\.schedule: expected a cron expression of 5 fields/,
    );
  });
});

describe('nextRunAfter', () => {
  it('runs in the subscription time zone, across a DST change', () => {
    const s = parseSchedule('daily 09:00', 'America/New_York');
    // 2026-11-01 is the US fall-back day: 09:00 EST is 14:00 UTC; the day before (EDT) it is 13:00 UTC
    expect(new Date(nextRunAfter(s, Date.parse('2026-10-31T12:00:00Z'))!).toISOString()).toBe(
      '2026-10-31T13:00:00.000Z',
    );
    expect(new Date(nextRunAfter(s, Date.parse('2026-10-31T13:00:00Z'))!).toISOString()).toBe(
      '2026-11-01T14:00:00.000Z',
    );
  });

  it('skips weekends for weekdays and finds the weekly slot', () => {
    const weekdays = parseSchedule('weekdays 08:30', 'Europe/London');
    // Saturday 2026-11-28 → Monday 2026-11-30 08:30 GMT
    expect(new Date(nextRunAfter(weekdays, Date.parse('2026-11-28T10:00:00Z'))!).toISOString()).toBe(
      '2026-11-30T08:30:00.000Z',
    );
    const weekly = parseSchedule('weekly mon 09:00', 'Asia/Tokyo');
    expect(new Date(nextRunAfter(weekly, Date.parse('2026-11-28T10:00:00Z'))!).toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
  });

  it('is strictly after the given time', () => {
    const hourly = parseSchedule('hourly', 'UTC');
    expect(nextRunAfter(hourly, Date.parse('2026-11-28T10:00:00Z'))).toBe(Date.parse('2026-11-28T11:00:00Z'));
  });

  it('does not count a wall-clock time twice when the clocks go back', () => {
    // 2026-11-01 in New York: 01:30 EDT (05:30 UTC), then the clocks go back and 01:30 EST (06:30 UTC)
    const s = parseSchedule('daily 01:30', 'America/New_York');
    const ranAt = Date.parse('2026-11-01T05:30:00Z');
    expect(new Date(nextRunAfter(s, ranAt - 60_000)!).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // a restart in the repeated hour owes no catch-up: the next run is tomorrow
    expect(new Date(nextRunAfter(s, ranAt)!).toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });

  it('skips a local time that does not exist when the clocks go forward', () => {
    // 2026-03-08 in New York: 02:00 EST becomes 03:00 EDT, so there is no 02:30 that day
    const s = parseSchedule('daily 02:30', 'America/New_York');
    expect(new Date(nextRunAfter(s, Date.parse('2026-03-08T05:00:00Z'))!).toISOString()).toBe(
      '2026-03-09T06:30:00.000Z',
    );
  });

  it('keeps quarter-hour zones aligned and finds a leap-day schedule years ahead', () => {
    const hourly = parseSchedule('hourly', 'Asia/Kathmandu'); // UTC+05:45
    expect(new Date(nextRunAfter(hourly, Date.parse('2026-11-28T10:00:00Z'))!).toISOString()).toBe(
      '2026-11-28T10:15:00.000Z',
    );
    const leap = parseSchedule('0 9 29 2 *', 'UTC');
    expect(new Date(nextRunAfter(leap, Date.parse('2026-11-28T10:00:00Z'))!).toISOString()).toBe(
      '2028-02-29T09:00:00.000Z',
    );
  });
});

describe('dueSlot (the job scheduler: issue 17)', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    ['hourly', 'UTC', '2026-03-02T10:00:00Z', '2026-03-02T10:59:00Z', null],
    ['hourly', 'UTC', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', '2026-03-02T11:00:00.000Z'],
    // three missed slots: one catch-up, for the first
    ['hourly', 'UTC', '2026-03-02T10:00:00Z', '2026-03-02T13:30:00Z', '2026-03-02T11:00:00.000Z'],
    ['daily 09:00', 'Europe/London', '2026-07-01T09:00:00Z', '2026-07-02T08:00:00Z', '2026-07-02T08:00:00.000Z'],
    ['cron-with-seconds */10 * * * * *', 'UTC', '2026-03-02T10:00:00Z', '2026-03-02T10:00:09Z', null],
    [
      'cron-with-seconds */10 * * * * *',
      'UTC',
      '2026-03-02T10:00:00Z',
      '2026-03-02T10:00:25Z',
      '2026-03-02T10:00:20.000Z',
    ],
    ['cron-with-seconds */10 * 9 * * *', 'UTC', '2026-03-02T10:00:00Z', '2026-03-02T10:00:25Z', null],
  ])('%s in %s, last run %s, now %s → %s', (spec, zone, after, now, due) => {
    const slot = dueSlot(parseSchedule(spec, zone), at(after), at(now));
    expect(slot === null ? null : new Date(slot).toISOString()).toBe(due);
  });
});
