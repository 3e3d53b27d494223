/**
 * Reply → Slack Block Kit messages for a slash command's response_url: a header, the notices, stories as the
 * same blocks a digest uses, rows as sections, split into several messages when the limits demand, with the
 * "Next page" button last.
 */
import type { Reply, ReplyRow, ReplySection } from '../commands/reply.js';
import { CONTINUED } from './common.js';
import { escapeSlackText } from './escape.js';
import { BUDGETS, SLACK_LIMITS } from './limits.js';
import {
  errorLines,
  moreLine,
  NEXT_PAGE_ACTION,
  NEXT_PAGE_ID,
  NEXT_PAGE_LABEL,
  NO_PIECE,
  plainLine,
  renderLine,
  renderLines,
  replyEntryText,
  type SpanStyle,
} from './reply-common.js';
import { entryBlocks, piece, plainText } from './slack.js';
import { type PackSection, packParts, partLabel } from './split.js';
import { fitText, safeUrl } from './text.js';
import type { SlackBlock, SlackMessage } from './types.js';

/** Every part starts with a header; the first also has the notices, the last may have the button. */
const PART_OVERHEAD_BLOCKS = 3;
const LABEL_ROOM = 12;

export const SLACK_SPANS: SpanStyle = {
  text: escapeSlackText,
  code: (s) => `\`${escapeSlackText(s.replace(/`/g, 'ˋ'))}\``,
  strong: (s) => `*${escapeSlackText(s)}*`,
  link: (s, url) => {
    const safe = safeUrl(url, BUDGETS.inlineUrlChars);
    return safe ? `<${safe}|${escapeSlackText(s)}>` : null;
  },
};

export function renderReplySlack(r: Reply): SlackMessage[] {
  const head = renderLines([...r.notices, ...errorLines(r)], SLACK_LIMITS.sectionText, '\n', SLACK_SPANS);
  const sections = r.sections.map(packSection);
  if (r.footer) {
    const footer = contextBlock(renderLine(r.footer, SLACK_LIMITS.textObject, SLACK_SPANS));
    sections.push({
      heading: () => NO_PIECE,
      entries: [],
      trailer: piece([footer]),
    });
  }
  const parts = packParts(sections, {
    count: SLACK_LIMITS.blocksPerMessage - PART_OVERHEAD_BLOCKS,
    chars: BUDGETS.slackMessageChars,
  });
  const fallback = [r.title, ...[...r.notices, ...errorLines(r)].map(plainLine)].join(' — ');
  const messages = parts.map((blocks, i): SlackMessage => {
    const label = partLabel(i, parts.length);
    const top: SlackBlock[] = [header(r.title, label)];
    if (i === 0 && head) top.push({ type: 'section', text: { type: 'mrkdwn', text: head } });
    return {
      text: fitText(`${fallback}${label ? ` ${label}` : ''}`, SLACK_LIMITS.messageText, escapeSlackText),
      blocks: [...top, ...blocks],
      unfurl_links: false,
      unfurl_media: false,
      response_type: r.ephemeral ? 'ephemeral' : 'in_channel',
    };
  });
  const last = messages.at(-1);
  if (last && r.nextPage) {
    last.blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: NEXT_PAGE_LABEL },
          action_id: NEXT_PAGE_ACTION,
          value: `${NEXT_PAGE_ID}${r.nextPage}`,
        },
      ],
    });
  }
  return messages;
}

function header(text: string, label: string): SlackBlock {
  const room = SLACK_LIMITS.headerText - (label ? LABEL_ROOM : 0);
  return {
    type: 'header',
    text: { type: 'plain_text', text: `${fitText(text, room, plainText)}${label ? ` ${label}` : ''}`, emoji: true },
  };
}

function contextBlock(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function packSection(s: ReplySection): PackSection<SlackBlock> {
  return {
    heading: (continued) => {
      if (!s.heading) return NO_PIECE;
      const suffix = continued ? CONTINUED : '';
      const room = Math.min(BUDGETS.headingChars, SLACK_LIMITS.headerText) - suffix.length;
      return piece([
        {
          type: 'header',
          text: { type: 'plain_text', text: `${fitText(s.heading, room, plainText)}${suffix}`, emoji: true },
        },
      ]);
    },
    entries: [
      ...s.entries.map((e) => piece(entryBlocks(replyEntryText(e)))),
      ...s.rows.map((row) => piece([rowBlock(row)])),
    ],
    trailer: s.more ? piece([contextBlock(renderLine(moreLine(s.more), BUDGETS.trailerChars, SLACK_SPANS))]) : null,
  };
}

function rowBlock(row: ReplyRow): SlackBlock {
  const label = `*${fitText(row.label, 256, escapeSlackText)}*`;
  const body = renderLines(row.lines, SLACK_LIMITS.sectionText - label.length - 1, '\n', SLACK_SPANS);
  return { type: 'section', text: { type: 'mrkdwn', text: body ? `${label}\n${body}` : label } };
}
