/** Digest → Discord messages: one embed per entry, a heading embed per topic, the title and part label in content. */
import type { Digest, DigestSection } from '../digest/types.js';
import {
  CONTINUED,
  composeBody,
  digestStats,
  digestTitle,
  entryText,
  moreLine,
  nothingNew,
  sectionName,
  visibleSections,
} from './common.js';
import { discordText, neutralizeDiscordMentions } from './escape.js';
import { BUDGETS, DISCORD_LIMITS } from './limits.js';
import { type PackSection, type Piece, packParts, partLabel } from './split.js';
import { fitText, formatDate, safeUrl } from './text.js';
import type { DiscordEmbed, DiscordMessage } from './types.js';

export const HEADING_COLOR = 0x5865f2;
export const ENTRY_COLOR = 0x4e5d94;

export function renderDiscord(digest: Digest): DiscordMessage[] {
  const title = `**${fitText(digestTitle(digest), BUDGETS.digestTitleChars, discordText)}**`;
  const sections = visibleSections(digest);
  if (sections.length === 0) {
    return [message(`${title} — ${nothingNew(digest)}`, [])];
  }
  const date = formatDate(digest.generatedAt);
  const stats = digestStats(digest);
  const parts = packParts(sections.map(packSection), {
    count: DISCORD_LIMITS.embedsPerMessage,
    chars: DISCORD_LIMITS.embedsTotalChars,
  });
  const messages = parts.map((embeds, i) => {
    const label = partLabel(i, parts.length);
    const head = [title, date ? `— ${date}` : '', label].filter(Boolean).join(' ');
    // The stats line is only useful once; later parts just say where they belong.
    return message(i === 0 ? `${head}\n${stats}` : head, embeds);
  });
  (messages[0] as DiscordMessage).thread_name = forumPostTitle(digest);
  return messages;
}

/** "watchdesk digest — 2026-01-03": a forum post's title (Discord allows 1 to 100 characters). */
function forumPostTitle(digest: Digest): string {
  const day = formatDate(digest.generatedAt).slice(0, 10);
  return fitText(`${digestTitle(digest)}${day ? ` — ${day}` : ''}`, 100);
}

/** What Discord counts toward the 6,000 characters shared by all embeds of a message. */
export function embedChars(e: DiscordEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function message(content: string, embeds: DiscordEmbed[]): DiscordMessage {
  return { content: fitText(content, DISCORD_LIMITS.content), embeds, allowed_mentions: { parse: [] } };
}

function packSection(section: DigestSection): PackSection<DiscordEmbed> {
  return {
    heading: (continued) => piece(headingEmbed(section, continued)),
    entries: section.entries.map((e) => piece(entryEmbed(entryText(e)))),
    trailer: section.more > 0 ? piece({ description: moreLine(section, 'chat'), color: HEADING_COLOR }) : null,
  };
}

export function piece(embed: DiscordEmbed): Piece<DiscordEmbed> {
  return { items: [embed], cost: { count: 1, chars: embedChars(embed) } };
}

function headingEmbed(section: DigestSection, continued: boolean): DiscordEmbed {
  const suffix = continued ? CONTINUED : '';
  return {
    title: `${fitText(sectionName(section), BUDGETS.headingChars - suffix.length, discordText)}${suffix}`,
    color: HEADING_COLOR,
  };
}

export function entryEmbed(t: ReturnType<typeof entryText>): DiscordEmbed {
  const url = safeUrl(t.url, BUDGETS.embedUrlChars);
  const sourceItems = t.sources.map((s) => {
    const name = discordText(s.outlet);
    const link = safeUrl(s.url, BUDGETS.inlineUrlChars);
    return link ? `[${name}](${link})` : name;
  });
  const description = composeBody({
    summary: t.summary,
    sourceItems,
    max: DISCORD_LIMITS.embedDescription,
    transform: discordText,
    sep: '\n\n',
    prefix: '**Also reported by:** ',
  });
  const why = fitText(t.why, BUDGETS.whyChars, discordText);
  const embed: DiscordEmbed = {
    title: fitText(t.title, DISCORD_LIMITS.embedTitle, discordText),
    color: ENTRY_COLOR,
  };
  if (url) embed.url = url;
  if (description) embed.description = description;
  if (why) embed.fields = [{ name: 'Why it matched', value: why }];
  // Footers do not render markdown, so only mentions are neutralized there (a backslash would show).
  embed.footer = { text: fitText(t.meta, BUDGETS.metaChars, neutralizeDiscordMentions) };
  return embed;
}
