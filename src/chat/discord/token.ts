/**
 * The bot token is checked once at start (GET /users/@me), whatever else runs, so a bad DISCORD_TOKEN shows now
 * and not at the first digest. A refused token is said once per process, whoever meets it first: this check or
 * the gateway's login. Nothing stops: the console, Slack and the feeds keep going.
 */
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { AdapterHealth } from '../types.js';

const told = new WeakSet<Logger>();

/** Logs the first refusal of DISCORD_TOKEN to `log`, once for everyone using this logger. */
export function discordTokenRefused(log: Logger, why: string): void {
  if (told.has(log)) return;
  told.add(log);
  log.error(`Discord refused DISCORD_TOKEN (${why}): Discord digests and /digest are off until it is replaced`, {
    hint: 'Copy the token from the Developer Portal (your app → Bot → Reset Token), set DISCORD_TOKEN and restart. Everything else keeps running.',
  });
}

export interface DiscordTokenCheck {
  token: string;
  /** REST root without the version, as discord.apiBaseUrl. */
  apiBaseUrl: string;
  log: Logger;
  setHealth?: (health: AdapterHealth) => void;
  timeoutMs?: number;
}

/** GET /users/@me with the bot token: 'works', 'refused' (401), or 'unknown' when Discord could not be asked. */
export async function checkDiscordToken(c: DiscordTokenCheck): Promise<'works' | 'refused' | 'unknown'> {
  const url = `${c.apiBaseUrl.replace(/\/+$/, '')}/v10/users/@me`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bot ${c.token}` },
      signal: AbortSignal.timeout(c.timeoutMs ?? 10_000),
    });
  } catch (err) {
    c.log.warn('could not check the Discord token at start; trying again at the first post', {
      reason: errorMessage(err),
    });
    return 'unknown';
  }
  if (res.status === 401) {
    await res.body?.cancel();
    discordTokenRefused(c.log, '401 Unauthorized');
    c.setHealth?.({ ok: false, detail: 'Discord refused DISCORD_TOKEN (401): replace it and restart' });
    return 'refused';
  }
  if (!res.ok) {
    await res.body?.cancel();
    c.log.warn('could not check the Discord token at start; trying again at the first post', {
      reason: `GET /users/@me answered ${res.status}`,
    });
    return 'unknown';
  }
  const me = (await res.json().catch(() => ({}))) as { id?: unknown; username?: unknown };
  const name = typeof me.username === 'string' ? me.username : 'the bot';
  c.log.info(`Discord token works: the bot is @${name}${typeof me.id === 'string' ? ` (${me.id})` : ''}`);
  c.setHealth?.({ ok: true, detail: `token works: @${name}` });
  return 'works';
}
