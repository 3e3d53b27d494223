/** Helpers for looking inside rendered payloads the way the platform would parse them. */
import type { DiscordMessage, SlackMessage } from '../../src/render/types.js';

/** Every string of a Discord message that Discord renders. */
export function discordStrings(m: DiscordMessage): string[] {
  return [
    m.content ?? '',
    ...m.embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      e.author?.name ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ].filter(Boolean);
}

/** Every text of a Slack message, with whether Slack parses it as mrkdwn. */
export function slackTexts(m: SlackMessage): { text: string; mrkdwn: boolean }[] {
  const out = [{ text: m.text, mrkdwn: true }];
  for (const b of m.blocks) {
    if (b.type === 'header') out.push({ text: b.text.text, mrkdwn: false });
    if (b.type === 'section') {
      for (const t of [...(b.text ? [b.text] : []), ...(b.fields ?? [])]) {
        out.push({ text: t.text, mrkdwn: t.type === 'mrkdwn' });
      }
    }
    if (b.type === 'context') for (const el of b.elements) out.push({ text: el.text, mrkdwn: el.type === 'mrkdwn' });
  }
  return out;
}

const MASKED_LINK = /(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/g;

/** Masked links Discord (or CommonMark) would render: `[text](url)` whose bracket is not escaped. */
export function maskedLinks(s: string): { text: string; url: string }[] {
  return [...s.matchAll(MASKED_LINK)].map((m) => ({ text: m[1] ?? '', url: m[2] ?? '' }));
}

/** The text left after removing our own links and backslash escapes: any markdown character left is unescaped. */
export function unescapedMarkdown(s: string, ours: string[] = []): string {
  let rest = s.replace(MASKED_LINK, '');
  for (const o of ours) rest = rest.split(o).join('');
  rest = rest.replace(/\\[\s\S]/g, '');
  return [...rest.matchAll(/[*_~`|[\]<>#]/g)].map((m) => m[0]).join('');
}

/** Every `<…>` control sequence Slack would parse in mrkdwn. */
export function slackControlSequences(s: string): string[] {
  return [...s.matchAll(/<([^>]*)>/g)].map((m) => m[1] ?? '');
}

export function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
