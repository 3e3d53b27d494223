/**
 * Issue 15, fuzzing with fast-check. Each target returns a result or its own clear error, never anything
 * else. Seeds are fixed, so CI runs the same cases every time; `npm run faults` runs many more of them.
 * A seed or input that once failed stays below as a regression example (REGRESSIONS), run on every pass.
 * The time bound is the test's timeout: inputs are bounded in size, so a quadratic or exponential path
 * shows up as a test that never finishes, never as a measured duration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { COMMANDS } from '../../src/commands/registry.js';
import { parseCommandText } from '../../src/commands/text-parser.js';
import { DEFAULT_CONFIG_FILE, parseConfigText } from '../../src/config/load.js';
import { ConfigError, UserError } from '../../src/errors.js';
import { FetchError } from '../../src/feeds/fetch-errors.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { ftsQuery, searchStories } from '../../src/store/search.js';
import { indexDocument } from '../../src/topics/field-index.js';
import { compileQuery, QuerySyntaxError } from '../../src/topics/query.js';
import { tempDb } from '../helpers/db.js';
import { recordCounts, scaled } from './counts.js';

const RUNS = scaled(300, 5_000);
const SEED = 15_2026;
const NOW = Date.UTC(2026, 2, 3, 12);
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/feeds');

/** Inputs a person or a feed is likely to throw at a parser: operators, quotes, brackets, odd Unicode. */
const TOKENS = [
  'AND',
  'OR',
  'NOT',
  'NEAR',
  '(',
  ')',
  '"',
  '*',
  '-',
  ':',
  '^',
  '{',
  '}',
  '~',
  '/3',
  'title:',
  'since:7d',
  '\u0000',
  '\u202e',
  '🙂',
  'é',
  "'",
  '\\',
  '\n',
];
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })), { maxLength: 40 })
    .map((w) => w.join(' ')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((w) => w.join('')),
);

/** Inputs that once broke a target, kept so they run on every pass. */
const REGRESSIONS = {
  query: ['((((', '"', 'NOT', 'a NEAR/ b', '-', '(NOT a)', `${'('.repeat(500)}a${')'.repeat(500)}`],
  fts: ['"', '*', 'OR', 'a OR', 'NEAR(a b)', 'title:x', '^a', '\u0000', '"unterminated', '-a', 'AND AND'],
  // an alias to an undefined anchor threw a bare ReferenceError from yaml's toJS (long run, seed 152026)
  config: ['url: *a\n', 'feeds:\n  - name: x\n    url: *nowhere\n', 'a: &x 1\nb: *y\n'],
  command: ['', '"', 'search "', 'subscribe topics:', 'feed add', '\u0000', 'latest limit:-1'],
};

let tally = 0;
const count = (n = 1) => {
  tally += n;
};
afterAll(() => recordCounts('fuzzing', { inputs: tally, crashes: 0 }));

describe('fuzz: the topic query parser and matcher', () => {
  const doc = indexDocument({
    title: 'Senate passes KOSA after Section 230 debate',
    content: 'Trafficking law and platforms.',
  });
  const check = (q: string) => {
    count();
    try {
      const compiled = compileQuery(q);
      const m = compiled.matchPrepared(doc);
      if (m) expect(m.score).toBeGreaterThan(0);
    } catch (err) {
      expect(err).toBeInstanceOf(QuerySyntaxError);
    }
  };
  it('parses or says where the syntax is wrong, never throws anything else', () => {
    for (const q of REGRESSIONS.query) check(q);
    fc.assert(fc.property(text, check), { seed: SEED, numRuns: RUNS });
  });
});

describe('fuzz: the FTS query builder behind /digest search', () => {
  let t: ReturnType<typeof tempDb>;
  beforeAll(() => {
    t = tempDb();
    const feed = t.db
      .prepare("INSERT INTO feeds (url, interval_ms, created_at) VALUES ('https://f.example/', 1, 0)")
      .run();
    const story = t.db
      .prepare("INSERT INTO stories (title, first_seen_at, updated_at) VALUES ('s', 0, 0)")
      .run().lastInsertRowid;
    t.db
      .prepare(
        "INSERT INTO items (feed_id, guid, url, title, published_at, content, announced, first_seen_at, story_id) VALUES (?, 'g', 'https://f.example/1', 'Section 230 and trafficking OR platforms', 0, 'NEAR the caret ^ body', 1, 0, ?)",
      )
      .run(feed.lastInsertRowid, story);
  });
  afterAll(() => t.close());

  const check = async (q: string) => {
    count();
    const built = ftsQuery(q);
    // no input raises an SQL error: the builder's output always runs
    const page = await searchStories(t.sql, { match: built.match, since: null, anchor: 1e9, limit: 5, offset: 0 });
    expect(page.total).toBeGreaterThanOrEqual(0);
  };
  it('builds a MATCH expression that SQLite always accepts', async () => {
    // the table really is searched: a plain word finds the stored item
    expect(
      (
        await searchStories(t.sql, {
          match: ftsQuery('trafficking').match,
          since: null,
          anchor: 1e9,
          limit: 5,
          offset: 0,
        })
      ).total,
    ).toBe(1);
    for (const q of REGRESSIONS.fts) await check(q);
    await fc.assert(fc.asyncProperty(text, check), { seed: SEED, numRuns: RUNS });
  });
});

