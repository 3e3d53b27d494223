/** Digest → Slack Block Kit messages: a header and stats line per part, a header per topic, section + context per entry. */
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
import { escapeSlackText } from './escape.js';
import { BUDGETS, SLACK_LIMITS } from './limits.js';
import { type PackSection, type Piece, packParts, partLabel } from './split.js';
import { cleanText, fitText, formatDate, safeUrl } from './text.js';
import type { SlackBlock, SlackMessage } from './types.js';

/** Every part starts with its own header and stats context block. */
const PART_OVERHEAD_BLOCKS = 2;
/** Room kept in the header for " (12/34)". */
const LABEL_ROOM = 12;

export function renderSlack(digest: Digest): SlackMessage[] {
  const title = digestTitle(digest);
  const sections = visibleSections(digest);
  const date = formatDate(digest.generatedAt);
  if (sections.length === 0) {
    const text = `${title}: ${nothingNew(digest)}`;
    return [
      message(fitText(text, SLACK_LIMITS.messageText, escapeSlackText), [
        header(title, ''),
        mrkdwnSection(nothingNew(digest)),
      ]),
    ];
  }
  const stats = [digestStats(digest), date ? `generated ${date}` : ''].filter(Boolean).join(' · ');
  const statsBlock: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlackText(stats) }] };
  const parts = packParts(sections.map(packSection), {
    count: SLACK_LIMITS.blocksPerMessage - PART_OVERHEAD_BLOCKS,
    chars: BUDGETS.slackMessageChars,
  });
  const topics = sections.map((s) => cleanText(s.topicName)).filter(Boolean);
  return parts.map((blocks, i) => {
    const label = partLabel(i, parts.length);
    // The fallback `text` is what notifications and screen readers show; Slack parses it for mentions too.
    // Topics go last so that a cut, if any, never takes the part label.
    const fallback = `${fitText(title, BUDGETS.digestTitleChars)}${label ? ` ${label}` : ''}: ${digestStats(digest)} — ${topics.join(', ')}`;
    return message(fitText(fallback, SLACK_LIMITS.messageText, escapeSlackText), [
      header(title, label),
      statsBlock,
      ...blocks,
    ]);
  });
}

/** Block text Slack renders; used to keep messages to a readable size. */
export function slackBlockChars(b: SlackBlock): number {
  switch (b.type) {
    case 'header':
      return b.text.text.length;
    case 'section':
      return (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return b.elements.reduce((n, el) => n + el.text.length, 0);
    default:
      return 0;
  }
}

function message(text: string, blocks: SlackBlock[]): SlackMessage {
  return { text, blocks, unfurl_links: false, unfurl_media: false };
}

/**
 * Header blocks are plain_text, which Slack parses for neither mentions nor formatting. Angle brackets still become
 * look-alikes so that no text that reads like <!channel> ever leaves us, whichever way Slack treats it.
 */
export function plainText(text: string): string {
  return text
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203A')
    .replace(/@(channel|here|everyone)/gi, '@\u200b$1');
}

function header(text: string, label: string): SlackBlock {
  const suffix = label ? ` ${label}` : '';
  const room = SLACK_LIMITS.headerText - (label ? LABEL_ROOM : 0);
  return {
    type: 'header',
    text: { type: 'plain_text', text: `${fitText(text, room, plainText)}${suffix}`, emoji: true },
  };
}

function mrkdwnSection(raw: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(raw, SLACK_LIMITS.sectionText, escapeSlackText) } };
}

function packSection(section: DigestSection): PackSection<SlackBlock> {
  const name = sectionName(section);
  return {
    heading: (continued) => {
      const suffix = continued ? CONTINUED : '';
      const room = Math.min(BUDGETS.headingChars, SLACK_LIMITS.headerText) - suffix.length;
      const text = `${fitText(name, room, plainText)}${suffix}`;
      return piece([{ type: 'header', text: { type: 'plain_text', text, emoji: true } }]);
    },
    entries: section.entries.map((e) => piece(entryBlocks(entryText(e)))),
    trailer:
      section.more > 0
        ? piece([{ type: 'context', elements: [{ type: 'mrkdwn', text: moreLine(section, 'chat') }] }])
        : null,
  };
}

export function piece(blocks: SlackBlock[]): Piece<SlackBlock> {
  return { items: blocks, cost: { count: blocks.length, chars: blocks.reduce((n, b) => n + slackBlockChars(b), 0) } };
}

export function entryBlocks(t: ReturnType<typeof entryText>): SlackBlock[] {
  const url = safeUrl(t.url, BUDGETS.inlineUrlChars);
  const title = fitText(t.title, 256, escapeSlackText);
  const titleLine = url ? `*<${url}|${title}>*` : `*${title}*`;
  const sourceItems = t.sources.map((s) => {
    const name = escapeSlackText(s.outlet);
    const link = safeUrl(s.url, BUDGETS.inlineUrlChars);
    return link ? `<${link}|${name}>` : name;
  });
  const body = composeBody({
    summary: t.summary,
    sourceItems,
    max: SLACK_LIMITS.sectionText - titleLine.length - 1,
    transform: escapeSlackText,
    sep: '\n',
    prefix: '_Also reported by:_ ',
  });
  const elements = [{ type: 'mrkdwn' as const, text: fitText(t.meta, BUDGETS.metaChars, escapeSlackText) }];
  if (t.why) {
    elements.push({ type: 'mrkdwn', text: `Why it matched: ${fitText(t.why, BUDGETS.whyChars, escapeSlackText)}` });
  }
  return [
    { type: 'section', text: { type: 'mrkdwn', text: body ? `${titleLine}\n${body}` : titleLine } },
    { type: 'context', elements },
  ];
}
