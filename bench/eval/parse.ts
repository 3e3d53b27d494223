/**
 * npm run eval -- parse [--data ../shared/data] [--verbose]
 *
 * 1. Conformance: parses every input of the five suites in feeds-conformance with parseFeed and
 *    compares title, link, id and date with each suite's expected output. Agreement per field
 *    = matching items / items whose expected output states that field.
 * 2. Robustness: parses the 200 real feeds in feeds-real/fastfeedparser-benchmark and counts
 *    successes and failures by kind (every failure must have one).
 * Writes bench/results/eval-parse.json and .md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProgress } from '../../src/cli/progress.js';
import { errorMessage } from '../../src/errors.js';
import { decodeBody } from '../../src/feeds/charset.js';
import { FetchError } from '../../src/feeds/fetch-errors.js';
import { htmlToLine, htmlToText } from '../../src/feeds/html-text.js';
import { canonicalUrl, parseDateMs } from '../../src/feeds/normalize.js';
import { parseFeed } from '../../src/feeds/parse.js';
import type { NormalizedItem, ParsedFeed } from '../../src/feeds/types.js';
import { dataDir, writeResults } from '../data.js';
import { type Case, type ExpectedItem, loadSuites } from './parse-suites.js';
import { isWellFormedXml } from './well-formed.js';

const FIELDS = ['title', 'link', 'id', 'date', 'categories', 'content'] as const;
type Field = (typeof FIELDS)[number];
type Tally = Record<Field, { agree: number; comparable: number }>;

export async function run(args: string[]): Promise<void> {
  const data = dataDir(args);
  const verbose = args.includes('--verbose');
  const now = Date.now();
  const suites = loadSuites(path.join(data, 'feeds-conformance'));
  const rows: SuiteRow[] = [];
  const total = emptyTally();
  const wellFormed: WellFormed = { inputs: 0, parsed: 0, refused: [] };
  const bar = createProgress({ label: 'parse', total: suites.length });
  for (const suite of suites) {
    bar.tick(suite.name);
    const tally = emptyTally();
    const row: SuiteRow = {
      suite: suite.name,
      files: suite.cases.length,
      items: 0,
      failures: [],
      tally,
      notes: suite.notes,
    };
    for (const c of suite.cases) {
      const outcome = parseCase(c, now);
      if (c.items !== null && !/\.json$/i.test(c.input) && isWellFormedXml(decoded(c))) {
        wellFormed.inputs++;
        if (!outcome.error) wellFormed.parsed++;
        else wellFormed.refused.push(`${suite.name} ${c.name}: ${outcome.error}`);
      }
      if (c.items === null) {
        if (!outcome.error)
          row.failures.push(`${c.name}: expected a rejection, got ${outcome.feed?.items.length} items`);
        continue;
      }
      if (outcome.error) row.failures.push(`${c.name}: ${outcome.error}`);
      row.items += c.items.length;
      compareCase(c, outcome.feed, tally, verbose ? (msg) => process.stdout.write(`  [${suite.name}] ${msg}\n`) : null);
    }
    for (const f of FIELDS) {
      total[f].agree += tally[f].agree;
      total[f].comparable += tally[f].comparable;
    }
    rows.push(row);
  }
  bar.done();
  const real = parseRealFeeds(path.join(data, 'feeds-real/fastfeedparser-benchmark'), now);
  const md = report(rows, total, real, wellFormed);
  process.stdout.write(md);
  writeResults(
    'eval-parse',
    { generatedAt: new Date(now).toISOString(), suites: rows, overall: total, wellFormed, real },
    md.trimEnd(),
  );
}

interface SuiteRow {
  suite: string;
  files: number;
  items: number;
  failures: string[];
  tally: Tally;
  notes: string[];
}

interface WellFormed {
  inputs: number;
  parsed: number;
  refused: string[];
}

function decoded(c: Case): string {
  return decodeBody(readFileSync(c.input), c.contentType ?? null).text;
}

function parseCase(c: Case, now: number): { feed: ParsedFeed | null; error?: string } {
  const outcome = parseFile(c.input, c.url ?? pathToFileURL(c.input).href, now, c.contentType ?? null);
  return 'feed' in outcome ? outcome : { feed: null, error: `${outcome.kind}: ${outcome.message}` };
}

/**
 * A feed file read as the fetcher reads a body (charset from the bytes, and the Content-Type when
 * the case gives one), parsed; a failure with its kind.
 */
