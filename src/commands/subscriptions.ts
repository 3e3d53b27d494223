import { channelSubscriptions } from '../store/subscriptions.js';
import { code, reply } from './reply.js';
import { nextRunLine, scheduleText, topicsText, whereText } from './subscription-text.js';
import type { CommandDef } from './types.js';

export const subscriptions: CommandDef = {
  name: 'subscriptions',
  description: "This channel's subscriptions, each with its next run; paused ones with the reason",
  permission: 'everyone',
  ephemeral: true,
  options: [],
  async run(deps, inv) {
    const subs = (await channelSubscriptions(deps.db, inv)).filter((s) => s.active);
    if (subs.length === 0) {
      return reply('Subscriptions', {
        ephemeral: true,
        notices: [['This channel has no subscriptions. Start one with ', code('/digest subscribe all'), '.']],
      });
    }
    const paused = subs.filter((s) => s.pausedReason).length;
    return reply('Subscriptions', {
      ephemeral: true,
      notices: [
        `${subs.length} ${subs.length === 1 ? 'subscription' : 'subscriptions'} in this channel${paused > 0 ? `, ${paused} paused` : ''}.`,
      ],
      sections: [
        {
          heading: 'This channel',
          entries: [],
          rows: subs.map((s) => ({
            label: `${whereText(s, inv)}${s.pausedReason ? ' (paused)' : ''}`,
            lines: [
              `${topicsText(deps, s.topics)}; ${scheduleText(s)}${s.source === 'config' ? '; from the config file' : ''}`,
              nextRunLine(deps, s),
            ],
          })),
        },
      ],
    });
  },
};
