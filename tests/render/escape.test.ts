import { describe, expect, it } from 'vitest';
import {
  discordText,
  escapeDiscordMarkdown,
  escapeMarkdown,
  escapeSlackText,
  neutralizeDiscordMentions,
} from '../../src/render/escape.js';

const ZW = '\u200b';

describe('escapeDiscordMarkdown', () => {
  it.each([
    ['**bold**', '\\*\\*bold\\*\\*'],
    ['__under__ ~~strike~~', '\\_\\_under\\_\\_ \\~\\~strike\\~\\~'],
    ['`code` ```block```', '\\`code\\` \\`\\`\\`block\\`\\`\\`'],
    ['||spoiler||', '\\|\\|spoiler\\|\\|'],
    ['[x](http://evil)', '\\[x\\](http\\://evil)'],
    ['# heading', '\\# heading'],
    ['> quote', '\\> quote'],
    ['- item', '\\- item'],
    ['-# subtext', '\\-\\# subtext'],
    ['1. first', '1\\. first'],
    ['see https://example.com now', 'see https\\://example.com now'],
    ['back\\slash', 'back\\\\slash'],
    ['plain words, 2-3 times.', 'plain words, 2-3 times.'],
  ])('%s', (input, expected) => {
    expect(escapeDiscordMarkdown(input)).toBe(expected);
  });
});

describe('neutralizeDiscordMentions', () => {
  it.each([
    ['@everyone look', `@${ZW}everyone look`],
    ['hey @here', `hey @${ZW}here`],
    ['@EVERYONE', `@${ZW}EVERYONE`],
    ['<@123> <@!123> <@&456> <#789> </cmd:1>', `<${ZW}@123> <${ZW}@!123> <${ZW}@&456> <${ZW}#789> <${ZW}/cmd:1>`],
    ['mail me at someone@example.com', 'mail me at someone@example.com'],
  ])('%s', (input, expected) => {
    expect(neutralizeDiscordMentions(input)).toBe(expected);
  });

  it('composes with markdown escaping without re-forming a mention', () => {
    const out = discordText('<@123> @here');
    expect(out).not.toMatch(/<@\d/);
    expect(out).not.toContain('@here');
  });
});

describe('escapeSlackText', () => {
  it.each([
    ['<!channel> <!here> <@U123>', '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt;'],
    ['<http://evil|click>', '&lt;http://evil|click&gt;'],
    ['AT&T', 'AT&amp;T'],
    ['&lt; already', '&amp;lt; already'],
    ['*bold* _it_ ~st~ `c`', '\u2217bold\u2217 \u02CDit\u02CD \u223Cst\u223C \u02CBc\u02CB'],
    [`@channel`, `@${ZW}channel`],
  ])('%s', (input, expected) => {
    expect(escapeSlackText(input)).toBe(expected);
  });

  it('leaves no raw control characters for Slack to parse', () => {
    const out = escapeSlackText('<<!everyone>> ``` * _ ~ &');
    expect(out).not.toMatch(/[<>*_~`]/);
    expect(out.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['**bold** _it_', '\\*\\*bold\\*\\* \\_it\\_'],
    ['[x](http://evil)', '\\[x\\](http://evil)'],
    ['<script>', '\\<script\\>'],
    ['# h', '\\# h'],
    ['- item', '\\- item'],
    ['2024. A year', '2024\\. A year'],
    ['a | b', 'a \\| b'],
  ])('%s', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});
