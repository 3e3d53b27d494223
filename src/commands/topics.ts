import { topicStoryCounts } from '../store/digest-stories.js';
import { code, reply } from './reply.js';
import type { CommandDef } from './types.js';

const WEEK = 7 * 86_400_000;
/** A query longer than this is cut in the listing: the whole of it is in the config file. */
const QUERY_CHARS = 300;

export const topics: CommandDef = {
  name: 'topics',
  description: 'Each topic: its name, its query and how many stories it had in the last 7 days',
  permission: 'everyone',
  ephemeral: false,
  options: [],
  async run(deps) {
    const counts = await topicStoryCounts(deps.db, deps.now() - WEEK);
    const entries = Object.entries(deps.config.topics);
    if (entries.length === 0) {
      return reply('Topics', { notices: ['No topics are configured yet: add them to the config file.'] });
    }
    return reply('Topics', {
      notices: [
        [
          `${entries.length} ${entries.length === 1 ? 'topic' : 'topics'}. Subscribe this channel with `,
          code('/digest subscribe <topic>'),
          '.',
        ],
      ],
      sections: [
        {
          heading: 'Stories in the last 7 days',
          entries: [],
          rows: entries.map(([id, t]) => {
            const n = counts.get(id) ?? 0;
            return {
              label: `${t.name} (${id})`,
              lines: [`${n} ${n === 1 ? 'story' : 'stories'}`, ['Query: ', code(shortQuery(t.query))]],
            };
          }),
        },
      ],
    });
  },
};

function shortQuery(query: string): string {
  const q = query.replace(/\s+/g, ' ').trim();
  return q.length <= QUERY_CHARS ? q : `${q.slice(0, QUERY_CHARS - 1).replace(/\s+\S*$/, '')} …`;
}
