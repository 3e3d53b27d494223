import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/render/discord.js';
import { renderDigest } from '../../src/render/index.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderSlack } from '../../src/render/slack.js';
import { validateAll } from '../helpers/payload-validator.js';
import { digest, entry, section, storyUrl } from './fixtures.js';
import { slackTexts } from './inspect.js';

const d = digest(
  [
    section('section-230', [entry(1), entry(2)], 3, 'Section 230'),
    section('kosa', [], 2, 'KOSA'),
    section('empty', [], 0, 'Nothing here'),
  ],
  { storyCount: 2 },
);

describe('each entry shows what the issue asks for', () => {
  it('on Discord: linked title, summary, every other outlet with its link, why, outlet and date', () => {
    const [m] = renderDiscord(d);
    expect(validateAll('discord', [m])).toEqual([]);
    const e = m!.embeds[1]!;
    expect(e.title).toBe('Story 1: appeals court revisits platform liability shield');
    expect(e.url).toBe(storyUrl(1));
    expect(e.description).toBe(
      'Summary of story 1. Lawmakers debated how the liability shield applies to recommendation systems.\n\n' +
        '**Also reported by:** [Policy Daily](https://policy.example/a/1), [Harbor Times](https://harbor.example/n/1)',
    );
    expect(e.fields).toEqual([{ name: 'Why it matched', value: 'Section 230 ("Section 230", liability shield)' }]);
    expect(e.footer?.text).toBe('Capitol Wire · 2026-01-02 14:05 UTC');
    expect(m!.content).toBe('**watchdesk digest** — 2026-01-03 09:00 UTC\n2 new stories since 2026-01-02 09:00 UTC');
  });

  it('on Discord: topics are headed, capped topics end with "…and N more", empty topics are left out', () => {
    const parts = renderDiscord(d);
    expect(validateAll('discord', parts)).toEqual([]);
    const titles = parts[0]!.embeds.map((e) => e.title ?? e.description);
    expect(titles).toEqual([
      'Section 230',
      'Story 1: appeals court revisits platform liability shield',
      'Story 2: appeals court revisits platform liability shield',
      '…and 3 more: `/digest latest section-230`',
      'KOSA',
      '…and 2 more: `/digest latest kosa`',
    ]);
  });

  it('on Slack: the same content, as blocks', () => {
    const [m] = renderSlack(d);
    expect(validateAll('slack', [m])).toEqual([]);
    expect(m!.blocks.map((b) => b.type)).toEqual([
      'header',
      'context',
      'header',
      'section',
      'context',
      'section',
      'context',
      'context',
      'header',
      'context',
    ]);
    const texts = slackTexts(m!).map((t) => t.text);
    expect(texts).toContain(
      `*<${storyUrl(1)}|Story 1: appeals court revisits platform liability shield>*\n` +
        'Summary of story 1. Lawmakers debated how the liability shield applies to recommendation systems.\n' +
        '_Also reported by:_ <https://policy.example/a/1|Policy Daily>, <https://harbor.example/n/1|Harbor Times>',
    );
    expect(texts).toContain('Capitol Wire · 2026-01-02 14:05 UTC');
    expect(texts).toContain('Why it matched: Section 230 ("Section 230", liability shield)');
    expect(texts).toContain('…and 3 more: `/digest latest section-230`');
    expect(texts).toContain('…and 2 more: `/digest latest kosa`');
    expect(m!.text).toBe('watchdesk digest: 2 new stories since 2026-01-02 09:00 UTC — Section 230, KOSA');
    expect(m!.unfurl_links).toBe(false);
  });
});

