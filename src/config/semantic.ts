import type { ConfigIssue } from '../errors.js';
import { compileQuery, QuerySyntaxError } from '../topics/query.js';
import { subscriptionSemantics } from './subscription.js';

/**
 * The checks the schema cannot express: queries compile, feed URLs are not listed twice, subscriptions
 * have readable schedules and name real topics. They read the raw YAML, not the schema's output, so
 * they run even when the schema found problems: every problem is reported at once, instead of a second
 * round of errors once the first round is fixed. A value of the wrong type is the schema's to report,
 * and is skipped here.
 */
export function semanticIssues(raw: unknown): ConfigIssue[] {
  const root = asRecord(raw);
  const topics = asRecord(root.topics);
  return [
    ...topicQueryIssues(topics),
    ...duplicateFeedIssues(root.feeds),
    ...subscriptionIssues(root.subscriptions, Object.keys(topics)),
  ];
}

function topicQueryIssues(topics: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [id, topic] of Object.entries(topics)) {
    for (const key of ['query', 'not'] as const) {
      const source = asRecord(topic)[key];
      if (typeof source !== 'string' || source === '') continue;
      try {
        compileQuery(source);
      } catch (err) {
        if (!(err instanceof QuerySyntaxError)) throw err;
        issues.push({
          path: `topics.${id}.${key}`,
          expected: 'a valid topic query',
          found: `${err.message} at position ${err.position}: ${JSON.stringify(source)}`,
        });
      }
    }
  }
  return issues;
}

function duplicateFeedIssues(feeds: unknown): ConfigIssue[] {
  if (!Array.isArray(feeds)) return [];
  const issues: ConfigIssue[] = [];
  const seenUrls = new Map<string, number>();
  feeds.forEach((feed, i) => {
    const url = asRecord(feed).url;
    if (typeof url !== 'string') return;
    const prior = seenUrls.get(url);
    if (prior !== undefined) {
      issues.push({
        path: `feeds.${i}.url`,
        expected: 'a URL not listed before',
        found: `the same URL as feeds.${prior}`,
      });
    }
    seenUrls.set(url, i);
  });
  return issues;
}

function subscriptionIssues(subs: unknown, topicIds: string[]): ConfigIssue[] {
  if (!Array.isArray(subs)) return [];
  return subs.flatMap((sub, i) =>
    subscriptionSemantics(sub, topicIds).map((issue) => ({ ...issue, path: `subscriptions.${i}.${issue.path}` })),
  );
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
