import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/render/discord.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderSlack } from '../../src/render/slack.js';
import { graphemes } from '../../src/render/text.js';
import { validateAll } from '../helpers/payload-validator.js';
import { digest, entry, section, storyUrl } from './fixtures.js';
import { isWellFormed, slackTexts } from './inspect.js';

const SCRIPTS = {
  arabic: 'المحكمة تنظر في حصانة المنصات الرقمية',
  cjk: '法院审查平台责任豁免条款的适用范围',
  devanagari: 'न्यायालय ने मंच दायित्व पर सुनवाई की',
  zwj: '👨‍👩‍👧‍👦👩🏽‍⚖️🧑‍💻🏳️‍🌈',
  flags: '🇺🇦🇪🇺🇬🇧🇮🇳🇯🇵',
} as const;
const names = Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[];

/** Long titles and summaries in every script, so each one is truncated somewhere. */
const longTitles = names.map((n) => `${SCRIPTS[n]} `.repeat(40).trim());
const d = digest([
  section(
    'dsa',
    longTitles.map((title, i) =>
      entry(i + 1, {
        title,
        summary: `${SCRIPTS[names[i]!]} `.repeat(300),
        outlet: SCRIPTS[names[(i + 1) % names.length]!],
        alsoReportedBy: names.map((n, j) => ({ outlet: SCRIPTS[n], url: `https://o${j}.example/${i}`, title: n })),
        topics: [{ id: 'dsa', name: 'Digital Services Act', score: 1, terms: [SCRIPTS[names[i]!]] }],
      }),
    ),
    0,
    '🇪🇺 Digital Services Act 法 قانون',
  ),
]);

function expectGraphemePrefix(out: string, input: string): void {
  const body = out.endsWith('…') ? out.slice(0, -1) : out;
  const g = graphemes(body);
  expect(graphemes(input).slice(0, g.length)).toEqual(g);
}

describe('non-Latin scripts and emoji', () => {
  it('pass the validator on Discord and Slack (which also rejects any lone surrogate)', () => {
    expect(validateAll('discord', renderDiscord(d))).toEqual([]);
    expect(validateAll('slack', renderSlack(d))).toEqual([]);
  });

  it('truncate Discord titles at whole graphemes, counting UTF-16 units', () => {
    const embeds = renderDiscord(d).flatMap((m) => m.embeds.filter((e) => e.url));
    expect(embeds).toHaveLength(names.length);
    embeds.forEach((e, i) => {
      expect(e.url).toBe(storyUrl(i + 1));
      expect(e.title!.length).toBeLessThanOrEqual(256);
      expect(e.title!.endsWith('…')).toBe(true);
      expectGraphemePrefix(e.title!, longTitles[i]!);
      expect(isWellFormed(e.description!)).toBe(true);
    });
  });

  it('truncate Slack titles at whole graphemes', () => {
    const sections = renderSlack(d).flatMap((m) => m.blocks.filter((b) => b.type === 'section'));
    sections.forEach((b, i) => {
      const text = b.type === 'section' ? (b.text?.text ?? '') : '';
      const title = text.match(/^\*<[^|]+\|([^>]*)>\*/)?.[1] ?? '';
      expect(title.length).toBeLessThanOrEqual(256);
      expectGraphemePrefix(title, longTitles[i]!);
    });
    for (const t of renderSlack(d).flatMap(slackTexts)) expect(isWellFormed(t.text)).toBe(true);
  });

  it('leave a title alone when it fits in UTF-16 units, and cut one that only fits in code points', () => {
    const cjk = '法'.repeat(250);
    const flags = '🇺🇦'.repeat(100); // 100 graphemes, 200 code points, 400 UTF-16 units
    const both = digest([section('t', [entry(1, { title: cjk }), entry(2, { title: flags })])]);
    const out = renderDiscord(both);
    expect(validateAll('discord', out)).toEqual([]);
    expect(validateAll('slack', renderSlack(both))).toEqual([]);
    const [a, b] = out[0]!.embeds.filter((e) => e.url);
    expect(a!.title).toBe(cjk);
    expect(b!.title!.length).toBeLessThanOrEqual(256);
    expect(b!.title!.endsWith('🇺🇦…')).toBe(true);
  });

  it('keep the scripts intact in Markdown', () => {
    const md = renderMarkdown(d);
    expect(md).toContain('## 🇪🇺 Digital Services Act 法 قانون');
    expect(md).toContain(SCRIPTS.devanagari);
    expect(isWellFormed(md)).toBe(true);
  });
});
