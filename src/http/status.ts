import { channelLabel } from '../chat/types.js';
import { redactUrl, redactUrlsIn } from '../feeds/redact-url.js';
import { nextRunOf } from '../schedule/schedule.js';
import { listDeadParts, outboxStatus } from '../store/outbox.js';
import type { Sql } from '../store/sql.js';
import { feedHealth, type RecentStory, recentStories, topicDailyCounts } from '../store/status.js';
import { listSubscriptions, type SubscriptionRow } from '../store/subscriptions.js';

export const CHART_DAYS = 14;
const DAY_MS = 86_400_000;

/** Everything the status page shows, read from the store in one go. */
export interface StatusSnapshot {
  botName: string;
  generatedAt: number;
  feeds: FeedStatus[];
  topics: TopicStatus[];
  subscriptions: SubscriptionStatus[];
  outbox: { pendingDigests: number; pendingParts: number; dead: DeadPartStatus[] };
  stories: RecentStory[];
}

export interface FeedStatus {
  id: number;
  name: string;
  state: 'ok' | 'failing' | 'disabled';
  failures: number;
  lastError: string | null;
  lastNewItemAt: number | null;
  /** Null when the feed is disabled and waits for `feeds enable`. */
  nextPollAt: number | null;
}

export interface TopicStatus {
  id: string;
  name: string;
  /** CHART_DAYS entries, oldest first; `day` is the UTC date as YYYY-MM-DD. */
  days: { day: string; stories: number }[];
}

export interface SubscriptionStatus {
  id: number;
  channel: string;
  topics: string;
  schedule: string;
  mode: 'digest' | 'instant';
  nextRunAt: number | null;
  /** Why it is not running; null when it runs. */
  paused: string | null;
}

export interface DeadPartStatus {
  digestId: number;
  part: string;
  channel: string;
  attempts: number;
  reason: string;
}

export interface StatusDeps {
  db: Sql;
  botName: string;
  topics: { id: string; name: string }[];
  /** Why a subscription cannot run now (a missing token, an unusable schedule), else null. */
  pausedReason: (sub: SubscriptionRow) => string | null;
  now: () => number;
}

export async function collectStatus(deps: StatusDeps): Promise<StatusSnapshot> {
  const now = deps.now();
  const outbox = await outboxStatus(deps.db);
  return {
    botName: deps.botName,
    generatedAt: now,
    feeds: (await feedHealth(deps.db)).map((f) => ({
      id: f.id,
      // a private feed's address may carry a token; the page shows the name, else the redacted URL
      name: f.name ?? f.title ?? redactUrl(f.url),
      state: f.state,
      failures: f.consecutiveFailures,
      lastError: f.lastErrorMessage ? redactUrlsIn(f.lastErrorMessage) : null,
      lastNewItemAt: f.lastNewItemAt,
      nextPollAt: f.state === 'disabled' ? null : f.nextPollAt,
    })),
    topics: await topicCharts(deps, now),
    subscriptions: (await listSubscriptions(deps.db, { activeOnly: true })).map((s) => {
      const paused = deps.pausedReason(s);
      return {
        id: s.id,
        channel: channelLabel(s),
        topics: s.topics === 'all' ? 'all' : s.topics.join(', '),
        schedule: s.mode === 'instant' ? 'instant' : `${s.schedule} (${s.timezone})`,
        mode: s.mode,
        nextRunAt: paused ? null : nextRunOf(s, now),
        paused,
      };
    }),
    outbox: {
      pendingDigests: outbox.pendingDigests,
      pendingParts: outbox.pendingParts,
      dead: (await listDeadParts(deps.db)).map((p) => ({
        digestId: p.digestId,
        part: `${p.seq}/${p.partCount}`,
        channel: channelLabel(p),
        attempts: p.attempts,
        reason: p.lastError ?? 'unknown',
      })),
    },
    stories: await recentStories(deps.db, 20),
  };
}

async function topicCharts(deps: StatusDeps, now: number): Promise<TopicStatus[]> {
  const today = Math.floor(now / DAY_MS);
  const first = today - CHART_DAYS + 1;
  const counts = new Map<string, number>();
  for (const c of await topicDailyCounts(deps.db, first)) counts.set(`${c.topic}|${c.day}`, c.stories);
  return deps.topics.map((t) => ({
    id: t.id,
    name: t.name,
    days: Array.from({ length: CHART_DAYS }, (_, i) => ({
      day: new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
      stories: counts.get(`${t.id}|${first + i}`) ?? 0,
    })),
  }));
}
