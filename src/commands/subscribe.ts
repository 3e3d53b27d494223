import { checkSubscription } from '../config/subscription.js';
import {
  findSubscription,
  resumeSubscription,
  type SubscriptionRow,
  upsertSubscription,
} from '../store/subscriptions.js';
import { resolveTopic } from './common.js';
import { code, errorReply, type Line, type Reply, reply } from './reply.js';
import { nextRunLine, scheduleText, topicsText } from './subscription-text.js';
import type { CommandDef, CommandDeps, Input, Invocation } from './types.js';

const DEFAULTS = { schedule: 'daily 09:00', timezone: 'UTC', mode: 'digest', maxItems: 10, minScore: 0 } as const;

export const subscribe: CommandDef = {
  name: 'subscribe',
  description: 'Subscribe this channel or thread to a topic, or all; again to change the schedule',
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
    {
      name: 'schedule',
      description: 'hourly, daily 09:00, weekdays 08:30, weekly mon 09:00 or cron (default daily 09:00)',
      type: 'string',
      maxLength: 100,
      example: '"weekdays 08:30"',
      span: scheduleSpan,
    },
    {
      name: 'timezone',
      description: 'an IANA time zone such as Europe/London (default UTC)',
      type: 'string',
      maxLength: 64,
      example: 'Europe/London',
    },
    {
      name: 'mode',
      description: 'digest (on the schedule, the default) or instant (each new story as it comes)',
      type: 'string',
      choices: ['digest', 'instant'],
    },
  ],
  async run(deps, inv, input) {
    const topic = resolveTopic(deps, String(input.topic ?? ''), { allowAll: true });
    if (!topic.ok) return topic.reply;
    const key = { platform: inv.platform, workspace: inv.workspace, channel: inv.channel, thread: inv.thread };
    const existing = await findSubscription(deps.db, key);
    if (existing?.source === 'config' && existing.active) return configOwned(deps, inv, existing);
    const before = existing?.active ? existing : undefined;
    const raw = {
      platform: inv.platform,
      workspace: inv.workspace,
      channel: inv.channel,
      ...(inv.thread ? { thread: inv.thread } : {}),
      topics: mergeTopics(before?.topics, topic.topic),
      schedule: tidySchedule(String(input.schedule ?? before?.schedule ?? DEFAULTS.schedule)),
      timezone: String(input.timezone ?? before?.timezone ?? DEFAULTS.timezone),
      mode: String(input.mode ?? before?.mode ?? DEFAULTS.mode),
      maxItems: before?.maxItems ?? DEFAULTS.maxItems,
      minScore: before?.minScore ?? DEFAULTS.minScore,
    };
    const checked = checkSubscription(raw, Object.keys(deps.config.topics));
    if (!checked.ok) return badSchedule(checked.issues, input);
    const id = await upsertSubscription(deps.db, checked.value, { source: 'command', now: deps.now(), resume: true });
    deps.subscriptionsChanged?.();
    const after = (await findSubscription(deps.db, key)) as SubscriptionRow;
    const where = inv.thread ? 'this thread' : 'this channel';
    const changes = before ? describeChanges(deps, before, after) : [];
    if (existing?.pausedReason) changes.push(`Resumed: it was paused because ${existing.pausedReason}.`);
    const title = !before ? 'Subscribed' : changes.length > 0 ? 'Subscription updated' : 'Already subscribed';
    const summary = `Subscription #${id}: ${where} gets ${topicsText(deps, after.topics)}, ${scheduleText(after)}.`;
    return reply(title, { notices: [summary, ...changes, nextRunLine(deps, after)] });
  },
};

/**
 * One spelling per schedule, so that typing `weekdays 8:30` after `weekdays 08:30` changes nothing: presets in
 * lower case with two-digit hours and three-letter days, cron with single spaces. Validation comes after.
 */
function tidySchedule(spec: string): string {
  const s = spec.trim().replace(/\s+/g, ' ');
  const m = /^(daily|weekdays|weekly (mon|tue|wed|thu|fri|sat|sun)[a-z]*) (\d{1,2}):(\d{2})$/i.exec(s);
  if (!m) return s;
  const head = m[2] ? `weekly ${m[2].toLowerCase()}` : (m[1] as string).toLowerCase();
  return `${head} ${(m[3] as string).padStart(2, '0')}:${m[4]}`;
}

/** `daily 09:00` and `weekly mon 09:00` are one schedule however many words; so is an unquoted cron line. */
function scheduleSpan(words: string[]): number {
  const [first = '', second = '', third = ''] = words.map((w) => w.toLowerCase());
  const time = /^\d{1,2}:\d{2}$/;
  if ((first === 'daily' || first === 'weekdays') && time.test(second)) return 2;
  if (first === 'weekly' && time.test(third)) return 3;
  const cronField = /^[\d*/,-]+$/;
  if (words.length >= 5 && words.slice(0, 5).every((w) => cronField.test(w))) return 5;
  return 1;
}

function mergeTopics(current: 'all' | string[] | undefined, added: string): 'all' | string[] {
  if (added === 'all' || current === 'all') return 'all';
  if (!current) return [added];
  return current.includes(added) ? current : [...current, added];
}

function describeChanges(deps: CommandDeps, before: SubscriptionRow, after: SubscriptionRow): string[] {
  const out: string[] = [];
  const from = (what: string, a: string, b: string) => {
    if (a !== b) out.push(`${what}: ${a} → ${b}`);
  };
  from('Topics', topicsText(deps, before.topics), topicsText(deps, after.topics));
  from('Schedule', before.schedule, after.schedule);
  from('Time zone', before.timezone, after.timezone);
  from('Mode', before.mode, after.mode);
  return out;
}

/** The config file owns this channel: a chat command would be undone at the next start. */
async function configOwned(deps: CommandDeps, inv: Invocation, sub: SubscriptionRow): Promise<Reply> {
  if (sub.pausedReason && (await resumeSubscription(deps.db, sub.id))) {
    deps.subscriptionsChanged?.();
    const resumed = { ...sub, pausedReason: null, pausedAt: null };
    return reply('Subscription resumed', {
      notices: [
        `Subscription #${sub.id} runs again (it was paused because ${sub.pausedReason}).`,
        'Its topics and schedule come from the config file: change them there.',
        nextRunLine(deps, resumed),
      ],
    });
  }
  return errorReply(
    'Set in the config file',
    `${inv.thread ? 'This thread' : 'This channel'} already has subscription #${sub.id} (${topicsText(deps, sub.topics)}, ${scheduleText(sub)}) from the bot's config file.`,
    'Change it in that file; a change made here would be undone at the next start.',
  );
}

function badSchedule(issues: { path: string; expected: string; found: string }[], input: Input): Reply {
  const what: string[] = issues.map((i) => `${i.path.split('.')[0]}: expected ${i.expected}, found ${i.found}.`);
  const topic = String(input.topic ?? 'all');
  const todo: Line = [
    'Type for example ',
    code(`/digest subscribe ${topic} schedule:"weekdays 08:30" timezone:Europe/London`),
    '.',
  ];
  const fields = new Set(issues.map((i) => i.path.split('.')[0]));
  const title =
    fields.size === 1 && fields.has('timezone')
      ? 'Bad time zone'
      : fields.has('timezone')
        ? 'Bad schedule and time zone'
        : 'Bad schedule';
  return errorReply(title, what.join(' '), todo);
}
