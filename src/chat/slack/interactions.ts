/**
 * Slack's /digest and its "Next page" button ↔ the command registry, and nothing more: a slash command becomes a
 * request, a Reply becomes Block Kit messages. Slack wants an ack within 3 s: a reply ready by then rides in the
 * ack itself; a slow one (search, a big count) is acked at once and answered through the response_url.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { App, BlockAction, ButtonAction, RespondArguments, SlashCommand } from '@slack/bolt';
import { commandFromText, isSlow, runCommand, runNextPage } from '../../commands/registry.js';
import { errorReply } from '../../commands/reply.js';
import type { CommandDeps, Invocation } from '../../commands/types.js';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import { NEXT_PAGE_ACTION, NEXT_PAGE_ID, renderReplySlack } from '../../render/index.js';
import type { SlackBlock, SlackMessage } from '../../render/types.js';
import { type AdminCheck, SLACK_ADMIN_RULE } from './admins.js';
import { postToResponseUrl } from './respond.js';

export interface SlackInteractionContext {
  deps: CommandDeps;
  isAdmin: AdminCheck;
  log: Logger;
  /** A reply ready within this long goes in the ack (Slack allows 3 s; the rest is for the network). */
  ackWithinMs?: number;
}

export function registerSlackHandlers(app: App, ctx: SlackInteractionContext): void {
  app.command('/digest', async ({ command, ack }) => {
    await answerCommand(ctx, command, (m) => ack(m as RespondArguments | undefined));
  });
  app.action<BlockAction<ButtonAction>>(NEXT_PAGE_ACTION, async ({ ack, body, action }) => {
    await ack();
    await nextPage(ctx, body, action.value ?? '');
  });
}

async function answerCommand(
  ctx: SlackInteractionContext,
  command: SlashCommand,
  ack: (m?: SlackMessage) => Promise<void>,
): Promise<void> {
  const parsed = commandFromText(command.text ?? '');
  if (!parsed.ok) {
    await ack(renderReplySlack(parsed.reply)[0]);
    return;
  }
  const work = (async () => {
    const admin = parsed.command.permission === 'admin' ? await ctx.isAdmin(command.user_id) : false;
    const reply = await runCommand(ctx.deps, {
      command: parsed.command.name,
      raw: parsed.raw,
      inv: invocation(command, admin),
    });
    return renderReplySlack(reply);
  })().catch((err: unknown) => {
    // The registry answers every failure of a command; this is rendering itself failing: still answer.
    ctx.log.error('could not render a Slack command reply', { command: parsed.command.name, err });
    return renderReplySlack(
      errorReply(
        'Something went wrong',
        `/digest ${parsed.command.name} failed on our side.`,
        'Try again in a minute.',
      ),
    );
  });
  let messages: SlackMessage[] | null = null;
  if (!isSlow(parsed.command.name, parsed.raw)) {
    messages = await Promise.race([work, sleep(ctx.ackWithinMs ?? 2_000).then(() => null)]);
  }
  const [first, ...rest] = messages ?? [];
  await ack(first);
  try {
    await respondAll(command.response_url, messages ? rest : await work);
  } catch (err) {
    ctx.log.error('could not answer a Slack command', {
      command: parsed.command.name,
      channel: command.channel_id,
      reason: errorMessage(err),
    });
  }
}

/** The stored list, further down; the button comes off the page it was on when Slack sent that page along. */
async function nextPage(ctx: SlackInteractionContext, body: BlockAction<ButtonAction>, value: string): Promise<void> {
  try {
    const inv: Invocation = {
      platform: 'slack',
      workspace: body.team?.id ?? body.user.team_id ?? '',
      channel: body.channel?.id ?? '',
      thread: '',
      user: { id: body.user.id, admin: false },
      adminRule: SLACK_ADMIN_RULE,
    };
    const reply = await runNextPage(ctx.deps, value.slice(NEXT_PAGE_ID.length), inv);
    const shown = body.message as { text?: string; blocks?: SlackBlock[] } | undefined;
    if (shown?.blocks) {
      const blocks = shown.blocks.filter((b) => b.type !== 'actions');
      await postToResponseUrl(body.response_url, { replace_original: true, text: shown.text ?? '', blocks });
    }
    await respondAll(body.response_url, renderReplySlack(reply));
  } catch (err) {
    ctx.log.error('could not answer a Slack "Next page" click', {
      channel: body.channel?.id,
      reason: errorMessage(err),
    });
  }
}

async function respondAll(url: string, messages: SlackMessage[]): Promise<void> {
  for (const m of messages) await postToResponseUrl(url, { ...m, replace_original: false });
}

function invocation(c: SlashCommand, admin: boolean): Invocation {
  return {
    platform: 'slack',
    workspace: c.team_id,
    channel: c.channel_id,
    // Slack runs slash commands in channels only, never inside a thread.
    thread: '',
    user: { id: c.user_id, admin },
    adminRule: SLACK_ADMIN_RULE,
  };
}
