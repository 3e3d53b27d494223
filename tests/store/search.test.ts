import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newestStoryId } from '../../src/store/digest-stories.js';
import { ftsQuery, searchStories } from '../../src/store/search.js';
import { matchTerms } from '../../src/store/search-hits.js';
import { tsQuery } from '../../src/store/search-postgres.js';
import type { Sql } from '../../src/store/sql.js';
import { NOW, seedStory } from '../helpers/command-fixtures.js';
import { type TempStore, tempStore } from '../helpers/db.js';

let t: TempStore;
let db: Sql;
beforeEach(async () => {
  t = await tempStore();
  db = t.sql;
});
afterEach(() => t.close());

const find = async (text: string, since: number | null = null) =>
  searchStories(db, { match: ftsQuery(text).match, since, anchor: await newestStoryId(db), limit: 20, offset: 0 });

describe('ftsQuery: what a person types, as a safe FTS5 query', () => {
  it.each([
    ['section 230', '"section" "230"'],
    ['"section 230" ruling', '"section 230" "ruling"'],
    ['traffick*', '"traffick"*'],
    ['KOSA OR COPPA', '"KOSA" OR "COPPA"'],
    ['OR kosa OR', '"kosa"'],
    ['kosa AND NOT coppa', '"kosa" "AND" "NOT" "coppa"'],
    ['title:Backpage', '"title:Backpage"'],
    ['NEAR(a b)', '"NEAR(a" "b)"'],
    ['^start', '"^start"'],
    ['say "he said ""hi"""', '"say" "he said" "hi"'],
    ['*** --- ...', ''],
    ['“age verification”', '"age verification"'],
  ])('%s → %s', (text, match) => {
    expect(ftsQuery(text).match).toBe(match);
  });

  it('no string raises an SQL error', async () => {
    await seedStory(db, {
      title: 'Section 230 ruling reaches the appeals court',
      reports: [{ outlet: 'Wire', hoursAgo: 1 }],
    });
    const alphabet = [
      '"',
      "'",
      '*',
      '(',
      ')',
      ':',
      '^',
      '-',
      '+',
      'OR',
      'AND',
      'NOT',
      'NEAR',
      ' ',
      'a',
      '230',
      '\\',
      '{',
      '}',
      'é',
      '\u0000',
      '🙂',
      ',',
      ';',
      '%',
      '_',
      // to_tsquery's operators (PostgreSQL reads a query with a prefix through it)
      '&',
      '|',
      '!',
      '<->',
      ':*',
    ];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2_000; i++) {
      const text = Array.from({ length: 1 + rand(12) }, () => alphabet[rand(alphabet.length)]).join(rand(2) ? ' ' : '');
      await expect(find(text), text).resolves.toBeDefined();
    }
  });
});

