import { describe, expect, it } from 'vitest';
import { composeDigest, rankStory } from '../../src/digest/compose.js';
import type { StoryCandidate } from '../../src/digest/types.js';

const NOW = Date.parse('2026-11-28T09:00:00Z');
const HOUR = 3_600_000;
const topicNames = {
  'trafficking-law': 'Trafficking law',
  'platform-liability': 'Platform liability',
  'eu-dsa': 'EU DSA',
};

function story(id: number, p: Partial<StoryCandidate> & { topics: StoryCandidate['topics'] }): StoryCandidate {
  const outlet = p.outlet ?? 'Outlet A';
  return {
    storyId: id,
    announceSeq: p.announceSeq ?? id * 10,
    firstSeenAt: NOW - HOUR,
    title: p.title ?? `Story ${id}`,
    url: p.url ?? `https://news.example/${id}`,
    outlet,
    summary: `Summary of story ${id}.`,
    publishedAt: p.publishedAt ?? NOW - HOUR,
    sources: p.sources ?? [{ itemId: id * 100, outlet, url: `https://news.example/${id}`, title: `Story ${id}` }],
    topics: p.topics,
  };
}

const base = {
  title: 'Digest',
  subscriptionId: 1,
  topics: 'all' as const,
  topicNames,
  maxItems: 10,
  minScore: 0,
  now: NOW,
  since: null,
};

