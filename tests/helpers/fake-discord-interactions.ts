/**
 * INTERACTION_CREATE payloads as Discord sends them, complete enough for discord.js to build its interaction
 * classes: slash commands, autocomplete and button clicks, from a member with chosen roles and permissions, in a
 * channel or a thread.
 */

/** Every permission bit (Administrator and Manage Channels included): a server owner. */
export const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();
/** View Channel, Send Messages, Read Message History: an ordinary member without Manage Channels (16). */
export const MEMBER_PERMISSIONS = String(1024 + 2048 + 65536);

export interface InteractionWhere {
  applicationId: string;
  guildId: string;
  channelId: string;
  /** 0 text, 5 announcement, 11 public thread, 15 forum. */
  channelType?: number;
  /** For threads: the channel the thread belongs to. */
  parentId?: string;
}

export interface InteractionWho {
  userId?: string;
  username?: string;
  roles?: string[];
  permissions?: string;
}

export type OptionValue = string | number;

let nextId = 5_000_000_000_000_000_000n;

/** `/digest <sub> name:value …` */
export function chatInputInteraction(
  where: InteractionWhere,
  who: InteractionWho,
  sub: string,
  options: Record<string, OptionValue> = {},
) {
  return base(where, who, 2, {
    id: '6000000000000000001',
    name: 'digest',
    type: 1,
    options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => option(name, value)) }],
  });
}

/** Autocomplete (type 4) while typing `focused` in `/digest <sub>`. */
export function autocompleteInteraction(
  where: InteractionWhere,
  who: InteractionWho,
  sub: string,
  focused: { name: string; value: string; type?: number },
  others: Record<string, OptionValue> = {},
) {
  const opts = [
    ...Object.entries(others).map(([name, value]) => option(name, value)),
    { type: focused.type ?? 3, name: focused.name, value: focused.value, focused: true },
  ];
  return base(where, who, 4, {
    id: '6000000000000000001',
    name: 'digest',
    type: 1,
    options: [{ type: 1, name: sub, options: opts }],
  });
}

/** A click on a button (type 3) with this custom id, on a message the bot posted. */
export function buttonInteraction(where: InteractionWhere, who: InteractionWho, customId: string, messageId: string) {
  const payload = base(where, who, 3, { custom_id: customId, component_type: 2 });
  return {
    ...payload,
    message: {
      id: messageId,
      channel_id: where.channelId,
      type: 0,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      author: {
        id: where.applicationId,
        username: 'watchdesk',
        discriminator: '0',
        avatar: null,
        bot: true,
        global_name: null,
      },
    },
  };
}

function option(name: string, value: OptionValue) {
  return { type: typeof value === 'number' ? 4 : 3, name, value };
}

function base(where: InteractionWhere, who: InteractionWho, type: number, data: Record<string, unknown>) {
  const id = (nextId++).toString();
  const user = {
    id: who.userId ?? '1500000000000000001',
    username: who.username ?? 'alice',
    discriminator: '0',
    global_name: who.username ?? 'Alice',
    avatar: null,
  };
  const channelType = where.channelType ?? 0;
  return {
    id,
    application_id: where.applicationId,
    type,
    data,
    guild_id: where.guildId,
    channel_id: where.channelId,
    channel: {
      id: where.channelId,
      type: channelType,
      guild_id: where.guildId,
      name: `channel-${where.channelId}`,
      nsfw: false,
      parent_id: where.parentId ?? null,
      permissions: who.permissions ?? ALL_PERMISSIONS,
      position: 0,
      flags: 0,
      last_message_id: null,
      rate_limit_per_user: 0,
      topic: null,
      ...(channelType === 11 || channelType === 12
        ? {
            thread_metadata: {
              archived: false,
              auto_archive_duration: 1440,
              archive_timestamp: new Date().toISOString(),
              locked: false,
            },
          }
        : {}),
    },
    member: {
      user,
      roles: who.roles ?? [],
      permissions: who.permissions ?? ALL_PERMISSIONS,
      joined_at: '2024-01-01T00:00:00.000Z',
      nick: null,
      avatar: null,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    },
    token: `itoken-${id}`,
    version: 1,
    app_permissions: ALL_PERMISSIONS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': where.guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}
