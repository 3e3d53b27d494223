import { type FeedRow, lastItemTimes, listFeeds } from '../store/feeds.js';
import { outboxStatus } from '../store/outbox.js';
import { oldestPendingPartAt } from '../store/status.js';
import { listSubscriptions } from '../store/subscriptions.js';
import { relative, when } from './common.js';
import type { Line, ReplyRow, ReplySection } from './reply.js';
import { reply } from './reply.js';
import { whereText } from './subscription-text.js';
import type { CommandDef, CommandDeps, Invocation } from './types.js';

export const sources: CommandDef = {
  name: 'sources',
  description: 'Feed health: which feeds are ok, failing or disabled, and when each last brought something new',
  permission: 'everyone',
  ephemeral: true,
  options: [],
  async run(deps, inv) {
    const now = deps.now();
    const feeds = (await listFeeds(deps.db)).filter((f) => f.watched);
    const lastItem = await lastItemTimes(deps.db);
    const row = (f: FeedRow): ReplyRow => feedRow(f, lastItem.get(f.id) ?? null, now);
    const groups: [string, FeedRow['state']][] = [
      ['Failing', 'failing'],
      ['Disabled', 'disabled'],
      ['OK', 'ok'],
    ];
    const sections: ReplySection[] = groups
      .map(([heading, state]) => ({ heading, entries: [], rows: feeds.filter((f) => f.state === state).map(row) }))
      .filter((s) => s.rows.length > 0);
    const paused = await pausedHere(deps, inv);
    if (paused.rows.length > 0) sections.unshift(paused);
    const count = (state: FeedRow['state']) => feeds.filter((f) => f.state === state).length;
    return reply('Sources', {
      ephemeral: true,
      notices: [
        feeds.length === 0
          ? 'No feeds are configured.'
          : `${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'}: ${count('ok')} ok, ${count('failing')} failing, ${count('disabled')} disabled.`,
        ...(await backlogNotice(deps, now)),
      ],
      sections,
    });
  },
};

/** Digest parts still waiting to be posted (a chat platform down or rate limiting): how many and since when. */
async function backlogNotice(deps: CommandDeps, now: number): Promise<string[]> {
  const { pendingParts, pendingDigests } = await outboxStatus(deps.db);
  if (pendingParts === 0) return [];
  const oldest = await oldestPendingPartAt(deps.db);
  const since = oldest === null ? '' : `, the oldest composed ${relative(oldest, now)}`;
  const parts = `${pendingParts} digest ${pendingParts === 1 ? 'part' : 'parts'}`;
  const digests = `${pendingDigests} ${pendingDigests === 1 ? 'digest' : 'digests'}`;
  return [
    `Delivery backlog: ${parts} of ${digests} waiting to be posted${since}; they go out in order once the platform answers.`,
  ];
}

function feedRow(f: FeedRow, lastItemAt: number | null, now: number): ReplyRow {
  const lines: Line[] = [];
  if (f.state !== 'ok' && f.lastErrorMessage) {
    const failures = `${f.consecutiveFailures} failure${f.consecutiveFailures === 1 ? '' : 's'} in a row`;
    lines.push(`${failures}: ${f.lastErrorMessage}`);
  }
  if (f.state === 'disabled') lines.push('Disabled: an admin can bring it back with watchdesk feeds enable.');
  lines.push(lastItemAt === null ? 'No item yet.' : `Last new item ${relative(lastItemAt, now)}.`);
  if (f.state !== 'disabled') lines.push(`Next poll: ${when(Math.max(f.nextPollAt, now), now)}.`);
  return { label: f.name ?? f.title ?? f.url, lines };
}

/** Subscriptions of this workspace that stopped because a channel went away or the bot lost access. */
async function pausedHere(deps: CommandDeps, inv: Invocation): Promise<ReplySection> {
  const subs = (await listSubscriptions(deps.db, { activeOnly: true })).filter(
    (s) => s.pausedReason && s.platform === inv.platform && s.workspace === inv.workspace,
  );
  return {
    heading: 'Paused subscriptions',
    entries: [],
    rows: subs.map((s) => ({
      label: s.channel === inv.channel ? whereText(s, inv) : `#${s.id} in channel ${s.channel}`,
      lines: [`Paused ${s.pausedAt === null ? '' : relative(s.pausedAt, deps.now())}: ${s.pausedReason}`],
    })),
  };
}
