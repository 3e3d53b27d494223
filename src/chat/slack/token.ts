/**
 * Slack refusing the bot token (invalid_auth, token_revoked…) is said once per process, clearly, whoever meets it
 * first: the start-up check or a digest post. Everything else keeps running.
 */
import type { Logger } from '../../log.js';

const told = new WeakSet<Logger>();

/** A reporter that logs the first refusal to `log` and ignores the rest (shared by everyone using this logger). */
export function slackTokenRefused(log: Logger): (slackError: string) => void {
  return (slackError) => {
    if (told.has(log)) return;
    told.add(log);
    log.error(`Slack refused SLACK_BOT_TOKEN (${slackError}): Slack digests and /digest are off until it is replaced`, {
      hint: 'Copy the Bot User OAuth Token from the app page (Install App; reinstall if it was revoked), set SLACK_BOT_TOKEN and restart. Everything else keeps running; Slack digests are offered again once it works.',
    });
  };
}
