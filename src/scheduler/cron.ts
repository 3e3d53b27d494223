import { schedule as cronSchedule, type ScheduledTask } from 'node-cron';

/**
 * How late a slot may still run. node-cron sleeps on a timer (monotonic time) and then compares the wall clock with
 * the slot: after the wall clock jumps forward over a slot (an NTP step, a VM or laptop resumed), the slot is already
 * past when the timer fires, and with node-cron's default tolerance of one second it is dropped as "missed". A week
 * lets it run once, late; node-cron only ever runs the latest slot that passed, so a long jump is one digest, not many.
 */
export const LATE_SLOT_TOLERANCE_MS = 7 * 86_400_000;

/** A cron job for one digest subscription in its time zone: one run at a time, and a slot a clock jump passed still runs once. */
export function scheduleDigestCron(p: {
  cron: string;
  timezone: string;
  name: string;
  fire: () => void | Promise<void>;
}): ScheduledTask {
  return cronSchedule(p.cron, p.fire, {
    timezone: p.timezone,
    noOverlap: true,
    name: p.name,
    missedExecutionTolerance: LATE_SLOT_TOLERANCE_MS,
  });
}
