/**
 * An operator alert as each platform receives it: one short message, our words in bold, every
 * piece that came from a feed or a person escaped so that it cannot ping, link or format.
 */
import { discordText, escapeMarkdown, escapeSlackText } from './escape.js';
import { cleanText, fitText } from './text.js';
import type { DiscordMessage, SlackMessage } from './types.js';

export interface Alert {
  state: 'problem' | 'recovered';
  /** What it is about, e.g. `feed "Flaky Gazette"`; may hold feed text. */
  subject: string;
  /** What happened, then what to do. */
  detail: string;
}

const MAX_DETAIL = 1_500;

export function alertHeadline(a: Alert): string {
  return a.state === 'problem' ? `watchdesk alert: ${a.subject}` : `watchdesk recovered: ${a.subject}`;
}

export function renderAlertDiscord(a: Alert): DiscordMessage {
  const mark = a.state === 'problem' ? '⚠️' : '✅';
  return {
    content: `${mark} **${fitText(cleanText(alertHeadline(a)), 200, discordText)}**\n${fitText(cleanText(a.detail), MAX_DETAIL, discordText)}`,
    embeds: [],
    allowed_mentions: { parse: [] },
  };
}

export function renderAlertSlack(a: Alert): SlackMessage {
  const mark = a.state === 'problem' ? ':warning:' : ':white_check_mark:';
  const text = `${mark} *${fitText(cleanText(alertHeadline(a)), 200, escapeSlackText)}*\n${fitText(cleanText(a.detail), MAX_DETAIL, escapeSlackText)}`;
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    unfurl_links: false,
    unfurl_media: false,
  };
}

export function renderAlertMarkdown(a: Alert): string {
  const mark = a.state === 'problem' ? '⚠️' : '✅';
  return `${mark} **${escapeMarkdown(cleanText(alertHeadline(a)))}**\n${escapeMarkdown(cleanText(a.detail))}\n`;
}
