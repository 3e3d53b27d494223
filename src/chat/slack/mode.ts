/**
 * How Slack reaches the bot for /digest, from `slack.mode` and the secrets in the environment: HTTP mode needs
 * SLACK_SIGNING_SECRET (and a public URL), Socket Mode needs SLACK_APP_TOKEN (and works behind a firewall).
 * Without either, Slack only sends digests; `why` says so, and what to set, in words for the log.
 */
import type { Config } from '../../config/load.js';

export type SlackMode =
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; host: string }
  | { mode: 'socket'; botToken: string; appToken: string }
  | { mode: 'digests-only'; why: string }
  | { mode: 'off' };

export function slackMode(config: Pick<Config, 'slack' | 'secrets'>): SlackMode {
  const { slackBotToken: botToken, slackSigningSecret: signingSecret, slackAppToken: appToken } = config.secrets;
  if (!botToken) {
    if (signingSecret || appToken || config.slack.mode) {
      return {
        mode: 'digests-only',
        why: 'SLACK_BOT_TOKEN is not set, so Slack is off entirely (no digests, no /digest): set it too',
      };
    }
    return { mode: 'off' };
  }
  const wanted = config.slack.mode ?? (signingSecret ? 'http' : appToken ? 'socket' : undefined);
  if (wanted === 'http') {
    if (signingSecret)
      return { mode: 'http', botToken, signingSecret, port: config.slack.port, host: config.slack.host };
    return {
      mode: 'digests-only',
      why: 'slack.mode is http but SLACK_SIGNING_SECRET is not set: Slack only sends digests; set it (the app page, Basic Information) for /digest',
    };
  }
  if (wanted === 'socket') {
    if (appToken) return { mode: 'socket', botToken, appToken };
    return {
      mode: 'digests-only',
      why: 'slack.mode is socket but SLACK_APP_TOKEN is not set: Slack only sends digests; set it (an app-level token with connections:write) for /digest',
    };
  }
  return {
    mode: 'digests-only',
    why: 'neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is set: Slack only sends digests, and /digest does not answer; set one of them (README: Slack setup)',
  };
}
