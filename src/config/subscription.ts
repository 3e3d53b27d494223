import type { ConfigIssue } from '../errors.js';
import { validateScheduleSpec } from '../schedule/schedule.js';
import { describeIssue } from './issues.js';
import { type SubscriptionConfig, subscriptionSchema } from './schema.js';

/**
 * The one validation every subscription goes through, whether it comes from the config file or
 * from a command. Issues carry paths relative to the subscription (prefix them for the file).
 */
export function checkSubscription(
  raw: unknown,
  topicIds: string[],
): { ok: true; value: SubscriptionConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = subscriptionSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map(describeIssue) };
  }
  const sub = parsed.data;
  const issues: ConfigIssue[] = [];
  for (const problem of validateScheduleSpec(sub.schedule, sub.timezone)) {
    issues.push({ path: problem.field, expected: problem.expected, found: problem.found });
  }
  if (sub.topics !== 'all') {
    sub.topics.forEach((t, j) => {
      if (!topicIds.includes(t)) {
        issues.push({
          path: `topics.${j}`,
          expected: `one of: ${topicIds.join(', ') || '(no topics defined)'}, or all`,
          found: JSON.stringify(t),
        });
      }
    });
  }
  if (sub.platform !== 'console' && sub.workspace === '') {
    issues.push({ path: 'workspace', expected: `the ${sub.platform} guild/team id`, found: 'nothing (missing)' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: sub };
}