function parseFile(
  file: string,
  url: string,
  now: number,
  contentType: string | null = null,
): { feed: ParsedFeed } | { kind: string; message: string } {
  try {
    return { feed: parseFeed(decodeBody(readFileSync(file), contentType).text, { url, now }) };
  } catch (err) {
    return { kind: err instanceof FetchError ? err.kind : 'unclassified', message: errorMessage(err) };
  }
}

function compareCase(c: Case, feed: ParsedFeed | null, tally: Tally, log: ((msg: string) => void) | null): void {
  const ours = feed?.items ?? [];
  const base = c.url ?? feed?.link ?? undefined;
  const expected = c.items ?? [];
  expected.forEach((exp, i) => {
    const mine = ours.length === expected.length ? ours[i] : align(exp, ours, base);
    for (const f of FIELDS) {
      if (exp[f] === undefined) continue;
      tally[f].comparable++;
      if (mine && agrees(f, exp, mine, base)) tally[f].agree++;
      else
        log?.(
          `${c.name} #${i} ${f}: expected ${JSON.stringify(exp[f])} got ${JSON.stringify(mine ? show(f, mine) : null)}`,
        );
    }
  });
}

/** When item counts differ, pair by id, then link, then title; an unpaired expected item disagrees everywhere. */
function align(exp: ExpectedItem, ours: NormalizedItem[], base: string | undefined): NormalizedItem | undefined {
  return (
    ours.find((o) => exp.id !== undefined && agrees('id', exp, o, base)) ??
    ours.find((o) => exp.link !== undefined && agrees('link', exp, o, base)) ??
    ours.find((o) => exp.title !== undefined && agrees('title', exp, o, base)) ??
    ours.find((o) => exp.content !== undefined && agrees('content', exp, o, base))
  );
}

function agrees(field: Field, exp: ExpectedItem, mine: NormalizedItem, base: string | undefined): boolean {
  if (field === 'categories') {
    const want = new Set((exp.categories ?? []).map(collapse));
    return want.size === new Set(mine.categories).size && mine.categories.every((c) => want.has(collapse(c)));
  }
  const want = exp[field]!;
  switch (field) {
    case 'content':
      return contentAgrees(want, mine.content);
    case 'title': {
      // Suites differ in whether they decode entities and strip tags in titles: accept either reading.
      const a = collapse(want);
      if (a === mine.title || collapse(htmlToLine(want)) === mine.title) return true;
      // rss-parser's own outputs were made by reading Latin-1 files as UTF-8 (U+FFFD where an
      // accented letter was): let each U+FFFD stand for the one character we decoded there.
      return a.includes('\uFFFD') && fffdPattern(a).test(mine.title);
    }
    case 'link':
      return (canonicalUrl(want, base) ?? want.trim()) === mine.url;
    case 'id': {
      if (want.trim() === mine.id) return true;
      const a = canonicalUrl(want, base);
      return a !== null && a === canonicalUrl(mine.id, base);
    }
    case 'date': {
      const ms = Number.isNaN(Date.parse(want)) ? parseDateMs(want) : Date.parse(want);
      if (ms === null || mine.publishedEstimated) return false;
      return Math.abs(Date.parse(mine.published) - ms) < 1000;
    }
  }
}

/**
 * Suites keep the markup and we keep plain text, so either reading of theirs may match ours. A
 * suite that states only a summary cut with "…" agrees when our fuller body begins with it; rss-
 * parser's Latin-1 outputs hold U+FFFD where we decoded a letter (as for titles).
 */
