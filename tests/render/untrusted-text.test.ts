import { describe, expect, it } from 'vitest';
import type { DigestEntry } from '../../src/digest/types.js';
import { renderDiscord } from '../../src/render/discord.js';
import { discordText } from '../../src/render/escape.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderSlack } from '../../src/render/slack.js';
import { validateAll } from '../helpers/payload-validator.js';
import { digest, entry, section, storyUrl } from './fixtures.js';
import { discordStrings, maskedLinks, slackControlSequences, slackTexts, unescapedMarkdown } from './inspect.js';

const HOSTILE = '@everyone **bold** <@123> <!channel> [x](http://evil) `code` ||spoiler|| # heading';
const HOSTILE_2 =
  '<@&456> <#789> @here <!here> <@U123ABC> <http://evil.example|Totally safe> ```block``` > quote _it_ ~~s~~';

const hostileEntry: DigestEntry = entry(1, {
  title: HOSTILE,
  summary: `${HOSTILE} ${HOSTILE_2}`,
  outlet: HOSTILE_2,
  alsoReportedBy: [
    { outlet: HOSTILE, url: 'https://policy.example/a/1', title: HOSTILE },
    { outlet: 'Harbor Times', url: 'javascript:alert(document.cookie)', title: 'x' },
  ],
  topics: [{ id: 'section-230', name: HOSTILE_2, score: 1, terms: [HOSTILE, '*traffick*'] }],
});
const d = digest([section('section-230', [hostileEntry, entry(2)], 4, HOSTILE)], { title: HOSTILE_2 });
const allowedUrls = new Set([
  storyUrl(1),
  storyUrl(2),
  'https://policy.example/a/1',
  'https://policy.example/a/2',
  'https://harbor.example/n/2',
]);

describe('feed text that is all markdown and mentions, on Discord', () => {
  const parts = renderDiscord(d);
  const strings = parts.flatMap(discordStrings);

  it('passes the validator and disables every mention', () => {
    expect(validateAll('discord', parts)).toEqual([]);
    for (const p of parts) expect(p.allowed_mentions).toEqual({ parse: [] });
  });

  it('contains no ping in any rendered string', () => {
    for (const s of strings) {
      expect(s).not.toMatch(/@(everyone|here)/);
      expect(s).not.toMatch(/<[@#/]/);
    }
  });

  it('links only to the URLs we built, never to feed-supplied links', () => {
    const urls = strings.flatMap(maskedLinks).map((l) => l.url);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(allowedUrls.has(u)).toBe(true);
    // Bare URLs would be auto-linked in markdown fields; footers are plain text and link nothing.
    const markdownFields = parts.flatMap((p) => p.embeds.flatMap((e) => [e.title ?? '', e.description ?? '']));
    expect(markdownFields.join('\n')).not.toMatch(/(?<!\\)https?:\/\/evil/);
    for (const e of parts.flatMap((p) => p.embeds)) if (e.url) expect(allowedUrls.has(e.url)).toBe(true);
  });

  it('escapes every markdown character of feed text in markdown-rendered fields', () => {
    const entryEmbed = parts[0]!.embeds[1]!;
    expect(entryEmbed.title).toBe(discordText(HOSTILE));
    expect(unescapedMarkdown(entryEmbed.title!)).toBe('');
    expect(unescapedMarkdown(entryEmbed.description!, ['**Also reported by:**'])).toBe('');
    expect(unescapedMarkdown(entryEmbed.fields![0]!.value)).toBe('');
    expect(unescapedMarkdown(parts[0]!.embeds[0]!.title!)).toBe('');
    expect(unescapedMarkdown(parts[0]!.content!, ['**'])).toBe('');
  });

  it('keeps the layout: heading, entry with summary, sources, why and footer, then the next entry and the trailer', () => {
    const embeds = parts[0]!.embeds;
    expect(embeds).toHaveLength(4);
    const first = embeds[1]!;
    expect(first.url).toBe(storyUrl(1));
    expect(first.description!.split('**Also reported by:**')).toHaveLength(2);
    expect(maskedLinks(first.description!).map((l) => l.url)).toEqual(['https://policy.example/a/1']);
    // The source with a javascript: link is still named, unlinked.
    expect(first.description).toMatch(/, Harbor Times$/);
    expect(first.fields?.map((f) => f.name)).toEqual(['Why it matched']);
    expect(first.footer?.text).toMatch(/· 2026-01-02 14:05 UTC$/);
    expect(embeds[2]!.url).toBe(storyUrl(2));
    expect(embeds[3]!.description).toBe('…and 4 more: `/digest latest section-230`');
  });
});

describe('feed text that is all markdown and mentions, on Slack', () => {
  const parts = renderSlack(d);
  const texts = parts.flatMap(slackTexts);

  it('passes the validator', () => {
    expect(validateAll('slack', parts)).toEqual([]);
  });

  it('has no control sequence except the links we built', () => {
    const sequences = texts.filter((t) => t.mrkdwn).flatMap((t) => slackControlSequences(t.text));
    expect(sequences.length).toBeGreaterThan(0);
    for (const seq of sequences) {
      const [url, label, ...rest] = seq.split('|');
      expect(allowedUrls.has(url ?? '')).toBe(true);
      expect(label).toBeDefined();
      expect(rest.join('|')).not.toMatch(/[<>]/);
    }
    for (const t of texts) {
      expect(t.text).not.toMatch(/<[!@#]/);
      expect(t.text).not.toMatch(/@(channel|here|everyone)/);
    }
  });

  it('feed text cannot open bold, italics, strike-through or code', () => {
    const entrySection = parts[0]!.blocks.find((b) => b.type === 'section');
    const text = entrySection?.type === 'section' ? (entrySection.text?.text ?? '') : '';
    expect(text.startsWith(`*<${storyUrl(1)}|`)).toBe(true);
    // Our markup is the bold title and the italic label; nothing else may use the markers.
    const withoutOurs = text.replace(/^\*<[^>]*>\*/, '').replace('_Also reported by:_', '');
    expect(withoutOurs.replace(/<https:\/\/[^|>]+\|[^>]*>/g, '')).not.toMatch(/[*_~`]/);
  });
});

describe('feed text that is all markdown and mentions, in Markdown', () => {
  const md = renderMarkdown(d);

  it('renders no feed-supplied link, HTML or heading', () => {
    for (const l of maskedLinks(md)) expect(allowedUrls.has(l.url)).toBe(true);
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings.map((h) => h.split(' ')[0])).toEqual(['#', '##', '###', '###']);
    expect(md).not.toMatch(/(?<!\\)<[@!#a-z]/i);
    expect(md).not.toContain('javascript:');
  });
});
