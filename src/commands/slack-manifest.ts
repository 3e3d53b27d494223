/**
 * The Slack app manifest for the registry: one `/digest` slash command whose hint lists every command, the bot
 * scopes the adapter uses and no more, interactivity for the "Next page" button, and either the request URL (HTTP
 * mode) or Socket Mode. Generated, never written by hand, so the app a person creates by pasting it matches the
 * bot that answers it.
 */
import type { CommandDef } from './types.js';

/** Each scope, and why the bot needs it: printed beside the manifest so a workspace admin can check it. */
export const SLACK_BOT_SCOPES: readonly { scope: string; why: string }[] = [
  { scope: 'commands', why: 'the /digest slash command' },
  { scope: 'chat:write', why: 'post digests into channels the bot is in' },
  { scope: 'channels:join', why: 'join a public channel by itself when a digest is due there' },
  {
    scope: 'channels:history',
    why: 'after a crash, find a digest part already posted in a public channel (never post it twice)',
  },
  { scope: 'groups:history', why: 'the same in private channels the bot was invited to' },
  { scope: 'users:read', why: 'tell workspace admins and owners, who may subscribe channels, from everyone else' },
];

export interface SlackManifestOptions {
  /** The app's and the bot user's name (config bot.name). */
  name: string;
  mode: 'http' | 'socket';
  /** HTTP mode: the public https URL of /slack/events. */
  url?: string;
}

export function slackManifest(commands: readonly CommandDef[], opts: SlackManifestOptions): Record<string, unknown> {
  if (opts.mode === 'http' && !opts.url) throw new Error('an HTTP-mode manifest needs the request URL');
  const http = opts.mode === 'http' ? { url: opts.url } : {};
  return {
    display_information: {
      name: opts.name.slice(0, 35),
      description: 'News digests for your channels: latest stories, search, topic subscriptions.',
    },
    features: {
      bot_user: { display_name: opts.name.slice(0, 80), always_online: true },
      slash_commands: [
        {
          command: '/digest',
          ...http,
          description: 'News digests for this channel: latest, search, subscribe and more',
          usage_hint: commands.map((c) => c.name).join(' | '),
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: SLACK_BOT_SCOPES.map((s) => s.scope) } },
    settings: {
      interactivity: { is_enabled: true, ...(opts.url && opts.mode === 'http' ? { request_url: opts.url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: opts.mode === 'socket',
      token_rotation_enabled: false,
    },
  };
}
