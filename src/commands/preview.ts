import { composeDigest } from '../digest/compose.js';
import { storiesAfterCursor } from '../store/digest-stories.js';
import { findSubscription } from '../store/subscriptions.js';
import { topicNames } from './common.js';
import { code, errorReply, reply } from './reply.js';
import { nextRunLine, scheduleText, topicsText } from './subscription-text.js';
import type { CommandDef } from './types.js';

export const preview: CommandDef = {
  name: 'preview',
  description: "What this channel's next digest would hold if it ran now (only you see it)",
  permission: 'everyone',
  ephemeral: true,
  options: [],
  async run(deps, inv) {
    const sub = await findSubscription(deps.db, inv);
    if (!sub?.active) {
      return errorReply('Not subscribed', `${inv.thread ? 'This thread' : 'This channel'} has no subscription.`, [
        'Start one with ',
        code('/digest subscribe all'),
        ', or look at the news with ',
        code('/digest latest'),
        '.',
      ]);
    }
    const now = deps.now();
    const { digest } = composeDigest(await storiesAfterCursor(deps.db, sub.cursor), {
      title: `${deps.config.bot.name} digest`,
      subscriptionId: sub.id,
      topics: sub.topics,
      topicNames: topicNames(deps),
      maxItems: sub.maxItems,
      minScore: sub.minScore,
      now,
      since: sub.lastDigestAt,
    });
    const n = digest.storyCount;
    const about = `Subscription #${sub.id}: ${topicsText(deps, sub.topics)}, ${scheduleText(sub)}.`;
    const news =
      n === 0
        ? `Nothing new since the last digest${deps.config.digest.skipEmpty ? ': the next run would post nothing.' : '.'}`
        : `The next digest would hold ${n} ${n === 1 ? 'story' : 'stories'}:`;
    return reply('Preview of the next digest', {
      ephemeral: true,
      notices: [about, nextRunLine(deps, sub), news],
      sections: digest.sections
        .filter((s) => s.entries.length > 0 || s.more > 0)
        .map((s) => ({
          heading: s.topicName,
          entries: s.entries,
          rows: [],
          ...(s.more > 0 ? { more: { count: s.more, command: `/digest latest ${s.topicId}` } } : {}),
        })),
    });
  },
};
