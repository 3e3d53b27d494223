import type { Digest, DigestEntry, DigestSection, DigestSource, StoryCandidate } from './types.js';

export interface ComposeOptions {
  title: string;
  subscriptionId: number | null;
  /** The subscription's topics, or 'all'. */
  topics: 'all' | string[];
  /** Topic id → display name, for every configured topic, in config order. */
  topicNames: Record<string, string>;
  maxItems: number;
  minScore: number;
  now: number;
  /** When the previous digest was delivered (ms), for the header. */
  since: number | null;
}

export interface Composed {
  digest: Digest;
  /** Highest announce_seq among the candidates looked at (shown or capped): the cursor to reserve. */
  cursorTo: number;
}

/** Half-life of the recency factor: a day-old story ranks at three quarters of a fresh one. */
const RECENCY_HALF_LIFE_MS = 24 * 3_600_000;

/**
 * Selects the stories a subscription wants, ranks them by topic score, recency and outlet count,
 * caps them at maxItems and groups them by topic (each story once, under the first of its topics
 * in config order). Pure: the caller supplies the
 * candidates (new since the cursor, or a preview window) and the clock.
 */
export function composeDigest(candidates: StoryCandidate[], opts: ComposeOptions): Composed {
  const wanted = (id: string) => id in opts.topicNames && (opts.topics === 'all' || opts.topics.includes(id));
  const topicOrder = Object.keys(opts.topicNames);
  const cursorTo = candidates.reduce((max, c) => Math.max(max, c.announceSeq ?? 0), 0);

  const ranked = candidates
    .map((c) => {
      const topics = c.topics.filter((t) => wanted(t.id) && t.score >= opts.minScore);
      if (topics.length === 0) return null;
      const best = Math.max(...topics.map((t) => t.score));
      // A story is listed under the first of its topics in config order: the file's order is the
      // team's priority, and broad topics (enforcement, courts) go last so they don't swallow the rest.
      const home = topicOrder.find((id) => topics.some((t) => t.id === id)) ?? topics[0]!.id;
      return { c, topics, home, rank: rankStory(c, best, opts.now) };
    })
    .filter((r): r is NonNullable<typeof r> => r !== null)
    .sort((a, b) => b.rank - a.rank || a.c.storyId - b.c.storyId);

  const shown = pickShown(ranked, opts.maxItems);
  // A topic none of whose stories made the cut is left out: a heading with only "…and N more" says nothing.
  const homes = new Set(ranked.filter((r) => shown.has(r.c.storyId)).map((r) => r.home));
  const sections = new Map<string, DigestSection>();
  for (const r of ranked) {
    if (!homes.has(r.home)) continue;
    const section = sections.get(r.home) ?? {
      topicId: r.home,
      topicName: opts.topicNames[r.home] ?? r.home,
      entries: [],
      more: 0,
    };
    sections.set(r.home, section);
    if (shown.has(r.c.storyId)) section.entries.push(storyEntry(r.c, r.topics, opts.topicNames));
    else section.more++;
  }

  const digest: Digest = {
    title: opts.title,
    subscriptionId: opts.subscriptionId,
    generatedAt: new Date(opts.now).toISOString(),
    since: opts.since === null ? null : new Date(opts.since).toISOString(),
    // sections in the order of their best story, each with at least that story
    sections: [...sections.values()],
    storyCount: shown.size,
  };
  return { digest, cursorTo };
}

/**
 * The stories a capped digest shows: first the best story of each topic, in the order of those
 * stories, so that every topic shown has something to read; then the best of the rest. Topics
 * past the cap are left out whole.
 */
function pickShown(ranked: { c: StoryCandidate; home: string }[], maxItems: number): Set<number> {
  const shown = new Set<number>();
  const homes = new Set<string>();
  for (const r of ranked) {
    if (shown.size >= maxItems) break;
    if (homes.has(r.home)) continue;
    homes.add(r.home);
    shown.add(r.c.storyId);
  }
  for (const r of ranked) {
    if (shown.size >= maxItems) break;
    shown.add(r.c.storyId);
  }
  return shown;
}

export function rankStory(c: StoryCandidate, topicScore: number, now: number): number {
  const outlets = new Set(c.sources.map((s) => s.outlet)).size;
  const age = Math.max(0, now - c.publishedAt);
  const recency = 0.5 + 0.5 * 2 ** (-age / RECENCY_HALF_LIFE_MS);
  return topicScore * (1 + 0.35 * Math.log(Math.max(1, outlets))) * recency;
}

/** One story as a digest (or a command reply) shows it, with the topics it is listed for. */
export function storyEntry(
  c: StoryCandidate,
  topics: StoryCandidate['topics'],
  topicNames: Record<string, string>,
): DigestEntry {
  return {
    storyId: c.storyId,
    title: c.title,
    url: c.url,
    outlet: c.outlet,
    summary: c.summary,
    published: new Date(c.publishedAt).toISOString(),
    alsoReportedBy: otherOutlets(c),
    topics: topics.map((t) => ({ id: t.id, name: topicNames[t.id] ?? t.id, score: t.score, terms: t.terms })),
  };
}

/** One link per other outlet: several items from one outlet in a story are one source to a reader. */
function otherOutlets(c: StoryCandidate): DigestSource[] {
  const seen = new Set([c.outlet]);
  const out: DigestSource[] = [];
  for (const s of c.sources.slice(1)) {
    if (seen.has(s.outlet)) continue;
    seen.add(s.outlet);
    out.push({ outlet: s.outlet, url: s.url, title: s.title });
  }
  return out;
}
