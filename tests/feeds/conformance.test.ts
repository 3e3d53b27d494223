import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/feeds/charset.js';
import { parseFeed } from '../../src/feeds/parse.js';

/**
 * Our own conformance cases (also counted by `npm run eval -- parse`): each NAME.xml is read as the
 * fetcher reads a body (with the Content-Type NAME.json gives, if any) and must yield exactly the
 * items NAME.json lists, field by field for the fields it states.
 */
const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/feeds/conformance');
const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith('.xml'))
  .map((f) => f.replace(/\.xml$/, ''))
  .sort();

interface Expected {
  about: string;
  contentType?: string;
  items: { title?: string; link?: string | null; id?: string; categories?: string[]; content?: string }[];
}

describe('feed conformance fixtures', () => {
  it('has a JSON expectation beside every input', () => {
    const jsons = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(jsons.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(CASES);
    expect(CASES.length).toBeGreaterThanOrEqual(18);
  });

  it.each(CASES)('%s', (name) => {
    const expected = JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Expected;
    const bytes = readFileSync(path.join(DIR, `${name}.xml`));
    const feed = parseFeed(decodeBody(bytes, expected.contentType ?? null).text, {
      url: 'file:///fixtures/feed.xml',
      now: Date.UTC(2024, 0, 1),
    });
    expect(feed.items).toHaveLength(expected.items.length);
    expected.items.forEach((want, i) => {
      const got = feed.items[i]!;
      if (want.title !== undefined) expect(got.title, `${name} #${i} title`).toBe(want.title);
      if (want.link !== undefined) expect(got.url, `${name} #${i} link`).toBe(want.link);
      if (want.id !== undefined) expect(got.id, `${name} #${i} id`).toBe(want.id);
      if (want.categories !== undefined) expect(got.categories, `${name} #${i} categories`).toEqual(want.categories);
      if (want.content !== undefined) expect(got.content, `${name} #${i} content`).toBe(want.content);
    });
  });
});
