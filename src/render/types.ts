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

/** A button (type 2) in an action row (type 1); only our own custom ids, never feed text. */
export interface DiscordButton {
  type: 2;
  /** 1 primary, 2 secondary. */
  style: 1 | 2;
  label: string;
  custom_id: string;
}

export interface DiscordActionRow {
  type: 1;
  components: DiscordButton[];
}

/** Body of POST /channels/{id}/messages (nonce and enforce_nonce are added by delivery), or of a command reply. */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: [] };
  /** Command replies only: a "Next page" button. */
  components?: DiscordActionRow[];
  /** Command replies only: 64 (EPHEMERAL) shows the reply to the person who asked and no one else. */
  flags?: 64;
  /** A digest's first part: the title of the post it becomes in a forum channel (the sender drops it elsewhere). */
  thread_name?: string;
}

export type SlackText = { type: 'mrkdwn' | 'plain_text'; text: string; emoji?: boolean };

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: SlackButton[] };

/** Our own buttons only (a "Next page"); `value` is an opaque token, never feed text. */
export interface SlackButton {
  type: 'button';
  text: { type: 'plain_text'; text: string };
  action_id: string;
  value: string;
}

/** Body of chat.postMessage without channel/thread_ts (added by delivery), or of a command reply. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
  /** Command replies through response_url only: ephemeral shows the reply to the person who asked. */
  response_type?: 'ephemeral' | 'in_channel';
}

/** The platforms a digest is rendered for; console parts are Markdown text for a terminal. */
export type Platform = 'discord' | 'slack' | 'console';

/** What each platform's sender receives for one message part. */
export interface PayloadOf {
  discord: DiscordMessage;
  slack: SlackMessage;
  console: string;
}

/**
 * One message part tagged with its platform, so the payload's type travels with it from render
 * through the outbox to the sender: `part.platform === 'slack'` narrows `part.payload` to a
 * SlackMessage. `RenderedPart<'discord'>` is a Discord part only.
 */
export type RenderedPart<P extends Platform = Platform> = { [K in P]: { platform: K; payload: PayloadOf[K] } }[P];