function contentAgrees(want: string, content: string): boolean {
  const ours = collapse(content);
  const readings = [collapse(htmlToText(want)), collapse(want)];
  if (readings.includes(ours)) return true;
  for (const r of readings) {
    const cut = /(?:\.\.\.|…|\[…\])$/.test(r) ? r.replace(/\s*(?:\.\.\.|…|\[…\])$/, '') : null;
    if (cut && cut.length >= 40 && ours.startsWith(cut)) return true;
    if (r.includes('\uFFFD') && fffdPattern(r).test(ours)) return true;
  }
  return false;
}

function show(field: Field, mine: NormalizedItem): string | string[] | null {
  if (field === 'link') return mine.url;
  if (field === 'content') return mine.content.slice(0, 200);
  if (field === 'date') return mine.publishedEstimated ? `(estimated) ${mine.published}` : mine.published;
  return mine[field];
}

interface RealResult {
  files: number;
  parsed: number;
  items: number;
  failures: Record<string, number>;
  failed: { file: string; url: string; kind: string; message: string }[];
  ms: number;
}

function parseRealFeeds(dir: string, now: number): RealResult {
  const rows = readFileSync(path.join(dir, 'index.csv'), 'utf8').trim().split('\n').slice(1);
  const result: RealResult = { files: 0, parsed: 0, items: 0, failures: {}, failed: [], ms: 0 };
  const started = performance.now();
  for (const row of rows) {
    const [file, url] = row.split(',');
    if (!file || !url) continue;
    result.files++;
    const outcome = parseFile(path.join(dir, file), url, now);
    if ('feed' in outcome) {
      result.parsed++;
      result.items += outcome.feed.items.length;
    } else {
      result.failures[outcome.kind] = (result.failures[outcome.kind] ?? 0) + 1;
      result.failed.push({ file, url, ...outcome });
    }
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

function report(rows: SuiteRow[], total: Tally, real: RealResult, wellFormed: WellFormed): string {
  const pct = (t: { agree: number; comparable: number }) =>
    t.comparable === 0 ? 'n/a' : `${((100 * t.agree) / t.comparable).toFixed(1)}% (${t.agree}/${t.comparable})`;
  const lines = [
    '# Parse conformance',
    '',
    '| suite | files | items | title | link | id | date | categories | content |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.suite} | ${r.files} | ${r.items} | ${FIELDS.map((f) => pct(r.tally[f])).join(' | ')} |`),
    `| **overall** | ${rows.reduce((s, r) => s + r.files, 0)} | ${rows.reduce((s, r) => s + r.items, 0)} | ${FIELDS.map((f) => pct(total[f])).join(' | ')} |`,
    '',
  ];
  const comparedFields = ['link', 'id', 'categories', 'content'] as const;
  const agreeing = comparedFields.reduce((n, f) => n + total[f].agree, 0);
  const comparable = comparedFields.reduce((n, f) => n + total[f].comparable, 0);
  lines.push(
    `Well-formed XML inputs parsed: ${wellFormed.parsed}/${wellFormed.inputs} (${((100 * wellFormed.parsed) / wellFormed.inputs).toFixed(1)}%).`,
    `Field agreement over link, id, categories and content: ${((100 * agreeing) / comparable).toFixed(1)}% (${agreeing}/${comparable}).`,
    ...wellFormed.refused.map((r) => `- refused a well-formed input: ${r}`),
    '',
  );
  for (const r of rows) {
    for (const note of r.notes) lines.push(`- ${r.suite}: ${note}`);
    for (const f of r.failures) lines.push(`- ${r.suite}: failed ${f}`);
  }
  lines.push(
    '',
    '# Real feeds (fastfeedparser-benchmark)',
    '',
    `${real.parsed}/${real.files} parsed, ${real.items} items, ${real.ms} ms in total.`,
    `Failures by kind: ${
      Object.entries(real.failures)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }.`,
    ...real.failed.map((f) => `- ${f.file} (${f.url}): ${f.kind}: ${f.message}`),
    '',
  );
  return `${lines.join('\n')}\n`;
}

function emptyTally(): Tally {
  return Object.fromEntries(FIELDS.map((f) => [f, { agree: 0, comparable: 0 }])) as Tally;
}

function fffdPattern(expected: string): RegExp {
  const escaped = expected.split('\uFFFD').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.')}$`, 'u');
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
