/**
 * The one list of /digest commands and the one place they run: validation, the permission check, paging, and
 * the catch that turns any failure into a reply. Chat adapters call this; they never call a command directly.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import { secondsSince } from '../metrics.js';
import { cleanText, fitText } from '../render/text.js';
import { storiesMatching } from '../store/digest-stories.js';
import { loadPage } from '../store/pages.js';
import { topicNames } from './common.js';
import { feed } from './feed.js';
import { helpCommand } from './help.js';
import { validateInput } from './input.js';
import { latest } from './latest.js';
import { preview } from './preview.js';
import { code, errorReply, type Reply } from './reply.js';
import { search } from './search.js';
import { sources } from './sources.js';
import { story } from './story.js';
import { subscribe } from './subscribe.js';
import { subscriptions } from './subscriptions.js';
import { parseCommandText } from './text-parser.js';
import { topics } from './topics.js';
import type { CommandDef, CommandDeps, Invocation, RawInput } from './types.js';
import { unsubscribe } from './unsubscribe.js';

export const COMMANDS: readonly CommandDef[] = [
  latest,
  search,
  story,
  topics,
  subscribe,
  unsubscribe,
  subscriptions,
  preview,
  sources,
  feed,
  helpCommand(() => COMMANDS),
];

export interface CommandRequest {
  command: string;
  raw: RawInput;
  inv: Invocation;
}

export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Whether the adapter should defer before running: the command is known to be slow for this input. */
export function isSlow(command: string, raw: RawInput): boolean {
  const def = findCommand(command);
  if (!def?.slow) return false;
  const checked = validateInput(def, raw);
  return checked.ok && def.slow(checked.input);
}

/** Whether this command's answer is for the asker only (errors always are). */
export function isEphemeral(command: string): boolean {
  return findCommand(command)?.ephemeral ?? true;
}

export async function runCommand(deps: CommandDeps, req: CommandRequest): Promise<Reply> {
  const def = findCommand(req.command);
  if (!def) {
    return errorReply('Unknown command', `/digest has no command "${req.command}".`, [
      'Type ',
      code('/digest help'),
      ' to see every command.',
    ]);
  }
  const checked = validateInput(def, req.raw);
  if (!checked.ok) return checked.reply;
  if (def.permission === 'admin' && !req.inv.user.admin) return refusal(def, req.inv);
  return guarded(deps, def, req, () => def.run(deps, req.inv, checked.input));
}

/**
 * Slack's command text → the command and its raw input, as Discord's options arrive, or the reply for an unknown
 * command. Adapters that must decide before running (defer? look up the person's role?) start here.
 */
export function commandFromText(
  text: string,
): { ok: true; command: CommandDef; raw: RawInput } | { ok: false; reply: Reply } {
  return parseCommandText(text, COMMANDS);
}

/** Slack's command text, parsed into the same request Discord's options make. */
export async function runCommandText(deps: CommandDeps, text: string, inv: Invocation): Promise<Reply> {
  const parsed = commandFromText(text);
  if (!parsed.ok) return parsed.reply;
  return runCommand(deps, { command: parsed.command.name, raw: parsed.raw, inv });
}

/** A "Next page" button: the stored command and input, from where the last page ended. */
export async function runNextPage(deps: CommandDeps, token: string, inv: Invocation): Promise<Reply> {
  const state = await loadPage(deps.db, token, deps.now());
  const def = state ? findCommand(state.command) : undefined;
  if (!state || !def) {
    return errorReply('This list has expired', 'The next page of this list is no longer kept.', [
      'Run the command again, for example ',
      code('/digest latest'),
      '.',
    ]);
  }
  const req = { command: def.name, raw: state.input, inv };
  return guarded(deps, def, req, () => def.run(deps, inv, state.input, { offset: state.offset, anchor: state.anchor }));
}

export interface Choice {
  name: string;
  value: string | number;
}

/** Autocomplete suggestions for one option, from what was typed so far: at most 25, as Discord allows. */
export async function complete(
  deps: CommandDeps,
  p: { command: string; option: string; typed: string },
): Promise<Choice[]> {
  const opt = findCommand(p.command)?.options.find((o) => o.name === p.option);
  const typed = p.typed.trim().toLowerCase();
  if (opt?.autocomplete === 'story') {
    return (await storiesMatching(deps.db, typed.replace(/^#/, ''), 25)).map((s) => ({
      name: choiceName(`#${s.id} ${s.title.replace(/\s+/g, ' ')}`),
      value: s.id,
    }));
  }
  if (opt?.autocomplete === 'topic' || opt?.autocomplete === 'topic-or-all') {
    const choices = Object.entries(topicNames(deps))
      .filter(([id, name]) => !typed || id.includes(typed) || name.toLowerCase().includes(typed))
      .map(([id, name]) => ({ name: choiceName(`${name} (${id})`), value: id }));
    const all =
      opt.autocomplete === 'topic-or-all' && 'all'.startsWith(typed) ? [{ name: 'All topics', value: 'all' }] : [];
    return [...all, ...choices].slice(0, 25);
  }
  return [];
}

async function guarded(
  deps: CommandDeps,
  def: CommandDef,
  req: CommandRequest,
  run: () => Promise<Reply> | Reply,
): Promise<Reply> {
  const started = performance.now();
  try {
    const r = await run();
    return r.error ? { ...r, ephemeral: true } : { ...r, ephemeral: r.ephemeral || def.ephemeral };
  } catch (err) {
    if (err instanceof UserError)
      return errorReply('Cannot do that', err.message, err.hint ?? 'Check the command and try again.');
    const ref = randomBytes(4).toString('hex');
    deps.log.error('command failed', {
      ref,
      command: def.name,
      platform: req.inv.platform,
      workspace: req.inv.workspace,
      channel: req.inv.channel,
      err,
    });
    return errorReply(
      'Something went wrong',
      `/digest ${def.name} failed on our side (reference ${ref}).`,
      `Try again in a minute; if it keeps failing, tell whoever runs the bot and quote ${ref}.`,
    );
  } finally {
    deps.metrics?.commandFinished(def.name, secondsSince(started));
  }
}

function refusal(def: CommandDef, inv: Invocation): Reply {
  return errorReply('Admins only', `Only admins may use /digest ${def.name}: you need ${inv.adminRule}.`, [
    'Ask someone who has it. Everyone may read: ',
    code('/digest latest'),
    ', ',
    code('/digest subscriptions'),
    '.',
  ]);
}

/** Discord caps a choice's name at 100 characters. */
function choiceName(s: string): string {
  return fitText(cleanText(s), 100);
}
