/**
 * Feed text is untrusted: it must never ping anyone, inject a link or control sequence, or format our message.
 * Each function takes already-truncated text (see fitText) so an escape is never cut in half.
 */

/** Backslash-escapes Discord markdown, masked links, block markers, autolinks and mention brackets. */
export function escapeDiscordMarkdown(text: string): string {
  return (
    text
      .replace(/[\\*_~`|[\]<>#]/g, '\\$&')
      // "https\://x" shows as "https://x" but is no longer auto-linked: the only links are the ones we build.
      .replace(/:(?=\/\/)/g, '\\:')
      // Line-start markers (list items, subtext "-#", numbered lists); renderers put feed text at line starts.
      .replace(/^([-+])/, '\\$1')
      .replace(/^(\d+)\./, '$1\\.')
  );
}

/**
 * Breaks @everyone, @here and <@id>, <@&id>, <@!id>, <#id>, </command:id> with a zero-width space, which works even
 * where Discord does not render markdown (footer, author) and so backslash escapes would show.
 */
export function neutralizeDiscordMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<(?=[@#/])/g, '<\u200b');
}

/** Markdown-rendered Discord fields (title, description, field name/value). */
export function discordText(text: string): string {
  return escapeDiscordMarkdown(neutralizeDiscordMentions(text));
}

const SLACK_LOOKALIKES: Record<string, string> = {
  '*': '\u2217',
  _: '\u02CD',
  '~': '\u223C',
  '`': '\u02CB',
};

/**
 * Slack mrkdwn has no backslash escape. `&`, `<`, `>` become entities, so <!channel>, <@U123>, <!here> and
 * <http://x|y> cannot be formed; the mrkdwn markers become look-alike characters so feed text cannot open bold,
 * italics, strike-through or a code block that swallows the rest of our layout.
 */
export function escapeSlackText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (c) => SLACK_LOOKALIKES[c] ?? c)
    .replace(/@(channel|here|everyone)/gi, '@\u200b$1');
}

/** CommonMark escaping for the console/file renderer: no emphasis, links, HTML, headings or tables from feed text. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>#|~]/g, '\\$&')
    .replace(/^([-+])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.');
}
