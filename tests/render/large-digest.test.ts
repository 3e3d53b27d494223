import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/render/discord.js';
import { renderSlack } from '../../src/render/slack.js';
import type { DiscordEmbed, SlackBlock } from '../../src/render/types.js';
import { validateAll } from '../helpers/payload-validator.js';
import { bigDigest, storyUrl } from './fixtures.js';

const digest = bigDigest(200);
const expectedOrder = digest.sections.flatMap((s) => s.entries.map((e) => e.storyId));
const storyIdOf = (url: string | undefined) => {
  const m = url?.match(/^https:\/\/news\.example\/story\/(\d+)$/);
  return m ? Number(m[1]) : null;
};

describe('a digest of 200 stories on Discord', () => {
  const parts = renderDiscord(digest);

  it('splits into several parts that each pass the validator', () => {
    expect(parts.length).toBeGreaterThan(5);
    expect(validateAll('discord', parts)).toEqual([]);
  });

  it('shows every story exactly once, in order', () => {
    const seen = parts.flatMap((p) => p.embeds.map((e) => storyIdOf(e.url)).filter((id) => id !== null));
    expect(seen).toEqual(expectedOrder);
    expect(new Set(seen).size).toBe(200);
  });

  it('labels the parts (k/n) in the content', () => {
    parts.forEach((p, i) => {
      expect(p.content).toContain(`(${i + 1}/${parts.length})`);
      expect(p.allowed_mentions).toEqual({ parse: [] });
    });
  });

  it('keeps each heading with an entry and repeats it when a topic continues', () => {
    const isHeading = (e: DiscordEmbed) => !e.url && !e.footer && !e.description;
    let current = '';
    for (const p of parts) {
      const first = p.embeds[0]!;
      expect(isHeading(first)).toBe(true);
      expect(isHeading(p.embeds.at(-1)!)).toBe(false);
      if (first.title?.endsWith('(continued)')) expect(first.title).toBe(`${current} (continued)`);
      for (const [i, e] of p.embeds.entries()) {
        if (!isHeading(e)) continue;
        expect(p.embeds[i + 1]?.footer).toBeDefined();
        if (!e.title?.endsWith('(continued)')) current = e.title ?? '';
      }
    }
  });

  it('ends capped topics with the "…and N more" line once, after their last entry', () => {
    const all = parts.flatMap((p) => p.embeds);
    for (const s of digest.sections) {
      const line = `…and ${s.more} more: \`/digest latest ${s.topicId}\``;
      const at = all.findIndex((e) => e.description === line);
      if (s.more === 0) {
        expect(at).toBe(-1);
        continue;
      }
      expect(all.filter((e) => e.description === line)).toHaveLength(1);
      expect(all[at - 1]?.url).toBe(storyUrl(s.entries.at(-1)!.storyId));
    }
  });
});

describe('a digest of 200 stories on Slack', () => {
  const parts = renderSlack(digest);
  const linkedIds = (b: SlackBlock) =>
    b.type === 'section'
      ? [...(b.text?.text ?? '').matchAll(/^\*<https:\/\/news\.example\/story\/(\d+)\|/g)].map((m) => Number(m[1]))
      : [];

  it('splits into several parts that each pass the validator', () => {
    expect(parts.length).toBeGreaterThan(4);
    expect(validateAll('slack', parts)).toEqual([]);
  });

  it('shows every story exactly once, in order', () => {
    const seen = parts.flatMap((p) => p.blocks.flatMap(linkedIds));
    expect(seen).toEqual(expectedOrder);
  });

  it('labels the parts (k/n) in the header and the fallback text', () => {
    parts.forEach((p, i) => {
      const head = p.blocks[0];
      expect(head?.type).toBe('header');
      if (head?.type === 'header') expect(head.text.text.endsWith(`(${i + 1}/${parts.length})`)).toBe(true);
      expect(p.text).toContain(`(${i + 1}/${parts.length})`);
      expect(p.unfurl_links).toBe(false);
    });
  });

  it('never ends a part on a topic heading and never starts one mid-topic without a heading', () => {
    for (const p of parts) {
      expect(p.blocks[2]?.type).toBe('header');
      expect(p.blocks.at(-1)?.type).not.toBe('header');
    }
  });
});
