import { findSubscription, removeSubscription, upsertSubscription } from '../store/subscriptions.js';
import { resolveTopic } from './common.js';
import { code, errorReply, reply } from './reply.js';
import { nextRunLine, scheduleText, topicsText } from './subscription-text.js';
import type { CommandDef } from './types.js';

export const unsubscribe: CommandDef = {
  name: 'unsubscribe',
  description: 'Stop a topic, or all, in this channel (or thread)',
  permission: 'admin',
  ephemeral: false,
  options: [
    {
      name: 'topic',
      description: 'a topic id, or all',
      type: 'string',
      required: true,
      autocomplete: 'topic-or-all',
      example: 'child-safety',
    },
  ],
  async run(deps, inv, input) {
    const where = inv.thread ? 'This thread' : 'This channel';
    const topic = resolveTopic(deps, String(input.topic ?? ''), { allowAll: true });
    if (!topic.ok) return topic.reply;
    const key = { platform: inv.platform, workspace: inv.workspace, channel: inv.channel, thread: inv.thread };
    const sub = await findSubscription(deps.db, key);
    if (!sub?.active) {
      return errorReply('Not subscribed', `${where} has no subscription.`, [
        'See what this channel gets with ',
        code('/digest subscriptions'),
        '.',
      ]);
    }
    if (sub.source === 'config') {
      return errorReply(
        'Set in the config file',
        `${where}'s subscription #${sub.id} comes from the bot's config file.`,
        'Remove it from that file; a change made here would be undone at the next start.',
      );
    }
    const all = Object.keys(deps.config.topics);
    const current = sub.topics === 'all' ? all : sub.topics;
    const left = topic.topic === 'all' ? [] : current.filter((t) => t !== topic.topic);
    if (topic.topic !== 'all' && left.length === current.length) {
      return errorReply(
        'Not subscribed to that topic',
        `${where} gets ${topicsText(deps, sub.topics)}, not ${topicsText(deps, [topic.topic])}.`,
        ['To stop everything, type ', code('/digest unsubscribe all'), '.'],
      );
    }
    if (left.length === 0) {
      await removeSubscription(deps.db, sub.id);
      deps.subscriptionsChanged?.();
      return reply('Unsubscribed', {
        notices: [`${where} no longer gets digests (subscription #${sub.id} removed).`],
      });
    }
    const updated = { ...sub, topics: left };
    await upsertSubscription(
      deps.db,
      { ...updated, thread: sub.thread || undefined },
      { source: 'command', now: deps.now() },
    );
    deps.subscriptionsChanged?.();
    return reply('Unsubscribed', {
      notices: [
        `${where} no longer gets ${topicsText(deps, [topic.topic])}.`,
        `Subscription #${sub.id} keeps ${topicsText(deps, left)}, ${scheduleText(sub)}.`,
        nextRunLine(deps, updated),
      ],
    });
  },
};
