/**
 * Reply → Discord messages for an interaction: the title and notices as content, stories as the same embeds a
 * digest uses, rows as embed fields, split into several messages when the limits demand, with the "Next page"
 * button on the last one.
 */
import type { Reply, ReplyRow, ReplySection } from '../commands/reply.js';
import { ENTRY_COLOR, entryEmbed, HEADING_COLOR, piece } from './discord.js';
import { discordText, neutralizeDiscordMentions } from './escape.js';
import { BUDGETS, DISCORD_LIMITS } from './limits.js';
import {
  errorLines,
  moreLine,
  NEXT_PAGE_ID,
  NEXT_PAGE_LABEL,
  NO_PIECE,
  renderLine,
  renderLines,
  replyEntryText,
  type SpanStyle,
} from './reply-common.js';
import { type PackSection, packParts, partLabel } from './split.js';
import { fitText, safeUrl } from './text.js';
import type { DiscordEmbed, DiscordEmbedField, DiscordMessage } from './types.js';

/** Characters of fields per row embed, so that a few of them still fit a message's 6,000 with a heading. */
const ROW_EMBED_CHARS = 2_800;

export const DISCORD_SPANS: SpanStyle = {
  text: discordText,
  // Inside a code span nothing is markdown, but a backtick would end it early.
  code: (s) => `\`${neutralizeDiscordMentions(s.replace(/`/g, 'ˋ'))}\``,
  strong: (s) => `**${discordText(s)}**`,
  link: (s, url) => {
    const safe = safeUrl(url, BUDGETS.inlineUrlChars);
    return safe ? `[${discordText(s)}](${safe})` : null;
  },
};

export function renderReplyDiscord(r: Reply): DiscordMessage[] {
  const title = `**${fitText(r.title, BUDGETS.digestTitleChars, discordText)}**`;
  const flags = r.ephemeral ? { flags: 64 as const } : {};
  const head = renderLines(
    [...r.notices, ...errorLines(r)],
    DISCORD_LIMITS.content - title.length - 1,
    '\n',
    DISCORD_SPANS,
  );
  const sections = r.sections.map(packSection);
  if (r.footer) {
    const text = renderLine(r.footer, DISCORD_LIMITS.embedDescription, DISCORD_SPANS);
    sections.push({
      heading: () => NO_PIECE,
      entries: [],
      trailer: piece({ description: text, color: HEADING_COLOR }),
    });
  }
  const parts = packParts(sections, { count: DISCORD_LIMITS.embedsPerMessage, chars: DISCORD_LIMITS.embedsTotalChars });
  const messages: DiscordMessage[] = parts.map((embeds, i) => {
    const content = i === 0 ? [title, head].filter(Boolean).join('\n') : `${title} ${partLabel(i, parts.length)}`;
    return { content: fitText(content, DISCORD_LIMITS.content), embeds, allowed_mentions: { parse: [] }, ...flags };
  });
  const last = messages.at(-1);
  if (last && r.nextPage) {
    last.components = [
      {
        type: 1,
        components: [{ type: 2, style: 1, label: NEXT_PAGE_LABEL, custom_id: `${NEXT_PAGE_ID}${r.nextPage}` }],
      },
    ];
  }
  return messages;
}

function packSection(s: ReplySection): PackSection<DiscordEmbed> {
  const rows = rowEmbeds(s.rows).map(piece);
  return {
    heading: (continued) =>
      s.heading
        ? piece({
            title: `${fitText(s.heading, BUDGETS.headingChars, discordText)}${continued ? ' (continued)' : ''}`,
            color: HEADING_COLOR,
          })
        : NO_PIECE,
    entries: [...s.entries.map((e) => piece(entryEmbed(replyEntryText(e)))), ...rows],
    trailer: s.more
      ? piece({ description: renderLine(moreLine(s.more), BUDGETS.trailerChars, DISCORD_SPANS), color: HEADING_COLOR })
      : null,
  };
}

/** Rows as embed fields, as many per embed as fit 25 fields and a share of the message's characters. */
function rowEmbeds(rows: ReplyRow[]): DiscordEmbed[] {
  const embeds: DiscordEmbed[] = [];
  let fields: DiscordEmbedField[] = [];
  let chars = 0;
  for (const row of rows) {
    const field = {
      name: fitText(row.label, DISCORD_LIMITS.fieldName, discordText) || '\u200b',
      value: renderLines(row.lines, DISCORD_LIMITS.fieldValue, '\n', DISCORD_SPANS) || '\u200b',
    };
    const size = field.name.length + field.value.length;
    if (fields.length > 0 && (fields.length >= DISCORD_LIMITS.embedFields || chars + size > ROW_EMBED_CHARS)) {
      embeds.push({ fields, color: ENTRY_COLOR });
      fields = [];
      chars = 0;
    }
    fields.push(field);
    chars += size;
  }
  if (fields.length > 0) embeds.push({ fields, color: ENTRY_COLOR });
  return embeds;
}
