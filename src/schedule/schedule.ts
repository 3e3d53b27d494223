import { parse as parseCron, validateDetailed } from 'node-cron';

/**
 * A subscription's schedule: a preset a person can type ("daily 09:00") or a cron expression,
 * always read in an IANA time zone.
 */
export interface Schedule {
  spec: string;
  cron: string;
  timezone: string;
}

const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const SCHEDULE_PRESETS = ['hourly', 'daily HH:MM', 'weekdays HH:MM', 'weekly DAY HH:MM'] as const;

export interface ScheduleProblem {
  field: 'schedule' | 'timezone';
  expected: string;
  found: string;
}

/** Returns what is wrong with which field; an empty list when the spec and zone are usable. */
export function validateScheduleSpec(spec: string, timezone: string): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (!isValidTimeZone(timezone)) {
    problems.push({
      field: 'timezone',
      expected: 'an IANA time zone such as Europe/London or America/New_York',
      found: JSON.stringify(timezone),
    });
  }
  if (cronFields(spec) === 6) {
    // node-cron reads six fields as seconds first, so "0 9 * * 1-5 *" would fire at 00:09 on 1 January.
    problems.push({
      field: 'schedule',
      expected: `a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 9 * * 1-5"; 6 fields would be read as seconds first, so drop the seconds field (or write "${WITH_SECONDS} <6 fields>" if seconds are meant)`,
      found: JSON.stringify(spec),
    });
  } else if (presetToCron(spec) === null) {
    problems.push({
      field: 'schedule',
      expected: `a preset (${SCHEDULE_PRESETS.join(', ')}) or a cron expression such as "0 9 * * 1-5"`,
      found: JSON.stringify(spec),
    });
  }
  return problems;
}

/** Throws a plain Error with the problem; callers validate first for a friendlier message. */
export function parseSchedule(spec: string, timezone: string): Schedule {
  const [problem] = validateScheduleSpec(spec, timezone);
  if (problem) throw new Error(`${problem.field}: expected ${problem.expected}, found ${problem.found}`);
  return { spec, cron: presetToCron(spec) as string, timezone };
}

/** Maps a preset to cron, passes a valid cron expression through, and returns null otherwise. */
export function presetToCron(spec: string): string | null {
  const s = spec.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === 'hourly') return '0 * * * *';
  let m = /^daily (\d{1,2}):(\d{2})$/.exec(s);
  if (m) return timeCron(m[1], m[2], '*');
  m = /^weekdays (\d{1,2}):(\d{2})$/.exec(s);
  if (m) return timeCron(m[1], m[2], '1-5');
  m = /^weekly (sun|mon|tue|wed|thu|fri|sat)[a-z]* (\d{1,2}):(\d{2})$/.exec(s);
  if (m) return timeCron(m[2], m[3], String(DAYS[m[1] as string]));
  if (s.startsWith(`${WITH_SECONDS} `)) {
    // Seconds only when asked for by name (tests and demos that need a digest every few seconds).
    const cron = s.slice(WITH_SECONDS.length + 1);
    return cronFields(cron) === 6 && validateDetailed(cron).valid ? cron : null;
  }
  if (cronFields(s) !== 5) return null;
  return validateDetailed(s).valid ? s : null;
}

/** The explicit prefix of a 6-field cron whose first field is seconds. */
const WITH_SECONDS = 'cron-with-seconds';

function cronFields(spec: string): number {
  return spec.trim().split(/\s+/).length;
}

function timeCron(h: string | undefined, min: string | undefined, dow: string): string | null {
  const hour = Number(h);
  const minute = Number(min);
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) return null;
  return `${minute} ${hour} * * ${dow}`;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/**
 * The first time strictly after `after` (ms) at which the schedule fires, or null if none within
 * `horizonDays` (four years and a bit by default, so a leap-day schedule still has a next run).
 * Walks the schedule's local clock: an hour that cannot match is skipped whole, and a wall-clock
 * time the clocks repeat when they go back (DST ends) does not count a second time, so a catch-up
 * never re-sends the slot that already ran in the first pass through the repeated hour. Used for
 * catch-up and listings, never on a hot path.
 */
