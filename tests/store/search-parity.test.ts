import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestStoryId } from '../../src/store/digest-stories.js';
import { openStore } from '../../src/store/open.js';
import { ftsQuery, searchStories } from '../../src/store/search.js';
import type { Sql } from '../../src/store/sql.js';
import { HOUR, NOW, type SeedStory, seedStory } from '../helpers/command-fixtures.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';

/**
 * Issue 16: `/digest search` gives comparable results on both stores: FTS5 (porter, unicode61) on SQLite, the
 * items.fts tsvector ('english': Porter too) with websearch_to_tsquery on PostgreSQL. The same stories go into
 * a store of each; the same queries must find the same stories, in the same order where the ranking is clear
 * (a title hit before a body hit; equal hits newest first), and page the same way. Between two body hits of
 * different lengths the order may differ: both favour the shorter item, but FTS5 counts stop words in its
 * length and PostgreSQL does not.
 *
 * Known differences, not covered here because they differ by design: PostgreSQL's 'english' configuration
 * drops stop words ("the", "of") where FTS5 searches for them, and keeps diacritics where FTS5 folds them.
 * Always runs on both, whatever WATCHDESK_TEST_DB says.
 */
const STORIES: Record<string, SeedStory> = {
  phrase: {
    title: 'Court narrows Section 230 immunity for recommendation feeds',
    reports: [
      { outlet: 'Wire', hoursAgo: 2 },
      { outlet: 'Daily', hoursAgo: 1 },
    ],
  },
  scattered: {
    title: 'Budget hearing covers section headings',
    content: 'Section three of the bill runs to 230 pages of tables.',
    reports: [{ outlet: 'Ledger', hoursAgo: 3 }],
  },
  bodyOnly: {
    title: 'Appeals panel hears platform case',
    content: 'Lawyers argued about Section 230 for an hour.',
    reports: [{ outlet: 'Wire', hoursAgo: 4 }],
  },
  ofcomFines: { title: 'Ofcom fines a video platform', reports: [{ outlet: 'Post', hoursAgo: 20 }] },
  ofcomOld: { title: 'Ofcom consults on age checks', reports: [{ outlet: 'Wire', hoursAgo: 200 }] },
  meeting: {
    title: 'Regulators meet in London',
    content: 'The meeting covered Ofcom and several other bodies.',
    reports: [{ outlet: 'Herald', hoursAgo: 10 }],
  },
  kosa: { title: 'Senate committee advances KOSA', reports: [{ outlet: 'Daily', hoursAgo: 5 }] },
  coppa: { title: 'Regulator settles COPPA case with app maker', reports: [{ outlet: 'Ledger', hoursAgo: 30 }] },
  backpage: {
    title: 'Prosecutors revive Backpage charges',
    content: 'The indictment describes trafficking adverts.',
    reports: [{ outlet: 'Post', hoursAgo: 50 }],
  },
  trafficked: {
    title: 'Trafficked victims sue a marketplace',
    content: 'They say its listings were used against them.',
    reports: [{ outlet: 'Herald', hoursAgo: 60 }],
  },
  // Five stories alike but for one word and their age: the same rank on both, so their order is by time alone.
  ...Object.fromEntries(
    ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((w, i) => [
      `audit-${w}`,
      { title: `Platform audit ${w} published`, reports: [{ outlet: `Outlet ${w}`, hoursAgo: 70 + i }] },
    ]),
  ),
};

const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-search-parity-'));
const schema = pgTestSchema();
const stores: Record<'sqlite' | 'postgres', { sql: Sql; names: Map<number, string> }> = {} as never;

beforeAll(async () => {
  const opened = { sqlite: await openStore(path.join(dir, 'test.db')), postgres: await openStore(pgSchemaUrl(schema)) };
  for (const [backend, sql] of Object.entries(opened) as ['sqlite' | 'postgres', Sql][]) {
    const names = new Map<number, string>();
    for (const [name, story] of Object.entries(STORIES)) names.set(await seedStory(sql, story), name);
    stores[backend] = { sql, names };
  }
});

