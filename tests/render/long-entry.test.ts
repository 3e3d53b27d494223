import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/render/discord.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderSlack } from '../../src/render/slack.js';
import { validateAll } from '../helpers/payload-validator.js';
import { digest, entry, outlets, section, storyUrl } from './fixtures.js';
import { maskedLinks } from './inspect.js';

const LONG_TITLE = 'Senate panel advances platform accountability bill after marathon hearing '
  .repeat(140)
  .slice(0, 10_000);

function shownOutlets(text: string, linked: (s: string) => string[]): { names: string[]; more: number } {
  const more = Number(text.match(/…and (\d+) more outlets?/)?.[1] ?? 0);
  return { names: linked(text), more };
}

const discordSources = (s: string) =>
  maskedLinks(s)
    .filter((l) => l.url.includes('outlet'))
    .map((l) => l.text);
const slackSources = (s: string) => [...s.matchAll(/<https:\/\/outlet[^|]+\|([^>]*)>/g)].map((m) => m[1] ?? '');

describe('an entry that cannot fit even alone', () => {
  const huge = digest([
    section(
      'kosa',
      [
        entry(1, {
          title: LONG_TITLE,
          summary: 'The committee heard testimony for eleven hours. '.repeat(400),
          alsoReportedBy: outlets(60, 60),
          topics: [{ id: 'kosa', name: 'KOSA', score: 1, terms: Array.from({ length: 300 }, (_, i) => `term${i}`) }],
        }),
      ],
      7,
    ),
  ]);

  it('is truncated to fit one Discord message, with every part of it still present', () => {
    const parts = renderDiscord(huge);
    expect(parts).toHaveLength(1);
    expect(validateAll('discord', parts)).toEqual([]);
    const e = parts[0]!.embeds[1]!;
    expect(e.title!.length).toBeLessThanOrEqual(256);
    expect(e.title!.endsWith('…')).toBe(true);
    expect(e.url).toBe(storyUrl(1));
    expect(e.description).toContain('The committee heard testimony');
    const { names, more } = shownOutlets(e.description!, discordSources);
    expect(names.length).toBeGreaterThan(5);
    expect(more).toBeGreaterThan(0);
    expect(names.length + more).toBe(60);
    expect(names).toEqual(Array.from({ length: names.length }, (_, i) => `Outlet ${i + 1}`));
    expect(e.fields![0]!.value.endsWith('…')).toBe(true);
    expect(parts[0]!.embeds[2]!.description).toBe('…and 7 more: `/digest latest kosa`');
  });

  it('is truncated to fit one Slack section', () => {
    const parts = renderSlack(huge);
    expect(parts).toHaveLength(1);
    expect(validateAll('slack', parts)).toEqual([]);
    const b = parts[0]!.blocks.find((x) => x.type === 'section');
    const text = b?.type === 'section' ? (b.text?.text ?? '') : '';
    expect(text.startsWith(`*<${storyUrl(1)}|Senate panel`)).toBe(true);
    const { names, more } = shownOutlets(text, slackSources);
    expect(more).toBeGreaterThan(0);
    expect(names.length + more).toBe(60);
  });

  it('keeps Markdown readable: title capped, every outlet listed', () => {
    const md = renderMarkdown(huge);
    const heading = md.split('\n').find((l) => l.startsWith('### '))!;
    expect(heading.length).toBeLessThan(400);
    expect(discordSources(md)).toHaveLength(60);
  });
});

describe('60 outlets in "also reported by"', () => {
  const d = digest([section('tvpa', [entry(1, { alsoReportedBy: outlets(60) })])]);

  it('lists them all with their links when they fit, on Discord and in Markdown', () => {
    const parts = renderDiscord(d);
    expect(validateAll('discord', parts)).toEqual([]);
    const { names, more } = shownOutlets(parts[0]!.embeds[1]!.description!, discordSources);
    expect(names).toHaveLength(60);
    expect(more).toBe(0);
    const links = maskedLinks(renderMarkdown(d)).filter((l) => l.url.includes('outlet'));
    expect(links.map((l) => l.url)).toEqual(outlets(60).map((o) => o.url));
  });

  it('shows every outlet or counts the rest on Slack', () => {
    const parts = renderSlack(d);
    expect(validateAll('slack', parts)).toEqual([]);
    const b = parts[0]!.blocks.find((x) => x.type === 'section');
    const { names, more } = shownOutlets(b?.type === 'section' ? (b.text?.text ?? '') : '', slackSources);
    expect(names.length + more).toBe(60);
    expect(names.length).toBeGreaterThan(30);
  });
});

describe('a 10,000-character title', () => {
  const d = digest([section('s230', [entry(1, { title: LONG_TITLE }), entry(2, { title: LONG_TITLE })])], {
    title: LONG_TITLE,
  });

  it('fits every platform limit', () => {
    expect(LONG_TITLE.length).toBe(10_000);
    const discord = renderDiscord(d);
    const slack = renderSlack(d);
    expect(validateAll('discord', discord)).toEqual([]);
    expect(validateAll('slack', slack)).toEqual([]);
    expect(discord[0]!.content!.length).toBeLessThan(400);
    const header = slack[0]!.blocks[0]!;
    expect(header.type === 'header' && header.text.text.endsWith('…')).toBe(true);
    expect(slack[0]!.text.length).toBeLessThanOrEqual(4000);
  });

  it('never pushes the part label out of a multi-part digest', () => {
    const many = digest(
      [
        section(
          's230',
          Array.from({ length: 60 }, (_, i) => entry(i + 1, { title: LONG_TITLE })),
        ),
      ],
      { title: LONG_TITLE },
    );
    const discord = renderDiscord(many);
    const slack = renderSlack(many);
    expect(discord.length).toBeGreaterThan(1);
    expect(slack.length).toBeGreaterThan(1);
    discord.forEach((m, i) => {
      expect(m.content).toContain(`(${i + 1}/${discord.length})`);
    });
    slack.forEach((m, i) => {
      expect(m.text).toContain(`(${i + 1}/${slack.length})`);
      const h = m.blocks[0]!;
      expect(h.type === 'header' && h.text.text.endsWith(`… (${i + 1}/${slack.length})`)).toBe(true);
    });
    expect(validateAll('discord', discord)).toEqual([]);
    expect(validateAll('slack', slack)).toEqual([]);
  });
});