export function nextRunAfter(schedule: Schedule, after: number, horizonDays = 1_500): number | null {
  const fields = parseCron(schedule.cron);
  const parts = localParts(schedule.timezone);
  const start = wallClock(parts(after));
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  const end = after + horizonDays * 86_400_000;
  while (t <= end) {
    const p = parts(t);
    const hourMatches =
      fields.month.includes(p.month) &&
      dayMatches(fields.dayOfMonth, fields.dayOfWeek, p.day, p.weekday) &&
      fields.hour.includes(p.hour);
    if (!hourMatches) {
      // to the next local hour boundary; DST shifts are whole or half hours, so none is jumped over
      t += (60 - p.minute) * 60_000;
      continue;
    }
    if (fields.minute.includes(p.minute) && wallClock(p) > start) return t;
    t += 60_000;
  }
  return null;
}

/**
 * The slot due now: the first time after `after` the schedule fires, if that is no later than `now`, else null.
 * Several missed slots are one (the first): a catch-up. A schedule with seconds (cron-with-seconds, for tests and
 * demos) fires within its minutes: then the latest matching second in (after, now], looked for up to two
 * minutes back (seconds are the same in every time zone, whose offsets are whole minutes).
 */
export function dueSlot(schedule: Schedule, after: number, now: number): number | null {
  if (cronFields(schedule.cron) !== 6) {
    const next = nextRunAfter(schedule, after);
    return next !== null && next <= now ? next : null;
  }
  const seconds = parseCron(schedule.cron).second;
  for (let t = Math.floor(now / 1000) * 1000; t > after && t > now - 120_000; t -= 1000) {
    const second = new Date(t).getUTCSeconds();
    if (!seconds.includes(second)) continue;
    const minute = t - second * 1000;
    // Its minute is one the schedule fires in when the minute-level walk from just before it lands on it.
    if (nextRunAfter(schedule, minute - 1) === minute) return t;
  }
  return null;
}

/** What nextRunOf reads from a subscription (a store row fits; this module knows nothing of the store). */
export interface ScheduledSubscription {
  mode: 'digest' | 'instant';
  active: boolean;
  schedule: string;
  timezone: string;
}

/** Next run of a digest subscription, for `watchdesk subscriptions list`. */
export function nextRunOf(sub: ScheduledSubscription, now: number): number | null {
  if (sub.mode !== 'digest' || !sub.active) return null;
  try {
    return nextRunAfter(parseSchedule(sub.schedule, sub.timezone), now);
  } catch {
    // an unreadable stored schedule shows as "no next run" rather than breaking the listing
    return null;
  }
}

/** A local date and time as one comparable number (minutes, with room for every field). */
function wallClock(p: { year: number; month: number; day: number; hour: number; minute: number }): number {
  return (((p.year * 13 + p.month) * 32 + p.day) * 24 + p.hour) * 60 + p.minute;
}

function dayMatches(dom: (number | string)[], dow: (number | string)[], day: number, weekday: number): boolean {
  const domAll = dom.length >= 31;
  const dowAll = dow.length >= 7;
  const domHit = dom.map(Number).includes(day);
  const dowHit = dow.map(Number).some((d) => d % 7 === weekday);
  // cron: when both day fields are restricted, either may match
  if (!domAll && !dowAll) return domHit || dowHit;
  return domHit && dowHit;
}

function localParts(timeZone: string) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  return (t: number) => {
    const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
    for (const part of fmt.formatToParts(t)) {
      if (part.type === 'year') out.year = Number(part.value);
      else if (part.type === 'month') out.month = Number(part.value);
      else if (part.type === 'day') out.day = Number(part.value);
      else if (part.type === 'hour') out.hour = Number(part.value);
      else if (part.type === 'minute') out.minute = Number(part.value);
      else if (part.type === 'weekday') out.weekday = DAYS[part.value.toLowerCase()] ?? 0;
    }
    return out;
  };
}
