import type { ConfigIssue } from '../errors.js';
import { validateScheduleSpec } from '../schedule/schedule.js';
import { describeIssue } from './issues.js';
import { type SubscriptionConfig, subscriptionSchema } from './schema.js';

/**
 * The one validation every subscription goes through, whether it comes from the config file or
 * from a command: the schema and the checks it cannot express, all reported at once. Issues carry
 * paths relative to the subscription (prefix them for the file).
 */
export function checkSubscription(
  raw: unknown,
  topicIds: string[],
): { ok: true; value: SubscriptionConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = subscriptionSchema.safeParse(raw, { reportInput: true });
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map(describeIssue)),
    ...subscriptionSemantics(raw, topicIds),
  ];
  return parsed.success && issues.length === 0 ? { ok: true, value: parsed.data } : { ok: false, issues };
}

/**
 * What the schema cannot check: the schedule and time zone read, the topics exist, a chat platform has
 * its workspace. Reads the raw value, so it runs beside the schema's own issues; a field of the wrong
 * type is left to the schema.
 */
export function subscriptionSemantics(raw: unknown, topicIds: string[]): ConfigIssue[] {
  const sub = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const issues: ConfigIssue[] = [];
  const text = (key: string, fallback: string) =>
    sub[key] === undefined ? fallback : typeof sub[key] === 'string' ? sub[key] : undefined;
  const schedule = text('schedule', 'daily 09:00');
  const timezone = text('timezone', 'UTC');
  for (const problem of validateScheduleSpec(schedule ?? 'hourly', timezone ?? 'UTC')) {
    if ((problem.field === 'schedule' ? schedule : timezone) === undefined) continue;
    issues.push({ path: problem.field, expected: problem.expected, found: problem.found });
  }
  if (Array.isArray(sub.topics)) {
    sub.topics.forEach((t, j) => {
      if (typeof t === 'string' && t !== '' && !topicIds.includes(t)) {
        issues.push({
          path: `topics.${j}`,
          expected: `one of: ${topicIds.join(', ') || '(no topics defined)'}, or all`,
          found: JSON.stringify(t),
        });
      }
    });
  }
  const platform = sub.platform;
  if ((platform === 'discord' || platform === 'slack') && (sub.workspace === undefined || sub.workspace === '')) {
    issues.push({ path: 'workspace', expected: `the ${platform} guild/team id`, found: 'nothing (missing)' });
  }
  return issues;
}
