/**
 * Discord interactions ↔ the command registry, and nothing more: a slash command becomes a request, a Reply
 * becomes messages, within Discord's 3-second deadline (defer first when the command is slow, or when it has
 * not answered by then).
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { complete, isEphemeral, isSlow, runCommand, runNextPage } from '../../commands/registry.js';
import type { CommandDeps, Invocation, RawInput } from '../../commands/types.js';
import type { Logger } from '../../log.js';
import { NEXT_PAGE_ID, renderReplyDiscord } from '../../render/index.js';
import type { DiscordMessage } from '../../render/types.js';

export interface InteractionContext {
  deps: CommandDeps;
  /** Role names or ids (discord.adminRoles) that may run admin commands beside Manage Channels. */
  adminRoles: string[];
  log: Logger;
  /** Defer a command that has not answered after this long (Discord allows 3 s for the first response). */
  deferAfterMs?: number;
}

type Replyable = ChatInputCommandInteraction | ButtonInteraction;

export async function handleInteraction(ctx: InteractionContext, i: Interaction): Promise<void> {
  try {
    if (i.isAutocomplete()) await autocomplete(ctx, i);
    else if (i.isChatInputCommand() && i.commandName === 'digest') await command(ctx, i);
    else if (i.isButton() && i.customId.startsWith(NEXT_PAGE_ID)) await nextPage(ctx, i);
  } catch (err) {
    // The command itself never throws (the registry answers every failure); this is Discord refusing or
    // not answering our reply. The person sees "The application did not respond"; the log says why.
    ctx.log.error('could not answer a Discord interaction', { interaction: i.id, channel: i.channelId, err });
  }
}

/** Who may run admin commands here, in the words of the refusal. */
export function adminRule(adminRoles: string[]): string {
  const roles = adminRoles.length > 0 ? `, or one of the roles: ${adminRoles.join(', ')}` : '';
  return `the Manage Channels permission${roles}`;
}

async function command(ctx: InteractionContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!i.inGuild()) {
    await i.reply({
      content: 'Use /digest in a server channel: subscriptions belong to channels.',
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const name = i.options.getSubcommand(false) ?? 'help';
  const raw = optionValues(i);
  const responder = new Responder(i, isEphemeral(name));
  if (isSlow(name, raw)) await responder.defer();
  else responder.deferAfter(ctx.deferAfterMs ?? 2_000);
  const reply = await runCommand(ctx.deps, { command: name, raw, inv: invocationOf(i, ctx.adminRoles) });
  await responder.send(renderReplyDiscord(reply), reply.ephemeral);
}

async function autocomplete(ctx: InteractionContext, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const choices = await complete(ctx.deps, {
    command: i.options.getSubcommand(false) ?? '',
    option: focused.name,
    typed: String(focused.value ?? ''),
  });
  await i.respond(choices);
}

/** Takes the button off the page it was on (so it is not clicked twice), then posts the next page. */
async function nextPage(ctx: InteractionContext, i: ButtonInteraction): Promise<void> {
  await i.update({ components: [] });
  const token = i.customId.slice(NEXT_PAGE_ID.length);
  const reply = await runNextPage(ctx.deps, token, invocationOf(i, ctx.adminRoles));
  for (const m of renderReplyDiscord(reply)) await i.followUp(options(m));
}

/**
 * Answers once: a reply within the deadline, or a deferral followed by an edit. A deferral is public or
 * ephemeral for good, so an error (always ephemeral) after a public deferral replaces the "thinking…" message
 * with an ephemeral follow-up.
 */
class Responder {
  private deferred: Promise<unknown> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly i: ChatInputCommandInteraction,
    private readonly ephemeral: boolean,
  ) {}

  defer(): Promise<unknown> {
    clearTimeout(this.timer);
    this.deferred ??= this.i.deferReply(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    return this.deferred;
  }

  deferAfter(ms: number): void {
    this.timer = setTimeout(() => void this.defer().catch(() => {}), ms);
  }

  async send(messages: DiscordMessage[], ephemeral: boolean): Promise<void> {
    clearTimeout(this.timer);
    const [first, ...rest] = messages;
    if (!first) return;
    if (!this.deferred) {
      await this.i.reply(options(first));
    } else {
      await this.deferred;
      if (ephemeral && !this.ephemeral) {
        await this.i.deleteReply();
        await this.i.followUp(options(first));
      } else {
        const { flags: _flags, ...edit } = options(first);
        await this.i.editReply(edit);
      }
    }
    for (const m of rest) await this.i.followUp(options(m));
  }
}

function options(m: DiscordMessage): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  return {
    content: m.content ?? '',
    embeds: m.embeds,
    components: m.components ?? [],
    allowedMentions: { parse: [] },
    ...(m.flags ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Option values by name, as Discord typed them (the registry validates them like any other input). */
function optionValues(i: ChatInputCommandInteraction): RawInput {
  const sub = i.options.data[0];
  const list = sub?.options ?? [];
  return Object.fromEntries(list.map((o) => [o.name, o.value ?? null]));
}

/** Where the command came from and whether the person may run admin commands. A thread is its own place. */
export function invocationOf(i: Replyable, adminRoles: string[]): Invocation {
  const channel = i.channel;
  const thread = channel?.isThread() ? channel : null;
  return {
    platform: 'discord',
    workspace: i.guildId ?? '',
    channel: thread ? (thread.parentId ?? thread.id) : (i.channelId ?? ''),
    thread: thread ? thread.id : '',
    user: { id: i.user.id, admin: isAdmin(i, adminRoles) },
    adminRule: adminRule(adminRoles),
  };
}

function isAdmin(i: Replyable, adminRoles: string[]): boolean {
  if (i.memberPermissions?.has(PermissionFlagsBits.ManageChannels)) return true;
  if (adminRoles.length === 0) return false;
  const member = i.member;
  const ids = !member ? [] : Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  const wanted = new Set(adminRoles.map((r) => r.toLowerCase()));
  return ids.some((id) => wanted.has(id) || wanted.has(i.guild?.roles.cache.get(id)?.name.toLowerCase() ?? ''));
}
