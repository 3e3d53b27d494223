/**
 * `watchdesk discord register`: puts the registry's /digest command on Discord with one bulk overwrite (PUT), so
 * running it again replaces rather than duplicates, and says how to invite the bot with exactly what it needs.
 */
import { DiscordAPIError, PermissionFlagsBits, REST, Routes } from 'discord.js';
import { discordCommandDefinitions } from '../../commands/discord-definitions.js';
import { COMMANDS } from '../../commands/registry.js';
import { UserError } from '../../errors.js';

/** What the bot does in a channel: see it, post digests (embeds) in it and in its threads and forum posts. */
export const BOT_PERMISSIONS = {
  'View Channels': PermissionFlagsBits.ViewChannel,
  'Send Messages': PermissionFlagsBits.SendMessages,
  'Send Messages in Threads': PermissionFlagsBits.SendMessagesInThreads,
  'Embed Links': PermissionFlagsBits.EmbedLinks,
} as const;

export const INVITE_SCOPES = ['bot', 'applications.commands'] as const;

export function botPermissionBits(): bigint {
  return Object.values(BOT_PERMISSIONS).reduce((a, b) => a | b, 0n);
}

/** The OAuth2 URL that adds the bot to a server with its slash commands and exactly these permissions. */
export function inviteUrl(applicationId: string): string {
  const q = new URLSearchParams({
    client_id: applicationId,
    scope: INVITE_SCOPES.join(' '),
    permissions: botPermissionBits().toString(),
  });
  return `https://discord.com/oauth2/authorize?${q.toString().replace(/\+/g, '%20')}`;
}

export interface RegisterResult {
  applicationId: string;
  /** Subcommands of /digest now registered. */
  subcommands: string[];
  scope: 'global' | { guild: string };
}

export async function registerDiscordCommands(opts: {
  token: string;
  apiBaseUrl: string;
  guildId?: string;
}): Promise<RegisterResult> {
  const rest = new REST({ api: opts.apiBaseUrl, version: '10', retries: 1, timeout: 15_000 }).setToken(opts.token);
  try {
    const app = (await rest.get(Routes.currentApplication())) as { id: string };
    const body = discordCommandDefinitions(COMMANDS);
    const route = opts.guildId
      ? Routes.applicationGuildCommands(app.id, opts.guildId)
      : Routes.applicationCommands(app.id);
    const saved = (await rest.put(route, { body })) as { name: string; options?: { name: string }[] }[];
    const digest = saved.find((c) => c.name === 'digest');
    return {
      applicationId: app.id,
      subcommands: (digest?.options ?? []).map((o) => o.name),
      scope: opts.guildId ? { guild: opts.guildId } : 'global',
    };
  } catch (err) {
    throw registerError(err, opts);
  }
}

function registerError(err: unknown, opts: { apiBaseUrl: string; guildId?: string }): UserError {
  if (err instanceof DiscordAPIError) {
    if (err.status === 401) {
      return new UserError(
        'discord_token',
        'Discord rejected the bot token (401)',
        'Check DISCORD_TOKEN: Developer Portal → your app → Bot → Reset Token.',
      );
    }
    if (err.status === 403 || (err.status === 404 && opts.guildId)) {
      return new UserError(
        'discord_guild',
        `Discord refused the commands for server ${opts.guildId ?? ''} (${err.status}): ${err.message}`,
        'Invite the bot to that server first (the invite URL below), or check the --guild id.',
      );
    }
    return new UserError(
      'discord_refused',
      `Discord refused the commands (${err.status}): ${err.message}`,
      'Run it again; if it keeps failing, report it.',
    );
  }
  const cause = (err as { cause?: { code?: string } }).cause?.code;
  return new UserError(
    'discord_unreachable',
    `could not reach Discord at ${opts.apiBaseUrl}: ${cause ?? (err instanceof Error ? err.message : String(err))}`,
    'Check the network, or discord.apiBaseUrl in the config.',
  );
}
