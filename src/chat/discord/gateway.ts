/**
 * The Discord gateway connection that receives /digest interactions: a discord.js Client with the Guilds intent
 * only (interactions need no intent; Guilds gives the channel, thread and role cache). Connection trouble is said
 * once, with what to do, and never stops the bot: digests keep going out over REST, and discord.js reconnects
 * and resumes by itself.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { CommandDeps } from '../../commands/types.js';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import { handleInteraction } from './interactions.js';
import { discordTokenRefused } from './token.js';

export interface DiscordGatewayOptions {
  token: string;
  /** REST root without the version (discord.js adds /v10); the gateway URL comes from GET /gateway/bot. */
  apiBaseUrl: string;
  adminRoles: string[];
  commands: CommandDeps;
  log: Logger;
  /** Say so when the gateway is not ready after this long (default 30 s). */
  readyTimeoutMs?: number;
  /** First wait before logging in again after a network failure; doubles up to 10 minutes. */
  retryMs?: number;
}

export interface DiscordGateway {
  client: Client;
  /** Resolves when the gateway is ready for the first time. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Close codes after which discord.js gives up: each needs a person to act (4004, a bad token: see token.ts). */
const FATAL_CLOSE: Record<number, [string, string]> = {
  4010: ['Discord refused the shard settings', 'this is a bug in watchdesk: report it'],
  4011: ['Discord requires sharding for this bot', 'the bot is in too many servers for one connection'],
  4012: ['Discord refused the gateway version', 'upgrade watchdesk'],
  4013: ['Discord refused the gateway intents', 'this is a bug in watchdesk: report it'],
  4014: [
    'Discord refused a privileged intent',
    'watchdesk needs only the Guilds intent; check that nothing else was enabled for it',
  ],
};

const MAX_RETRY_MS = 10 * 60_000;

export function startDiscordGateway(opts: DiscordGatewayOptions): DiscordGateway {
  const log = opts.log.child({ component: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // A thread or channel the cache has not seen is still built from the interaction's own data.
    partials: [Partials.Channel],
    rest: { api: opts.apiBaseUrl },
    allowedMentions: { parse: [] },
  });
  const said = new Set<string>();
  const sayOnce = (key: string, msg: string, fields: Record<string, unknown>) => {
    if (said.has(key)) return;
    said.add(key);
    log.error(msg, fields);
  };
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  client.on(Events.ClientReady, (c) => {
    said.clear();
    markReady();
    log.info('Discord gateway ready: answering /digest', { bot: c.user.tag, servers: c.guilds.cache.size });
  });
  client.on(Events.ShardResume, () => log.info('Discord gateway resumed'));
  client.on(Events.ShardReconnecting, () => log.debug('Discord gateway reconnecting'));
  // A fatal close may also reject login(): both say it under one key, so it is said once.
  const fatal = (code: number) => {
    // A bad token is said once per process, by whoever meets it first (the start-up check, usually).
    if (code === 4004) return discordTokenRefused(opts.log, 'the gateway closed with 4004');
    const [what, todo] = FATAL_CLOSE[code] ?? [`Discord closed the gateway (code ${code})`, 'restart the bot'];
    sayOnce(`close:${code}`, `${what}: /digest commands are not answered until it is fixed`, {
      hint: `${todo}; digests still go out over REST`,
    });
  };
  client.on(Events.ShardDisconnect, (event) => fatal(event.code));
  client.on(Events.ShardError, (err) => log.debug('Discord gateway connection error', { err: errorMessage(err) }));
  client.on(Events.Error, (err) => log.error('Discord client error', { err }));
  client.on(Events.InteractionCreate, (i) => {
    void handleInteraction({ deps: opts.commands, adminRoles: opts.adminRoles, log }, i);
  });

  const watchdog = setTimeout(() => {
    if (client.isReady() || stopped) return;
    sayOnce('not-ready', 'the Discord gateway has not connected: /digest commands are not answered yet', {
      api: opts.apiBaseUrl,
      hint: 'check the network path to Discord (or discord.apiBaseUrl); it keeps trying, and digests still go out over REST',
    });
  }, opts.readyTimeoutMs ?? 30_000);

  const login = (waitMs: number) => {
    client.login(opts.token).catch((err: unknown) => {
      if (stopped) return;
      const code = (err as { code?: string }).code;
      if (code === 'TokenInvalid') return fatal(4004);
      if (code === 'DisallowedIntents') return fatal(4014);
      sayOnce('login', 'could not reach the Discord gateway: /digest commands are not answered yet', {
        api: opts.apiBaseUrl,
        err: errorMessage(err),
        hint: 'check the network path to Discord (or discord.apiBaseUrl); retrying, and digests still go out over REST',
      });
      retryTimer = setTimeout(() => login(Math.min(waitMs * 2, MAX_RETRY_MS)), waitMs);
    });
  };
  login(opts.retryMs ?? 30_000);

  return {
    client,
    ready,
    async stop() {
      stopped = true;
      clearTimeout(watchdog);
      clearTimeout(retryTimer);
      await client.destroy();
    },
  };
}
