import { parseDuration } from '../config/duration.js';
import { newestStoryId } from '../store/digest-stories.js';
import { ftsQuery, SEARCH_SCAN, searchStories } from '../store/search.js';
import { DEFAULT_COUNT, entriesFor, moreFooter, nextPage, rangeLine } from './common.js';
import { code, errorReply, reply } from './reply.js';
import type { CommandDef } from './types.js';

export const search: CommandDef = {
  name: 'search',
  description: 'Full-text search over every stored story, best match first',
  permission: 'everyone',
  ephemeral: false,
  options: [
    {
      name: 'query',
      description: 'words, "quoted phrases", prefix* and OR',
      type: 'string',
      required: true,
      maxLength: 200,
      rest: true,
      example: '"section 230"',
    },
    { name: 'since', description: 'only stories published within, e.g. 24h or 7d', type: 'string', example: '7d' },
  ],
  // Full-text search over a large store may pass Discord's 3 s: answer "thinking…" first.
  slow: () => true,
  async run(deps, _inv, input, page) {
    const text = String(input.query ?? '');
    const q = ftsQuery(text);
    if (!q.match) {
      return errorReply('Nothing to search for', `"${text}" has no words to search for.`, [
        'Type words or a quoted phrase, for example ',
        code('/digest search "section 230" since:7d'),
        '.',
      ]);
    }
    let since: number | null = null;
    if (input.since !== undefined) {
      const ms = parseDuration(String(input.since));
      if (ms === null || ms <= 0) {
        return errorReply('Bad since', `since must be a duration such as 24h or 7d, not "${String(input.since)}".`, [
          'Type for example ',
          code(`/digest search ${text} since:7d`),
          '.',
        ]);
      }
      since = deps.now() - ms;
    }
    const offset = page?.offset ?? 0;
    const anchor = page?.anchor ?? (await newestStoryId(deps.db));
    const found = await searchStories(deps.db, { match: q.match, since, anchor, limit: DEFAULT_COUNT, offset });
    const title = `Search: ${q.terms.join(' ')}`;
    const within = input.since !== undefined ? ` published in the last ${String(input.since)}` : '';
    if (found.total === 0) {
      const wider = input.since !== undefined ? ', or a longer window (since:30d)' : '';
      return reply(title, {
        notices: [
          input.since !== undefined ? `No story${within} matches.` : 'No story matches.',
          `Try fewer words or a prefix such as traffick*${wider}.`,
        ],
      });
    }
    const entries = await entriesFor(deps, found.storyIds);
    const p = { offset, shown: entries.length, total: found.total, anchor };
    return reply(title, {
      notices: [
        `${rangeLine(p)}${within}, best match first`,
        ...(found.capped
          ? [
              `Many items match: these are the best of the newest ${SEARCH_SCAN.toLocaleString('en')}. Add words or since:7d to narrow it.`,
            ]
          : []),
      ],
      sections: [{ heading: 'Results', entries, rows: [] }],
      footer: moreFooter(p),
      nextPage: await nextPage(deps, 'search', input, p),
    });
  },
};
