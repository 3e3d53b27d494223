import { describe, expect, it } from 'vitest';
import { validateAll, validateDiscordMessage, validateSlackMessage } from '../helpers/payload-validator.js';

const x = (n: number) => 'x'.repeat(n);
const okDiscord = () => ({
  content: 'hello',
  embeds: [{ title: 't', description: 'd', fields: [{ name: 'n', value: 'v' }], footer: { text: 'f' } }],
  allowed_mentions: { parse: [] as string[] },
});
const okSlack = () => ({
  text: 'fallback',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Title' } },
    { type: 'section', text: { type: 'mrkdwn', text: 'body' } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'meta' }] },
    { type: 'divider' },
  ],
});

/** Each case breaks exactly one rule; the validator must name it. */
const discordCases: [string, (m: ReturnType<typeof okDiscord>) => unknown, RegExp][] = [
  ['content over 2,000', (m) => ({ ...m, content: x(2001) }), /^content: 2001 > 2000$/],
  ['11 embeds', (m) => ({ ...m, embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }), /^embeds: 11 > 10$/],
  [
    'over 6,000 characters across embeds',
    (m) => ({ ...m, embeds: [{ description: x(4000) }, { description: x(2001) }] }),
    /^embeds: 6001 characters in all embeds > 6000$/,
  ],
  [
    '6,000 counted over title, description, fields, footer and author',
    (m) => ({
      ...m,
      embeds: [
        {
          title: x(200),
          description: x(3000),
          fields: [{ name: x(200), value: x(1000) }],
          footer: { text: x(1400) },
          author: { name: x(201) },
        },
      ],
    }),
    /^embeds: 6001 characters/,
  ],
  ['title over 256', (m) => ({ ...m, embeds: [{ title: x(257) }] }), /^embeds\[0\]\.title: 257 > 256$/],
  [
    'description over 4,096',
    (m) => ({ ...m, embeds: [{ description: x(4097) }] }),
    /^embeds\[0\]\.description: 4097 > 4096$/,
  ],
  [
    '26 fields',
    (m) => ({ ...m, embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }),
    /^embeds\[0\]\.fields: 26 > 25$/,
  ],
  [
    'field name over 256',
    (m) => ({ ...m, embeds: [{ fields: [{ name: x(257), value: 'v' }] }] }),
    /^embeds\[0\]\.fields\[0\]\.name: 257 > 256$/,
  ],
  [
    'field value over 1,024',
    (m) => ({ ...m, embeds: [{ fields: [{ name: 'n', value: x(1025) }] }] }),
    /^embeds\[0\]\.fields\[0\]\.value: 1025 > 1024$/,
  ],
  [
    'empty field value',
    (m) => ({ ...m, embeds: [{ fields: [{ name: 'n', value: ' ' }] }] }),
    /value: must not be empty/,
  ],
  [
    'footer over 2,048',
    (m) => ({ ...m, embeds: [{ footer: { text: x(2049) } }] }),
    /^embeds\[0\]\.footer\.text: 2049 > 2048$/,
  ],
  [
    'author name over 256',
    (m) => ({ ...m, embeds: [{ author: { name: x(257) } }] }),
    /^embeds\[0\]\.author\.name: 257 > 256$/,
  ],
  ['missing allowed_mentions', ({ allowed_mentions: _, ...m }) => m, /^allowed_mentions/],
  ['allowed_mentions that parses', (m) => ({ ...m, allowed_mentions: { parse: ['everyone'] } }), /^allowed_mentions/],
  ['a javascript: embed url', (m) => ({ ...m, embeds: [{ title: 't', url: 'javascript:x' }] }), /url: must be an http/],
  ['nothing to show', (m) => ({ ...m, content: '', embeds: [] }), /needs content or embeds/],
  ['a lone surrogate', (m) => ({ ...m, content: 'cut \uD83C' }), /^content: contains a lone surrogate$/],
];

