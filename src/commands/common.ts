/** Pieces several commands share: topics by name, stories as entries, times a person reads, list pages. */
import { storyEntry } from '../digest/compose.js';
import type { DigestEntry } from '../digest/types.js';
import { storyCandidates } from '../store/digest-stories.js';
import { savePage } from '../store/pages.js';
import { closest } from './closest.js';
import { code, errorReply, type Line, type Reply, type Span } from './reply.js';
import type { CommandDeps, Input } from './types.js';

/** Stories per page when no count is given. */
export const DEFAULT_COUNT = 5;
/** The most stories one page may show: 20 entries still fit a Slack message's 50 blocks with room to spare. */
export const MAX_COUNT = 20;
/** A count above this always defers on Discord: rendering and fetching that many stories may pass 3 s. */
export const SLOW_COUNT = 10;

export function topicNames(deps: CommandDeps): Record<string, string> {
  return Object.fromEntries(Object.entries(deps.config.topics).map(([id, t]) => [id, t.name]));
}

/**
 * A topic id, or its name typed in any case; else an error reply naming the closest topics. `all` passes through
 * when allowed.
 */
export function resolveTopic(
  deps: CommandDeps,
  typed: string,
  opts: { allowAll: boolean },
): { ok: true; topic: string } | { ok: false; reply: Reply } {
  const t = typed.trim();
  if (opts.allowAll && t.toLowerCase() === 'all') return { ok: true, topic: 'all' };
  const names = topicNames(deps);
  const byId = Object.keys(names).find((id) => id === t.toLowerCase());
  const byName = Object.entries(names).find(([, name]) => name.toLowerCase() === t.toLowerCase())?.[0];
  const found = byId ?? byName;
  if (found) return { ok: true, topic: found };
  const ids = Object.keys(names);
  if (ids.length === 0) {
    return {
      ok: false,
      reply: errorReply('Unknown topic', 'No topics are configured yet.', 'Add topics to the config file.'),
    };
  }
  const guesses = closest(t, ids);
  const todo: Span[] = [];
  if (guesses.length > 0) {
    todo.push('Did you mean ', ...guesses.flatMap((g, i) => [...(i > 0 ? [' or '] : []), code(g)]), '? ');
  }
  todo.push(
    `Topics here: ${ids.join(', ')}${opts.allowAll ? ', or all' : ''}. See them with `,
    code('/digest topics'),
    '.',
  );
  return { ok: false, reply: errorReply('Unknown topic', `There is no topic "${t}".`, todo) };
}

/** Stories by id as digest entries, in the order given; each listed under the topics it matched. */
export async function entriesFor(deps: CommandDeps, storyIds: number[]): Promise<DigestEntry[]> {
  const names = topicNames(deps);
  return (await storyCandidates(deps.db, storyIds)).map((c) =>
    storyEntry(
      c,
      c.topics.filter((t) => t.id in names),
      names,
    ),
  );
}

/** A "Next page" token when more is left after this page, else undefined. */
export async function nextPage(
  deps: CommandDeps,
  command: string,
  input: Input,
  p: { offset: number; shown: number; total: number; anchor: number },
): Promise<string | undefined> {
  const offset = p.offset + p.shown;
  if (p.shown === 0 || offset >= p.total) return undefined;
  return savePage(deps.db, { command, input, offset, anchor: p.anchor }, deps.now());
}

/** "…and 12 more" under a list, or undefined when the list is complete. */
export function moreFooter(p: { offset: number; shown: number; total: number }): Line | undefined {
  const left = p.total - p.offset - p.shown;
  return left > 0 ? `…and ${left} more` : undefined;
}

/** "Stories 6–10 of 37" */
export function rangeLine(p: { offset: number; shown: number; total: number }): string {
  if (p.shown === 0) return '';
  const to = p.offset + p.shown;
  return p.offset === 0 && to === p.total
    ? `${p.total} ${p.total === 1 ? 'story' : 'stories'}`
    : `Stories ${p.offset + 1}–${to} of ${p.total}`;
}

/** "Tue 6 Jan, 08:30 America/Chicago (in 3 h)": a time in the channel's zone, and how far off it is. */
export function when(ms: number, now: number, timeZone = 'UTC'): string {
  let local: string;
  try {
    local = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(ms);
  } catch {
    local = new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    timeZone = 'UTC';
  }
  return `${local} ${timeZone} (${relative(ms, now)})`;
}

/** "in 4 min", "3 h ago", "just now" */
export function relative(ms: number, now: number): string {
  const d = ms - now;
  const a = Math.abs(d);
  if (a < 45_000) return d >= 0 ? 'in under a minute' : 'just now';
  const text =
    a < 5_400_000
      ? `${Math.round(a / 60_000)} min`
      : a < 172_800_000
        ? `${Math.round(a / 3_600_000)} h`
        : `${Math.round(a / 86_400_000)} days`;
  return d > 0 ? `in ${text}` : `${text} ago`;
}
