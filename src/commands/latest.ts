import { latestStories, newestStoryId } from '../store/digest-stories.js';
import { nextPollAt } from '../store/feeds.js';
import {
  DEFAULT_COUNT,
  entriesFor,
  MAX_COUNT,
  moreFooter,
  nextPage,
  rangeLine,
  resolveTopic,
  SLOW_COUNT,
  topicNames,
  when,
} from './common.js';
import { code, type Line, reply } from './reply.js';
import type { CommandDef, CommandDeps } from './types.js';

export const latest: CommandDef = {
  name: 'latest',
  description: 'The newest stories, with their summary, outlets and why they matched',
  permission: 'everyone',
  ephemeral: false,
  options: [
    { name: 'topic', description: 'only this topic', type: 'string', autocomplete: 'topic', example: 'child-safety' },
    {
      name: 'count',
      description: `how many stories (1–${MAX_COUNT}, default ${DEFAULT_COUNT})`,
      type: 'integer',
      min: 1,
      max: MAX_COUNT,
      example: '10',
    },
  ],
  slow: (input) => Number(input.count ?? DEFAULT_COUNT) > SLOW_COUNT,
  async run(deps, _inv, input, page) {
    let topic: string | null = null;
    if (typeof input.topic === 'string') {
      const resolved = resolveTopic(deps, input.topic, { allowAll: true });
      if (!resolved.ok) return resolved.reply;
      topic = resolved.topic === 'all' ? null : resolved.topic;
    }
    const count = Number(input.count ?? DEFAULT_COUNT);
    const offset = page?.offset ?? 0;
    const anchor = page?.anchor ?? (await newestStoryId(deps.db));
    const { storyIds, total } = await latestStories(deps.db, { topic, anchor, limit: count, offset });
    const name = topic ? (topicNames(deps)[topic] ?? topic) : null;
    const title = name ? `Latest: ${name}` : 'Latest stories';
    if (total === 0) return reply(title, { notices: await noStories(deps, name) });
    const entries = await entriesFor(deps, storyIds);
    const p = { offset, shown: entries.length, total, anchor };
    return reply(title, {
      notices: [rangeLine(p)],
      sections: [{ heading: name ?? 'All topics', entries, rows: [] }],
      footer: moreFooter(p),
      nextPage: await nextPage(deps, 'latest', { ...input, topic: topic ?? undefined }, p),
    });
  },
};

async function noStories(deps: CommandDeps, topicName: string | null): Promise<Line[]> {
  const now = deps.now();
  const next = await nextPollAt(deps.db);
  const poll: Line =
    next === null
      ? ['No feed is due to be polled: see ', code('/digest sources'), '.']
      : `Next poll: ${when(Math.max(next, now), now)}.`;
  return [topicName ? `No stories in ${topicName} yet.` : 'No stories yet.', poll];
}
