import type { ChannelTarget } from '../../src/chat/types.js';
import { subscriptionSchema } from '../../src/config/schema.js';
import type { RenderedPart } from '../../src/render/types.js';
import type { Sql } from '../../src/store/sql.js';
import { getSubscription, upsertSubscription } from '../../src/store/subscriptions.js';

export const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);

/** A subscription row made through the store's own API. */
export async function addSubscription(
  db: Sql,
  target: Omit<ChannelTarget, 'workspace'> & { workspace?: string },
): Promise<number> {
  const sub = subscriptionSchema.parse({
    platform: target.platform,
    workspace: target.workspace ?? '',
    channel: target.channel,
    ...(target.thread ? { thread: target.thread } : {}),
  });
  return upsertSubscription(db, sub, { source: 'config', now: T0 });
}

export async function cursorOf(db: Sql, id: number): Promise<{ cursor: number; lastDigestAt: number | null }> {
  const s = await getSubscription(db, id);
  if (!s) throw new Error(`no subscription ${id}`);
  return { cursor: s.cursor, lastDigestAt: s.lastDigestAt };
}

/** Discord message parts as src/render produces them, labelled "(i/n)". */
export function discordParts(n: number, label = 'Policy digest'): RenderedPart<'discord'>[] {
  return Array.from({ length: n }, (_, i) => ({
    platform: 'discord',
    payload: {
      content: `${label} (${i + 1}/${n})`,
      embeds: [{ title: `Story ${i + 1}`, description: 'A synthetic entry written for tests.' }],
      allowed_mentions: { parse: [] },
    },
  }));
}

export function slackParts(n: number, label = 'Policy digest'): RenderedPart<'slack'>[] {
  return Array.from({ length: n }, (_, i) => ({
    platform: 'slack',
    payload: {
      text: `${label} (${i + 1}/${n})`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*Story ${i + 1}*` } }],
      unfurl_links: false,
      unfurl_media: false,
    },
  }));
}

/** Console parts: Markdown text, one part per argument. */
export function consoleParts(...texts: string[]): RenderedPart<'console'>[] {
  return texts.map((payload) => ({ platform: 'console', payload }));
}

/** "(2/3)" → 2, for asserting order on what the fakes received. */
export function partNo(text: string | undefined): number {
  const m = /\((\d+)\/\d+\)/.exec(text ?? '');
  return m ? Number(m[1]) : -1;
}
