import { formatDate } from '../render/text.js';
import { storyMembers } from '../store/stories.js';
import { entriesFor } from './common.js';
import { code, errorReply, type Line, link, reply } from './reply.js';
import type { CommandDef } from './types.js';

export const story: CommandDef = {
  name: 'story',
  description: "One story, with every outlet's link and when each reported it",
  permission: 'everyone',
  ephemeral: false,
  options: [
    {
      name: 'id',
      description: 'the story number (start typing a title for suggestions)',
      type: 'integer',
      required: true,
      min: 1,
      autocomplete: 'story',
      example: '42',
    },
  ],
  async run(deps, inv, input) {
    const id = Number(input.id);
    const [entry] = await entriesFor(deps, [id]);
    if (!entry) {
      return errorReply('Unknown story', `There is no story ${id}.`, [
        'Find its number with ',
        code('/digest latest'),
        ' or ',
        code('/digest search'),
        // Only Discord suggests titles as you type; Slack's command text has no options to type into.
        inv.platform === 'discord' ? ', or start typing a title in the id option.' : ' (each story shows it).',
      ]);
    }
    const members = await storyMembers(deps.db, id);
    const outlets = new Set(members.map((m) => m.outlet)).size;
    return reply(`Story ${id}`, {
      notices: [
        `Reported ${members.length} ${members.length === 1 ? 'time' : 'times'} by ${outlets} ${outlets === 1 ? 'outlet' : 'outlets'}`,
      ],
      sections: [
        // No heading of its own: the entry shows the title.
        { heading: '', entries: [entry], rows: [] },
        {
          heading: 'Every report',
          entries: [],
          rows: members.map((m) => {
            const title: Line = m.url ? [link(m.title, m.url)] : m.title;
            return { label: m.outlet, lines: [title, `reported ${formatDate(new Date(m.publishedAt).toISOString())}`] };
          }),
        },
      ],
    });
  },
};
