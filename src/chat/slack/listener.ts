/**
 * The Slack side that listens: a Bolt app answering /digest and its buttons, in HTTP mode (POST /slack/events on
 * slack.port, every request's signature and timestamp checked by Bolt: 401 otherwise) or in Socket Mode (a
 * WebSocket Slack hands out, for installs behind a firewall). Digests do not come through here: the outbox posts
 * them with its own client (sender.ts). The bot token is checked once at start, whatever the mode; a refused one
 * is said once and the rest of the bot runs on.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { CommandDeps } from '../../commands/types.js';
import type { Config } from '../../config/load.js';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { AdapterHealth } from '../types.js';
import { createAdminCheck } from './admins.js';
import { boltLogger } from './bolt-logger.js';
import { registerSlackHandlers } from './interactions.js';
import { slackMode } from './mode.js';
import { slackErrorCode, TOKEN_ERRORS } from './send-errors.js';
import { slackTokenRefused } from './token.js';

export interface SlackListenerDeps {
  config: Pick<Config, 'slack' | 'secrets' | 'bot'>;
  commands: CommandDeps;
  log: Logger;
  now: () => number;
  /** Tells /readyz and the alerts what the token check found. */
  setHealth?: (health: AdapterHealth) => void;
}

export interface SlackListener {
  mode: 'http' | 'socket';
  /** HTTP mode: where Slack must send requests, e.g. http://127.0.0.1:3000/slack/events. */
  url?: string;
  stop(): Promise<void>;
}

/** Starts listening when Slack is set up for it; null (said once, with what to set) when it is not. */
export async function startSlackListener(deps: SlackListenerDeps): Promise<SlackListener | null> {
  const log = deps.log.child({ component: 'slack' });
  const mode = slackMode(deps.config);
  if (mode.mode === 'off') return null;
  const clientOptions = {
    slackApiUrl: deps.config.slack.apiBaseUrl,
    // Command replies may wait out a 429 (the person is waiting); a few tries, not the default half hour.
    retryConfig: { retries: 2, factor: 1, minTimeout: 500, maxTimeout: 2_000 },
    logger: boltLogger(log),
  };
  // Checked whenever there is a bot token, digests-only too: a bad token shows now, not at the first digest.
  const token = deps.config.secrets.slackBotToken;
  const who = token ? await checkToken(deps, token, clientOptions, log) : undefined;
  if (who === 'refused') return null;
  if (mode.mode === 'digests-only') {
    log.warn(mode.why);
    return null;
  }
  const app = new App({
    token: mode.botToken,
    ...(who ? { botId: who.botId, botUserId: who.botUserId } : {}),
    tokenVerificationEnabled: false,
    clientOptions,
    logger: boltLogger(log),
    logLevel: LogLevel.DEBUG,
    ...(mode.mode === 'http'
      ? { signingSecret: mode.signingSecret, endpoints: '/slack/events' }
      : { socketMode: true, appToken: mode.appToken }),
  });
  app.error(async (err) => {
    log.error('Slack request failed', { reason: errorMessage(err) });
  });
  registerSlackHandlers(app, {
    deps: deps.commands,
    isAdmin: createAdminCheck({ client: app.client, adminUsers: deps.config.slack.adminUsers, log, now: deps.now }),
    log,
  });
  try {
    if (mode.mode === 'socket') {
      await app.start();
      log.info('Slack: /digest answers over Socket Mode');
      return { mode: 'socket', stop: () => app.stop().then(() => undefined) };
    }
    const server = (await app.start({ port: mode.port, host: mode.host })) as Server;
    const port = (server.address() as AddressInfo).port;
    const url = `http://${mode.host === '0.0.0.0' ? '127.0.0.1' : mode.host}:${port}/slack/events`;
    log.info(`Slack: /digest answers in HTTP mode at ${url}`, { port });
    return {
      mode: 'http',
      url,
      async stop() {
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
        await app.stop();
      },
    };
  } catch (err) {
    log.error(`Slack ${mode.mode === 'http' ? 'HTTP mode' : 'Socket Mode'} could not start: /digest does not answer`, {
      reason: errorMessage(err),
      hint:
        mode.mode === 'http'
          ? `is port ${mode.port} free? Set slack.port to a free one`
          : 'check SLACK_APP_TOKEN (an app-level token with connections:write) and that Socket Mode is on for the app',
    });
    return null;
  }
}

type Who = { botId: string; botUserId: string } | 'refused' | undefined;

/** auth.test once: a refused token is told once; Slack unreachable is a warning (Bolt asks again later). */
async function checkToken(
  deps: SlackListenerDeps,
  token: string,
  clientOptions: ConstructorParameters<typeof WebClient>[1],
  log: Logger,
): Promise<Who> {
  const client = new WebClient(token, { ...clientOptions, retryConfig: { retries: 0 } });
  try {
    const res = await client.auth.test();
    log.info(`Slack token works: the bot is @${res.user} in ${res.team} (${res.team_id})`);
    deps.setHealth?.({ ok: true, detail: `token works: @${res.user} in ${res.team}` });
    return res.bot_id && res.user_id ? { botId: res.bot_id, botUserId: res.user_id } : undefined;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && TOKEN_ERRORS.has(code)) {
      slackTokenRefused(deps.log)(code);
      deps.setHealth?.({ ok: false, detail: `Slack refused SLACK_BOT_TOKEN (${code}): replace it and restart` });
      return 'refused';
    }
    log.warn('could not check the Slack token at start; /digest starts anyway', { reason: errorMessage(err) });
    return undefined;
  }
}