afterAll(async () => {
  await stores.sqlite?.sql.close();
  await stores.postgres?.sql.close();
  rmSync(dir, { recursive: true, force: true });
  await dropPgSchema(schema);
});

interface Found {
  stories: string[];
  total: number;
  capped: boolean;
}

/** The query on both stores, the stories by name. */
async function both(text: string, p: { since?: number; limit?: number; offset?: number } = {}) {
  const out = {} as Record<'sqlite' | 'postgres', Found>;
  for (const backend of ['sqlite', 'postgres'] as const) {
    const { sql, names } = stores[backend];
    const page = await searchStories(sql, {
      match: ftsQuery(text).match,
      since: p.since ?? null,
      anchor: await newestStoryId(sql),
      limit: p.limit ?? 20,
      offset: p.offset ?? 0,
    });
    out[backend] = {
      stories: page.storyIds.map((id) => names.get(id) ?? `?${id}`),
      total: page.total,
      capped: page.capped,
    };
  }
  return out;
}

const sorted = (list: string[]) => [...list].sort();

describe('search on SQLite (FTS5) and PostgreSQL (tsvector) gives comparable results', () => {
  it.each([
    ['a phrase', '"section 230"', ['phrase', 'bodyOnly']],
    ['a rare word', 'backpage', ['backpage']],
    ['two words, both needed', 'ofcom fines', ['ofcomFines']],
    ['a prefix', 'traffick*', ['trafficked', 'backpage']],
    ['OR', 'kosa OR coppa', ['kosa', 'coppa']],
  ])('%s (%s): the same stories, in the same order', async (_, text, expected) => {
    const r = await both(text);
    expect(r.sqlite.stories).toEqual(expected);
    expect(r.postgres).toEqual(r.sqlite);
  });

  it('two words anywhere: the same stories; the title hit first', async () => {
    const r = await both('section 230');
    expect(sorted(r.sqlite.stories)).toEqual(['bodyOnly', 'phrase', 'scattered']);
    expect(sorted(r.postgres.stories)).toEqual(sorted(r.sqlite.stories));
    expect(r.postgres.stories[0]).toBe('phrase');
    expect(r.sqlite.stories[0]).toBe('phrase');
  });

  it('a word in titles and a body: the same stories; title hits before the body hit', async () => {
    const r = await both('ofcom');
    for (const found of [r.sqlite, r.postgres]) {
      expect(sorted(found.stories.slice(0, 2))).toEqual(['ofcomFines', 'ofcomOld']);
      expect(found.stories[2]).toBe('meeting');
      expect(found.total).toBe(3);
    }
  });

  it('a since window: only what was published inside it, the same on both', async () => {
    const r = await both('ofcom', { since: NOW - 48 * HOUR });
    expect(r.sqlite.stories).toEqual(['ofcomFines', 'meeting']);
    expect(r.postgres).toEqual(r.sqlite);
    const none = await both('ofcom', { since: NOW + HOUR });
    expect(none.postgres).toEqual({ stories: [], total: 0, capped: false });
    expect(none.sqlite).toEqual(none.postgres);
  });

  it('pages: the same pages on both, newest first among equal hits, together the whole list', async () => {
    const pages = await Promise.all([0, 2, 4].map((offset) => both('audit', { limit: 2, offset })));
    const all = ['audit-alpha', 'audit-bravo', 'audit-charlie', 'audit-delta', 'audit-echo'];
    expect(pages.flatMap((p) => p.sqlite.stories)).toEqual(all);
    for (const p of pages) {
      expect(p.postgres).toEqual(p.sqlite);
      expect(p.sqlite.total).toBe(5);
    }
  });

  it('finds nothing, and raises no error, for what holds no searchable word on either', async () => {
    for (const text of ['zzzunknownword', '"-" OR ***', 'é']) {
      const r = await both(text);
      expect(r.postgres.stories, text).toEqual([]);
      expect(r.sqlite.stories, text).toEqual([]);
    }
  });
});
