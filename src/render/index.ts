/** Pure rendering of a platform-neutral Digest into platform payloads; every limit in PLATFORM-LIMITS.md enforced. */
import type { Digest } from '../digest/types.js';
import { type Alert, renderAlertDiscord, renderAlertMarkdown, renderAlertSlack } from './alert.js';
import { renderDiscord } from './discord.js';
import { renderMarkdown } from './markdown.js';
import { renderSlack } from './slack.js';
import type { PayloadOf, Platform, RenderedPart } from './types.js';

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
export { NEXT_PAGE_ACTION, NEXT_PAGE_ID, plainLine, replyText } from './reply-common.js';
export { renderReplyDiscord } from './reply-discord.js';
export { renderReplyMarkdown } from './reply-markdown.js';
export { renderReplySlack } from './reply-slack.js';
export { renderSlack, slackBlockChars } from './slack.js';
export { partLabel } from './split.js';
export { cleanText, fitText, graphemes, safeUrl } from './text.js';

/** The renderers of one kind of content, one per platform, each giving the parts in posting order. */
type PlatformRenderers<T> = { [P in Platform]: (content: T) => PayloadOf[P][] };

const DIGEST: PlatformRenderers<Digest> = {
  // Discord and Slack split at their limits ("(1/3)"); the console gets one Markdown part.
  discord: renderDiscord,
  slack: renderSlack,
  console: (digest) => [renderMarkdown(digest)],
};

const ALERT: PlatformRenderers<Alert> = {
  discord: (alert) => [renderAlertDiscord(alert)],
  slack: (alert) => [renderAlertSlack(alert)],
  console: (alert) => [renderAlertMarkdown(alert)],
};

/** A digest as the parts its platform's sender receives. */
export function renderDigest(digest: Digest, platform: Platform): RenderedPart[] {
  return renderParts(DIGEST, digest, platform);
}

/** An operator alert as the part(s) its platform's sender receives. */
export function renderAlert(alert: Alert, platform: Platform): RenderedPart[] {
  return renderParts(ALERT, alert, platform);
}

/** The one dispatcher from platform-neutral content to platform parts, each tagged with its platform. */
function renderParts<T>(renderers: PlatformRenderers<T>, content: T, platform: Platform): RenderedPart[] {
  switch (platform) {
    case 'discord':
      return renderers.discord(content).map((payload) => ({ platform, payload }));
    case 'slack':
      return renderers.slack(content).map((payload) => ({ platform, payload }));
    case 'console':
      return renderers.console(content).map((payload) => ({ platform, payload }));
  }
}
