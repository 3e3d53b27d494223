/**
 * The chat adapters that answer /digest (the Discord gateway, on the leading instance only; Slack's Bolt app in
 * HTTP or Socket Mode, on every instance: Slack spreads Socket Mode events over their connections), built
 * from the app and started with the bot. Senders post digests whether or not an adapter is connected; an adapter only answers commands.
 */
import type { CommandDeps } from '../commands/types.js';
import type { App } from './app.js';
import { feedAdmin } from './feed-admin.js';
import { leadGateway } from './gateway-leader.js';

export interface ChatAdapters {
  stop(): Promise<void>;
}

export interface AdapterHooks {
  /** A command changed subscriptions: the scheduler reloads them now rather than at its next refresh. */
  subscriptionsChanged: () => void;
}

export function commandDeps(app: App, hooks: AdapterHooks): CommandDeps {
  return {
    db: app.db,
    config: app.config,
    now: () => app.clock.now(),
    log: app.log,
    subscriptionsChanged: hooks.subscriptionsChanged,
    feedAdmin: feedAdmin(app),
  };
}

export async function startChatAdapters(
  app: App,
  hooks: AdapterHooks,
  opts: { discordApiUrl?: string } = {},
): Promise<ChatAdapters> {
  const stops: (() => Promise<void>)[] = [];
  const token = app.config.secrets.discordToken;
  if (token) {
    const apiBaseUrl = opts.discordApiUrl ?? app.config.discord.apiBaseUrl;
    // Checked before the gateway logs in, so a bad token is said by this check, once, with what to do.
    const { checkDiscordToken } = await import('../chat/discord/token.js');
    await checkDiscordToken({ token, apiBaseUrl, log: app.log, setHealth: (h) => app.health.set('discord', h) });
    const { startDiscordGateway } = await import('../chat/discord/gateway.js');
    // Several instances may share a PostgreSQL store: only the leader connects the gateway (gateway-leader.ts).
    const leadership = await leadGateway(app.db, {
      log: app.log,
      lead: async () =>
        startDiscordGateway({
          token,
          apiBaseUrl,
          adminRoles: app.config.discord.adminRoles,
          commands: commandDeps(app, hooks),
          log: app.log,
        }),
    });
    stops.push(() => leadership.stop());
  }
  const { startSlackListener } = await import('../chat/slack/listener.js');
  const slack = await startSlackListener({
    config: app.config,
    commands: commandDeps(app, hooks),
    log: app.log,
    now: () => app.clock.now(),
    setHealth: (health) => app.health.set('slack', health),
  });
  if (slack) stops.push(() => slack.stop());
  return {
    async stop() {
      await Promise.allSettled(stops.map((stop) => stop()));
    },
  };
}