describe('validateDiscordMessage', () => {
  it('accepts a valid message', () => {
    expect(validateDiscordMessage(okDiscord())).toEqual([]);
  });

  it('accepts values exactly at the limits', () => {
    const m = {
      ...okDiscord(),
      content: x(2000),
      embeds: [{ title: x(256), description: x(4096), footer: { text: x(1648) } }],
    };
    expect(validateDiscordMessage(m)).toEqual([]);
  });

  it.each(discordCases)('catches %s', (_name, mutate, expected) => {
    const violations = validateDiscordMessage(mutate(okDiscord()));
    expect(violations.some((v) => expected.test(v))).toBe(true);
  });

  it('counts UTF-16 units conservatively: 65 flags are 130 code points but 260 units', () => {
    expect(validateDiscordMessage({ ...okDiscord(), embeds: [{ title: '🇺🇦'.repeat(65) }] })).toEqual([
      'embeds[0].title: 260 > 256',
    ]);
  });
});

const slackCases: [string, (m: ReturnType<typeof okSlack>) => unknown, RegExp][] = [
  [
    '51 blocks',
    (m) => ({ ...m, blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    /^blocks: 51 > 50$/,
  ],
  [
    'header over 150',
    (m) => ({ ...m, blocks: [{ type: 'header', text: { type: 'plain_text', text: x(151) } }] }),
    /^blocks\[0\]\.text\.text: 151 > 150$/,
  ],
  [
    'mrkdwn header',
    (m) => ({ ...m, blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] }),
    /must be plain_text/,
  ],
  [
    'section text over 3,000',
    (m) => ({ ...m, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: x(3001) } }] }),
    /^blocks\[0\]\.text\.text: 3001 > 3000$/,
  ],
  [
    '11 section fields',
    (m) => ({
      ...m,
      blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
    }),
    /^blocks\[0\]\.fields: 11 > 10$/,
  ],
  [
    'section field over 2,000',
    (m) => ({ ...m, blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: x(2001) }] }] }),
    /^blocks\[0\]\.fields\[0\]\.text: 2001 > 2000$/,
  ],
  ['empty section', (m) => ({ ...m, blocks: [{ type: 'section' }] }), /section needs text or fields/],
  ['text over 4,000', (m) => ({ ...m, text: x(4001) }), /^text: 4001 > 4000 \(recommended\)$/],
  ['text over 40,000', (m) => ({ ...m, text: x(40_001) }), /^text: 40001 > 40000$/],
  ['no fallback text', ({ text: _, ...m }) => m, /^text: a non-empty fallback/],
  [
    '11 context elements',
    (m) => ({
      ...m,
      blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'e' })) }],
    }),
    /^blocks\[0\]\.elements: 11 > 10$/,
  ],
  ['unknown block', (m) => ({ ...m, blocks: [{ type: 'carousel' }] }), /unexpected block type carousel/],
  [
    'a lone surrogate',
    (m) => ({ ...m, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '\uDC00 cut' } }] }),
    /contains a lone surrogate/,
  ],
];

describe('validateSlackMessage', () => {
  it('accepts a valid message', () => {
    expect(validateSlackMessage(okSlack())).toEqual([]);
  });

  it('accepts values exactly at the limits', () => {
    const m = {
      text: x(4000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: x(150) } },
        { type: 'section', text: { type: 'mrkdwn', text: x(3000) }, fields: [{ type: 'mrkdwn', text: x(2000) }] },
        ...Array.from({ length: 48 }, () => ({ type: 'divider' })),
      ],
    };
    expect(validateSlackMessage(m)).toEqual([]);
  });

  it.each(slackCases)('catches %s', (_name, mutate, expected) => {
    const violations = validateSlackMessage(mutate(okSlack()));
    expect(violations.some((v) => expected.test(v))).toBe(true);
  });
});

describe('validateAll', () => {
  it('names the part of each violation', () => {
    expect(validateAll('discord', [okDiscord(), { ...okDiscord(), content: x(2001) }])).toEqual([
      'part 2: content: 2001 > 2000',
    ]);
  });
});