describe('markdown output', () => {
  const md = renderMarkdown(d);

  it('is a well-formed document: one title, a heading per topic, a heading per entry', () => {
    const headings = md.split('\n').filter((l) => /^#+ /.test(l));
    expect(headings).toEqual([
      '# watchdesk digest — 2026-01-03 09:00 UTC',
      '## Section 230',
      `### [Story 1: appeals court revisits platform liability shield](${storyUrl(1)})`,
      `### [Story 2: appeals court revisits platform liability shield](${storyUrl(2)})`,
      '## KOSA',
    ]);
    expect(md).not.toContain('Nothing here');
    expect(md).not.toMatch(/\n{3,}/);
  });

  it('carries summary, sources, why, outlet/date and the "more" lines', () => {
    expect(md).toContain('*Capitol Wire · 2026-01-02 14:05 UTC*');
    expect(md).toContain('Summary of story 2. Lawmakers debated');
    expect(md).toContain(
      '**Also reported by:** [Policy Daily](https://policy.example/a/2), [Harbor Times](https://harbor.example/n/2)',
    );
    expect(md).toContain('**Why it matched:** Section 230 ("Section 230", liability shield)');
    // the console has no /digest: it names the CLI
    expect(md).toContain('…and 3 more: `watchdesk digest --topics section-230`');
    expect(md).toContain('…and 2 more: `watchdesk digest --topics kosa`');
  });
});

describe('an empty digest', () => {
  const empty = digest([], { storyCount: 0 });

  it('renders a short "nothing new" message on every platform', () => {
    const discord = renderDiscord(empty);
    expect(discord).toHaveLength(1);
    expect(discord[0]!.content).toBe('**watchdesk digest** — Nothing new since 2026-01-02 09:00 UTC.');
    expect(discord[0]!.embeds).toEqual([]);
    expect(validateAll('discord', discord)).toEqual([]);

    const slack = renderSlack(empty);
    expect(slack).toHaveLength(1);
    expect(slack[0]!.text).toBe('watchdesk digest: Nothing new since 2026-01-02 09:00 UTC.');
    expect(validateAll('slack', slack)).toEqual([]);

    expect(renderMarkdown(empty)).toBe(
      '# watchdesk digest — 2026-01-03 09:00 UTC\n\nNothing new since 2026-01-02 09:00 UTC.\n',
    );
  });

  it('treats sections without entries or left-out stories as empty', () => {
    const hollow = digest([section('x', [], 0)], { since: null });
    expect(renderDiscord(hollow)[0]!.content).toBe('**watchdesk digest** — Nothing new.');
    expect(validateAll('discord', renderDiscord(hollow))).toEqual([]);
    expect(validateAll('slack', renderSlack(hollow))).toEqual([]);
  });
});

describe('links', () => {
  const bad = digest([
    section('s', [
      entry(1, {
        url: 'javascript:alert(1)',
        alsoReportedBy: [{ outlet: 'Odd Outlet', url: 'https://odd.example/a(b)|c>d e', title: 'x' }],
      }),
    ]),
  ]);

  it('drops non-http(s) story links and encodes characters that would break link markup', () => {
    expect(validateAll('discord', renderDiscord(bad))).toEqual([]);
    expect(validateAll('slack', renderSlack(bad))).toEqual([]);
    const e = renderDiscord(bad)[0]!.embeds[1]!;
    expect(e.url).toBeUndefined();
    expect(e.description).toContain('[Odd Outlet](https://odd.example/a%28b%29%7Cc%3Ed%20e)');

    const s = renderSlack(bad)[0]!.blocks.find((b) => b.type === 'section');
    const text = s?.type === 'section' ? (s.text?.text ?? '') : '';
    expect(text.startsWith('*Story 1: appeals court')).toBe(true);
    expect(text).toContain('<https://odd.example/a%28b%29%7Cc%3Ed%20e|Odd Outlet>');

    const md = renderMarkdown(bad);
    expect(md).toContain('### Story 1: appeals court');
    expect(md).not.toContain('javascript');
  });
});

describe('renderDigest', () => {
  it('dispatches on the platform and tags every part with it', () => {
    expect(renderDigest(d, 'console')).toEqual([{ platform: 'console', payload: renderMarkdown(d) }]);
    expect(renderDigest(d, 'discord')).toEqual(renderDiscord(d).map((payload) => ({ platform: 'discord', payload })));
    expect(renderDigest(d, 'slack')).toEqual(renderSlack(d).map((payload) => ({ platform: 'slack', payload })));
  });
});
