import { describe, expect, it } from 'vitest';
import { nextRunAfter, parseSchedule, presetToCron, validateScheduleSpec } from '../../src/scheduler/schedule.js';

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
});