describe('fuzz: the Slack command-text parser', () => {
  const check = (s: string) => {
    count();
    const parsed = parseCommandText(s, COMMANDS);
    if (parsed.ok) expect(COMMANDS).toContain(parsed.command);
    else expect(parsed.reply).toBeTruthy();
  };
  it('returns a command or an error reply for any text', () => {
    for (const s of REGRESSIONS.command) check(s);
    const names = COMMANDS.map((c) => c.name);
    const commandText = fc.tuple(fc.constantFrom(...names), text).map(([n, rest]) => `${n} ${rest}`);
    fc.assert(fc.property(fc.oneof(text, commandText), check), { seed: SEED, numRuns: RUNS });
  });
});

describe('fuzz: the config loader on random YAML', () => {
  const base = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
  const check = (yaml: string) => {
    count();
    try {
      parseConfigText(yaml, 'fuzz.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      if (err instanceof ConfigError) expect(err.message).toContain('fuzz.yaml');
    }
  };
  it('loads or names what is wrong, for random documents and mutations of the default config', () => {
    for (const y of REGRESSIONS.config) check(y);
    const anyDoc = fc.anything({ maxDepth: 3 }).map((v) => {
      try {
        return stringify(v) ?? '';
      } catch {
        return String(v);
      }
    });
    const lines = base.split('\n');
    const mutated = fc
      .tuple(
        fc.nat(lines.length - 1),
        fc.nat(lines.length - 1),
        fc.oneof(text, fc.constantFrom('', '  ', '- ', ': ', '&a', '*a', '!!binary', '{', '[')),
      )
      .map(([a, b, junk]) => {
        const copy = [...lines];
        copy[a] = `${copy[a]!.slice(0, b % 40)}${junk}`;
        copy.splice(b, 1);
        return copy.join('\n');
      });
    fc.assert(fc.property(fc.oneof(anyDoc, mutated, text), check), { seed: SEED, numRuns: scaled(100, 1_500) });
  });
});

describe('fuzz: the feed parser on mutated fixture feeds', () => {
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => /\.(xml|json)$/.test(f))
    .map((f) => readFileSync(path.join(FIXTURES, f)));
  const decode = (b: Buffer, enc: string) => iconv.decode(b, enc);
  type Mutation = { fixture: number; kind: string; at: number; bytes: Uint8Array; encoding: string };
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    fixture: fc.nat(fixtures.length - 1),
    kind: fc.constantFrom('flip', 'cut', 'encoding', 'splice'),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    encoding: fc.constantFrom('latin1', 'utf16le', 'utf16be', 'windows-1252', 'utf8'),
  });
  const mutate = (m: Mutation): string => {
    const src = Buffer.from(fixtures[m.fixture]!);
    const at = m.at % Math.max(1, src.length);
    if (m.kind === 'flip') {
      for (const [i, b] of m.bytes.entries()) if (at + i < src.length) src[at + i] = src[at + i]! ^ (b || 1);
      return src.toString('utf8');
    }
    if (m.kind === 'cut') return src.subarray(0, at).toString('utf8');
    if (m.kind === 'splice')
      return `${src.subarray(0, at).toString('utf8')}<${Buffer.from(m.bytes).toString('latin1')}>${src.subarray(at).toString('utf8')}`;
    // encodings swapped: the bytes read as another charset, or re-encoded and read as UTF-8
    return at % 2 ? decode(src, m.encoding) : iconv.encode(src.toString('utf8'), m.encoding).toString('utf8');
  };
  it('returns items or a classified FetchError for every mutation', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        count();
        try {
          const feed = parseFeed(mutate(m), { url: 'https://fuzz.example/feed', now: NOW });
          expect(Array.isArray(feed.items)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(FetchError);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
