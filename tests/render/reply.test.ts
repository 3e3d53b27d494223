import { describe, expect, it } from 'vitest';
import { code, link, type Reply, reply } from '../../src/commands/reply.js';
import {
  NEXT_PAGE_ID,
  renderReplyDiscord,
  renderReplyMarkdown,
  renderReplySlack,
  replyText,
} from '../../src/render/index.js';
import { validateAll } from '../helpers/payload-validator.js';
import { entry, outlets } from './fixtures.js';

const HOSTILE =
  '@everyone <@&123> <!channel> <@U123> **bold** `tick` [x](https://evil.example) <https://evil.example|click>';

function bigReply(): Reply {
  const entries = Array.from({ length: 20 }, (_, i) =>
    entry(i + 1, {
      title: `${HOSTILE} ${'Long title '.repeat(30)}`,
      summary: `${'A long summary sentence about platform duties. '.repeat(100)}`,
      alsoReportedBy: outlets(30, 200),
    }),
  );
  const rows = Array.from({ length: 60 }, (_, i) => ({
    label: `${HOSTILE} feed ${i} ${'x'.repeat(400)}`,
    lines: [`failing: ${'timeout '.repeat(300)}`, ['Query: ', code(`"a" OR \`b\` ${'c '.repeat(600)}`)]],
  }));
  return reply(`${HOSTILE} ${'Title '.repeat(100)}`, {
    notices: Array.from({ length: 40 }, (_, i) => `notice ${i} ${HOSTILE} ${'n'.repeat(200)}`),
    sections: [
      { heading: `Results ${HOSTILE}`, entries, rows: [], more: { count: 12, command: '/digest latest kosa' } },
      { heading: 'Feeds', entries: [], rows },
    ],
    footer: '…and 99 more',
    nextPage: 'AbCdEfGhIjKlMnOp',
  });
}

describe('command replies within every platform limit', () => {
  it('Discord: a huge reply splits into valid messages, the button on the last', () => {
    const messages = renderReplyDiscord(bigReply());
    expect(messages.length).toBeGreaterThan(3);
    expect(validateAll('discord', messages)).toEqual([]);
    expect(messages.slice(0, -1).every((m) => m.components === undefined)).toBe(true);
    expect(messages.at(-1)?.components).toEqual([
      {
        type: 1,
        components: [{ type: 2, style: 1, label: 'Next page', custom_id: `${NEXT_PAGE_ID}AbCdEfGhIjKlMnOp` }],
      },
    ]);
    expect(messages[1]?.content).toMatch(/\(2\/\d+\)$/);
    // Every entry and every row made it into some message.
    const embeds = messages.flatMap((m) => m.embeds);
    expect(embeds.filter((e) => e.footer).length).toBe(20);
    expect(embeds.flatMap((e) => e.fields ?? []).filter((f) => f.name.includes('feed')).length).toBe(60);
  });

  it('Slack: a huge reply splits into valid messages, the button on the last', () => {
    const messages = renderReplySlack(bigReply());
    expect(messages.length).toBeGreaterThan(1);
    expect(validateAll('slack', messages)).toEqual([]);
    expect(messages.at(-1)?.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Next page' },
          action_id: 'digest_next_page',
          value: `${NEXT_PAGE_ID}AbCdEfGhIjKlMnOp`,
        },
      ],
    });
    expect(messages.every((m) => m.response_type === 'in_channel')).toBe(true);
  });

  it('feed and typed text never pings, links or formats', () => {
    const r = reply('Search', {
      notices: [[`You typed: ${HOSTILE} `, code(HOSTILE), ' ', link(HOSTILE, 'javascript:alert(1)')]],
      sections: [
        {
          heading: HOSTILE,
          entries: [entry(1, { title: HOSTILE, summary: HOSTILE })],
          rows: [{ label: HOSTILE, lines: [HOSTILE] }],
        },
      ],
    });
    // Inside a code span Discord renders nothing: no link, no mention, no formatting. Look outside them.
    const discord = JSON.stringify(renderReplyDiscord(r)).replace(/`[^`]*`/g, '');
    expect(discord).not.toMatch(/(?<!\\u200b)@everyone/);
    expect(discord).not.toContain('<@&123>');
    expect(discord).not.toContain('](https://evil.example)');
    expect(discord).not.toContain('javascript:');
    expect(renderReplyDiscord(r).every((m) => JSON.stringify(m.allowed_mentions) === '{"parse":[]}')).toBe(true);
    const slack = JSON.stringify(renderReplySlack(r));
    expect(slack).not.toContain('<!channel>');
    expect(slack).not.toContain('<@U123>');
    expect(slack).not.toContain('<https://evil.example|click>');
    expect(slack).not.toContain('javascript:');
    const md = renderReplyMarkdown(r).replace(/`[^`]*`/g, '');
    expect(md).not.toContain('**bold**');
    expect(md).not.toContain('[x](https://evil.example)');
  });

  it('errors and ephemeral replies are marked as such on each platform', () => {
    const r: Reply = {
      ...reply('Bad input for /digest latest'),
      ephemeral: true,
      error: {
        what: 'count must be a whole number from 1 to 20; 50 is out of range.',
        todo: ['Type ', code('/digest latest [topic] [count]'), '.'],
      },
    };
    const [d] = renderReplyDiscord(r);
    expect(d).toMatchObject({ flags: 64, embeds: [] });
    expect(d?.content).toBe(
      '**Bad input for /digest latest**\ncount must be a whole number from 1 to 20; 50 is out of range.\nType `/digest latest [topic] [count]`.',
    );
    const [s] = renderReplySlack(r);
    expect(s?.response_type).toBe('ephemeral');
    expect(validateAll('slack', [s])).toEqual([]);
    expect(replyText(r)).toContain('50 is out of range');
  });

  it('rows, section trailers and footers read the same on each platform', () => {
    const r = reply('Topics', {
      notices: ['3 topics.'],
      sections: [
        {
          heading: 'Stories in the last 7 days',
          entries: [],
          rows: [
            { label: 'Child online safety (child-safety)', lines: ['4 stories', ['Query: ', code('KOSA OR COPPA')]] },
          ],
          more: { count: 2, command: '/digest latest child-safety' },
        },
      ],
      footer: '…and 1 more',
    });
    const [d] = renderReplyDiscord(r);
    expect(
      renderReplyDiscord(reply('Latest', { sections: [{ heading: '', entries: [entry(7)], rows: [] }] }))[0]?.embeds[0]
        ?.footer?.text,
    ).toBe('Capitol Wire · 2026-01-02 14:05 UTC · story 7');
    expect(d?.embeds.map((e) => e.title ?? e.description ?? e.fields?.[0]?.value)).toEqual([
      'Stories in the last 7 days',
      '4 stories\nQuery: `KOSA OR COPPA`',
      '…and 2 more: `/digest latest child-safety`',
      '…and 1 more',
    ]);
    const [s] = renderReplySlack(r);
    expect(s?.blocks.map((b) => b.type)).toEqual(['header', 'section', 'header', 'section', 'context', 'context']);
    expect(renderReplyMarkdown(r)).toContain('- Query: `KOSA OR COPPA`');
  });
});
