/** Payloads exactly as each platform's API receives them. */
export interface DiscordEmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface DiscordEmbed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  fields?: DiscordEmbedField[];
  footer?: { text: string };
  author?: { name: string; url?: string };
  timestamp?: string;
}

/** Body of POST /channels/{id}/messages (nonce and enforce_nonce are added by delivery). */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: [] };
}

export type SlackText = { type: 'mrkdwn' | 'plain_text'; text: string; emoji?: boolean };

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

/** Body of chat.postMessage without channel/thread_ts (added by delivery). */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

export type RenderFormat = 'md' | 'discord-json' | 'slack-json';
