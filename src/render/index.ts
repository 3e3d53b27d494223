/** Pure rendering of a platform-neutral Digest into platform payloads; every limit in PLATFORM-LIMITS.md enforced. */
import type { Digest } from '../digest/types.js';
import { renderDiscord } from './discord.js';
import { renderMarkdown } from './markdown.js';
import { renderSlack } from './slack.js';
import type { DiscordMessage, RenderFormat, SlackMessage } from './types.js';

export { embedChars, renderDiscord } from './discord.js';
export {
  discordText,
  escapeDiscordMarkdown,
  escapeMarkdown,
  escapeSlackText,
  neutralizeDiscordMentions,
} from './escape.js';
export { BUDGETS, DISCORD_LIMITS, SLACK_LIMITS } from './limits.js';
export { renderMarkdown } from './markdown.js';
export { NEXT_PAGE_ID, plainLine, replyText } from './reply-common.js';
export { renderReplyDiscord } from './reply-discord.js';
export { renderReplyMarkdown } from './reply-markdown.js';
export { renderReplySlack } from './reply-slack.js';
export { renderSlack, slackBlockChars } from './slack.js';
export { partLabel } from './split.js';
export { cleanText, fitText, graphemes, safeUrl } from './text.js';

export function renderDigest(digest: Digest, format: 'md'): string;
export function renderDigest(digest: Digest, format: 'discord-json'): DiscordMessage[];
export function renderDigest(digest: Digest, format: 'slack-json'): SlackMessage[];
export function renderDigest(digest: Digest, format: RenderFormat): DiscordMessage[] | SlackMessage[] | string;
export function renderDigest(digest: Digest, format: RenderFormat): DiscordMessage[] | SlackMessage[] | string {
  switch (format) {
    case 'md':
      return renderMarkdown(digest);
    case 'discord-json':
      return renderDiscord(digest);
    case 'slack-json':
      return renderSlack(digest);
  }
}