describe('searchStories', () => {
  it('keeps a quoted phrase a phrase, ranks title hits first, counts each story once', async () => {
    const phrase = await seedStory(db, {
      title: 'Court narrows Section 230 immunity for recommendation feeds',
      reports: [
        { outlet: 'Wire', hoursAgo: 2 },
        { outlet: 'Daily', hoursAgo: 1 },
      ],
    });
    const scattered = await seedStory(db, {
      title: 'Budget hearing covers section headings',
      content: 'Section three of the bill runs to 230 pages of tables.',
      reports: [{ outlet: 'Ledger', hoursAgo: 3 }],
    });
    const bodyOnly = await seedStory(db, {
      title: 'Appeals panel hears platform case',
      content: 'Lawyers argued about Section 230 for an hour.',
      reports: [{ outlet: 'Wire', hoursAgo: 4 }],
    });
    expect(await find('"section 230"')).toEqual({ storyIds: [phrase, bodyOnly], total: 2, capped: false });
    expect((await find('section 230')).storyIds).toEqual(expect.arrayContaining([phrase, scattered, bodyOnly]));
    expect((await find('immun*')).storyIds).toEqual([phrase]);
  });

  it('filters by publication time and hides stories newer than the anchor', async () => {
    const old = await seedStory(db, {
      title: 'Ofcom consults on age checks',
      reports: [{ outlet: 'Wire', hoursAgo: 200 }],
    });
    const recent = await seedStory(db, {
      title: 'Ofcom publishes age checks guidance',
      reports: [{ outlet: 'Wire', hoursAgo: 5 }],
    });
    expect((await find('ofcom', NOW - 48 * 3_600_000)).storyIds).toEqual([recent]);
    const anchored = await searchStories(db, {
      match: ftsQuery('ofcom').match,
      since: null,
      anchor: old,
      limit: 5,
      offset: 0,
    });
    expect(anchored).toEqual({ storyIds: [old], total: 1, capped: false });
  });

  it('finds every item of a `since` window when ids are not in publication order', async () => {
    // stored first (lowest id) yet published last: the window's lowest id is this one, not a later item's
    const late = await seedStory(db, { title: 'Ofcom opens an inquiry', reports: [{ outlet: 'Wire', hoursAgo: 2 }] });
    await seedStory(db, { title: 'Ofcom annual report', reports: [{ outlet: 'Daily', hoursAgo: 400 }] });
    const mid = await seedStory(db, { title: 'Ofcom fines a platform', reports: [{ outlet: 'Post', hoursAgo: 20 }] });
    await seedStory(db, { title: 'Ofcom older notice', reports: [{ outlet: 'Herald', hoursAgo: 300 }] });
    expect(await find('ofcom', NOW - 48 * 3_600_000)).toEqual({ storyIds: [late, mid], total: 2, capped: false });
    expect((await find('ofcom', NOW - 10 * 3_600_000)).storyIds).toEqual([late]);
    expect(await find('ofcom', NOW + 3_600_000)).toEqual({ storyIds: [], total: 0, capped: false });
  });

  it('ranks only the newest `scan` matching items when more match, and says so', async () => {
    const older = await seedStory(db, {
      title: 'Ofcom Ofcom Ofcom: the regulator fines a platform',
      reports: [{ outlet: 'Wire', hoursAgo: 300 }],
    });
    const reports = Array.from({ length: 5 }, (_, i) => ({ outlet: `Outlet ${i}`, hoursAgo: 10 }));
    const busy = await seedStory(db, {
      title: 'Regulators meet',
      content: 'The meeting covered Ofcom and several other bodies.',
      reports,
    });
    const scanFive = async (text: string) =>
      searchStories(db, {
        match: ftsQuery(text).match,
        since: null,
        anchor: await newestStoryId(db),
        limit: 20,
        offset: 0,
        scan: 5,
      });
    // The best title match is older than the newest five hits: it is not ranked.
    expect(await scanFive('ofcom')).toEqual({ storyIds: [busy], total: 1, capped: true });
    // A narrower query reaches it, and with everything ranked it comes first.
    expect(await scanFive('ofcom fines')).toEqual({ storyIds: [older], total: 1, capped: false });
    expect(await find('ofcom')).toEqual({ storyIds: [older, busy], total: 2, capped: false });
  });

  it('ranks the newest hits by how many of the query terms their title holds when more match than it ranks', async () => {
    await seedStory(db, { title: 'Ofcom Ofcom Ofcom: an old story', reports: [{ outlet: 'Wire', hoursAgo: 300 }] });
    const meeting = await seedStory(db, {
      title: 'Regulators meet',
      content: 'The meeting covered Ofcom and several other bodies.',
      reports: Array.from({ length: 4 }, (_, i) => ({ outlet: `Outlet ${i}`, hoursAgo: 10 })),
    });
    const fines = await seedStory(db, {
      title: 'Ofcom fines a platform',
      reports: [{ outlet: 'Daily', hoursAgo: 12 }],
    });
    const scanFive = async (text: string) =>
      searchStories(db, {
        match: ftsQuery(text).match,
        since: null,
        anchor: await newestStoryId(db),
        limit: 20,
        offset: 0,
        scan: 5,
      });
    expect(await scanFive('ofcom')).toEqual({ storyIds: [fines, meeting], total: 2, capped: true });
    expect((await scanFive('ofc*')).storyIds).toEqual([fines, meeting]);
    // each title holds one of the two words: then the newer first
    expect((await scanFive('ofcom OR regulators')).storyIds).toEqual([meeting, fines]);
    expect((await scanFive('"ofcom fines"')).capped).toBe(false);
  });

  it('reads OR and prefixes alike on every backend', async () => {
    const kosa = await seedStory(db, {
      title: 'Senate passes KOSA after long debate',
      reports: [{ outlet: 'Wire', hoursAgo: 1 }],
    });
    const coppa = await seedStory(db, {
      title: 'Regulator questions COPPA compliance',
      reports: [{ outlet: 'Daily', hoursAgo: 2 }],
    });
    const raid = await seedStory(db, {
      title: 'Charges follow marketplace raid',
      content: 'Prosecutors describe trafficking through paid listings.',
      reports: [{ outlet: 'Ledger', hoursAgo: 3 }],
    });
    const ages = await seedStory(db, {
      title: 'Age verification rules take effect',
      reports: [{ outlet: 'Post', hoursAgo: 4 }],
    });
    const ids = async (text: string) => (await find(text)).storyIds.sort((a, b) => a - b);
    expect(await ids('kosa OR coppa')).toEqual([kosa, coppa]);
    expect(await ids('kosa coppa')).toEqual([]);
    // prefixes that are no word's stem, so that only a prefix search finds them
    expect(await ids('prosecut*')).toEqual([raid]);
    expect(await ids('kosa OR prosecut*')).toEqual([kosa, raid]);
    expect(await ids('marketpl* prosecut*')).toEqual([raid]);
    expect(await ids('verif*')).toEqual([ages]);
  });
});

describe("tsQuery: the match expression as PostgreSQL's query text", () => {
  it.each([
    ['"section 230" "ruling"', 'websearch', '"section 230" "ruling"'],
    ['"kosa" OR "coppa"', 'websearch', '"kosa" or "coppa"'],
    ['"say" "he said ""hi"""', 'websearch', '"say" "he said  hi "'],
    ['"traffick"* "it\'s"', 'prefix', "'traffick':* & 'it''s'"],
    ['"verif"* OR "a\\b"', 'prefix', "'verif':* | 'a\\\\b'"],
  ])('%s → %s %s', (match, parser, text) => {
    expect(tsQuery(matchTerms(match))).toEqual({ parser, text });
  });
});
