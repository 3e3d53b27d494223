/**
 * What Slack itself sends an app: slash commands and button clicks, as signed HTTP requests (HTTP mode) or as
 * Socket Mode envelope payloads. Signing is Slack's v0 scheme: HMAC-SHA256(secret, `v0:${ts}:${body}`).
 */
import { createHmac } from 'node:crypto';

export interface Who {
  team: string;
  channel: string;
  user: string;
  responseUrl: string;
}

export function signSlackRequest(secret: string, body: string, ts = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(ts) };
}

/** The form fields Slack posts for `/digest <text>`. */
export function slashCommand(text: string, who: Who): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: who.team,
    team_domain: 'policy-desk',
    channel_id: who.channel,
    channel_name: 'policy',
    user_id: who.user,
    user_name: who.user.toLowerCase(),
    command: '/digest',
    text,
    api_app_id: 'A0FAKEAPP',
    is_enterprise_install: 'false',
    response_url: who.responseUrl,
    trigger_id: '1234.5678.abcdef',
  };
}

/**
 * The block_actions payload of a click on one of our buttons in a message the app posted. Slack sends the message
 * along when everyone can see it; for an ephemeral one it sends only the container.
 */
export function buttonClick(
  p: Who & { actionId: string; value: string; messageTs?: string; message?: { text: string; blocks: unknown[] } },
): Record<string, unknown> {
  return {
    ...(p.message ? { message: { type: 'message', ts: p.messageTs ?? '1700000000.000100', ...p.message } } : {}),
    type: 'block_actions',
    team: { id: p.team, domain: 'policy-desk' },
    user: { id: p.user, username: p.user.toLowerCase(), team_id: p.team },
    api_app_id: 'A0FAKEAPP',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: p.messageTs ?? '1700000000.000100',
      channel_id: p.channel,
      is_ephemeral: true,
    },
    trigger_id: '1234.5678.abcdef',
    channel: { id: p.channel, name: 'policy' },
    response_url: p.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: p.actionId,
        block_id: 'next',
        value: p.value,
        text: { type: 'plain_text', text: 'Next page' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

export type Signing = 'good' | 'none' | 'wrong' | 'stale';

/** POSTs a form to an HTTP-mode app's /slack/events, signed as asked. */
export function postToApp(
  url: string,
  secret: string,
  fields: Record<string, string>,
  signing: Signing = 'good',
): Promise<Response> {
  const body = new URLSearchParams(fields).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const now = Math.floor(Date.now() / 1000);
  if (signing === 'good') Object.assign(headers, signSlackRequest(secret, body, now));
  if (signing === 'wrong') Object.assign(headers, signSlackRequest(`${secret}-not`, body, now));
  // Slack's rule (and Bolt's): a timestamp more than five minutes old is a replay.
  if (signing === 'stale') Object.assign(headers, signSlackRequest(secret, body, now - 6 * 60));
  return fetch(url, { method: 'POST', headers, body });
}