describe('composeDigest', () => {
  it('groups stories by topic and lists why they matched', () => {
    const { digest } = composeDigest(
      [
        story(1, {
          topics: [
            { id: 'trafficking-law', score: 0.9, terms: ['"sex trafficking"'] },
            { id: 'platform-liability', score: 0.4, terms: ['"Section 230"'] },
          ],
        }),
        story(2, { topics: [{ id: 'eu-dsa', score: 0.7, terms: ['"Digital Services Act"'] }] }),
      ],
      base,
    );
    expect(digest.sections.map((s) => s.topicId)).toEqual(['trafficking-law', 'eu-dsa']);
    const entry = digest.sections[0]!.entries[0]!;
    expect(entry.topics.map((t) => t.id)).toEqual(['trafficking-law', 'platform-liability']);
    expect(entry.topics[1]!.terms).toEqual(['"Section 230"']);
    expect(digest.storyCount).toBe(2);
  });

  it('lists a story under the first of its topics in config order, whatever the scores', () => {
    const { digest } = composeDigest(
      [
        story(1, {
          topics: [
            { id: 'eu-dsa', score: 0.95, terms: ['DSA'] },
            { id: 'platform-liability', score: 0.3, terms: ['"Section 230"'] },
          ],
        }),
      ],
      base,
    );
    expect(digest.sections.map((s) => s.topicId)).toEqual(['platform-liability']);
    // why it matched still lists every topic, best first
    expect(digest.sections[0]!.entries[0]!.topics.map((t) => t.id)).toEqual(['eu-dsa', 'platform-liability']);
    // a subscription without that topic files it under the next one it has
    const dsaOnly = composeDigest(
      [
        story(1, {
          topics: [
            { id: 'eu-dsa', score: 0.95, terms: ['DSA'] },
            { id: 'platform-liability', score: 0.3, terms: ['x'] },
          ],
        }),
      ],
      { ...base, topics: ['eu-dsa'] },
    ).digest;
    expect(dsaOnly.sections.map((s) => s.topicId)).toEqual(['eu-dsa']);
  });

  it('keeps only the subscribed topics and the minimum score', () => {
    const candidates = [
      story(1, { topics: [{ id: 'trafficking-law', score: 0.9, terms: ['a'] }] }),
      story(2, { topics: [{ id: 'eu-dsa', score: 0.9, terms: ['b'] }] }),
      story(3, { topics: [{ id: 'eu-dsa', score: 0.1, terms: ['c'] }] }),
      story(4, { topics: [] }),
    ];
    const onlyDsa = composeDigest(candidates, { ...base, topics: ['eu-dsa'], minScore: 0.5 }).digest;
    expect(onlyDsa.sections.flatMap((s) => s.entries.map((e) => e.storyId))).toEqual([2]);
    // a topic no longer configured is ignored even under 'all'
    const stale = composeDigest([story(5, { topics: [{ id: 'gone-topic', score: 1, terms: ['x'] }] })], base).digest;
    expect(stale.sections).toEqual([]);
  });

  it('caps at maxItems and counts the rest per topic as "more"; each topic shown has its top story', () => {
    const candidates = Array.from({ length: 7 }, (_, i) =>
      story(i + 1, { topics: [{ id: i < 5 ? 'trafficking-law' : 'eu-dsa', score: 1 - i * 0.1, terms: ['t'] }] }),
    );
    const { digest, cursorTo } = composeDigest(candidates, { ...base, maxItems: 3 });
    expect(digest.storyCount).toBe(3);
    const trafficking = digest.sections.find((s) => s.topicId === 'trafficking-law')!;
    const dsa = digest.sections.find((s) => s.topicId === 'eu-dsa')!;
    // the DSA stories rank below every trafficking one, yet the DSA section still leads with its best
    expect(trafficking.entries.map((e) => e.storyId)).toEqual([1, 2]);
    expect(trafficking.more).toBe(3);
    expect(dsa.entries.map((e) => e.storyId)).toEqual([6]);
    expect(dsa.more).toBe(1);
    // the cursor covers every candidate looked at, shown or capped
    expect(cursorTo).toBe(70);
  });

  it('never shows a topic with no story: past the cap, a topic is left out whole', () => {
    // maxItems 5 as in the report: five strong trafficking stories used to fill the cap, leaving
    // "Platform liability" as a heading with only "…and 4 more".
    const trafficking = Array.from({ length: 6 }, (_, i) =>
      story(i + 1, { topics: [{ id: 'trafficking-law', score: 0.95 - i * 0.01, terms: ['t'] }] }),
    );
    const liability = Array.from({ length: 4 }, (_, i) =>
      story(i + 11, { topics: [{ id: 'platform-liability', score: 0.5 - i * 0.01, terms: ['t'] }] }),
    );
    const five = composeDigest([...trafficking, ...liability], { ...base, maxItems: 5 }).digest;
    for (const section of five.sections) expect(section.entries.length).toBeGreaterThan(0);
    expect(five.sections.map((s) => [s.topicId, s.entries.length, s.more])).toEqual([
      ['trafficking-law', 4, 2],
      ['platform-liability', 1, 3],
    ]);
    // one slot for three topics: the topic of the best story is shown, the others are left out
    const dsa = story(21, { topics: [{ id: 'eu-dsa', score: 0.3, terms: ['t'] }] });
    const one = composeDigest([...trafficking, ...liability, dsa], { ...base, maxItems: 1 }).digest;
    expect(one.sections.map((s) => [s.topicId, s.entries.length, s.more])).toEqual([['trafficking-law', 1, 5]]);
  });

  it('ranks by topic score, outlet count and recency', () => {
    const many = story(1, {
      topics: [{ id: 'trafficking-law', score: 0.5, terms: ['t'] }],
      sources: ['A', 'B', 'C', 'D', 'E'].map((o, i) => ({ itemId: i, outlet: o, url: null, title: 't' })),
    });
    const single = story(2, { topics: [{ id: 'trafficking-law', score: 0.5, terms: ['t'] }] });
    const old = story(3, {
      topics: [{ id: 'trafficking-law', score: 0.5, terms: ['t'] }],
      publishedAt: NOW - 72 * HOUR,
    });
    expect(rankStory(many, 0.5, NOW)).toBeGreaterThan(rankStory(single, 0.5, NOW));
    expect(rankStory(single, 0.5, NOW)).toBeGreaterThan(rankStory(old, 0.5, NOW));
    const { digest } = composeDigest([old, single, many], base);
    expect(digest.sections[0]!.entries.map((e) => e.storyId)).toEqual([1, 2, 3]);
  });

  it('lists every other outlet once in "also reported by"', () => {
    const s = story(1, {
      outlet: 'Alpha',
      topics: [{ id: 'trafficking-law', score: 1, terms: ['t'] }],
      sources: [
        { itemId: 1, outlet: 'Alpha', url: 'https://alpha.example/1', title: 'a' },
        { itemId: 2, outlet: 'Beta', url: 'https://beta.example/1', title: 'b' },
        { itemId: 3, outlet: 'Alpha', url: 'https://alpha.example/2', title: 'a2' },
        { itemId: 4, outlet: 'Beta', url: 'https://beta.example/2', title: 'b2' },
        { itemId: 5, outlet: 'Gamma', url: null, title: 'c' },
      ],
    });
    const entry = composeDigest([s], base).digest.sections[0]!.entries[0]!;
    expect(entry.alsoReportedBy).toEqual([
      { outlet: 'Beta', url: 'https://beta.example/1', title: 'b' },
      { outlet: 'Gamma', url: null, title: 'c' },
    ]);
  });

  it('yields no sections and cursor 0 for no candidates', () => {
    const { digest, cursorTo } = composeDigest([], base);
    expect(digest.sections).toEqual([]);
    expect(digest.storyCount).toBe(0);
    expect(cursorTo).toBe(0);
  });
});
