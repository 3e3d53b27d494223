/**
 * npm run faults: the long fault suite (more seeds, more kills) and the counts table of issue 15.
 * The fault files record their counts (counts.ts); the older tests that already prove a bullet are run too
 * and counted from vitest's JSON report, each passed test one input and, where it is an attack, one refusal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FaultCounts } from './counts.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Earlier tests that cover a bullet: counted here rather than rewritten. `refused` = its passed tests are attacks. */
const COVERED: { file: string; area: string; refused?: boolean; only?: RegExp }[] = [
  { file: 'tests/feeds/hostile.test.ts', area: 'hostile feeds' },
  {
    file: 'tests/feeds/fetch.test.ts',
    area: 'hostile feeds',
    only: /loop|bomb|too large|cap|slow|hang|timeout|reset|corrupt/i,
  },
  { file: 'tests/feeds/address-guard.test.ts', area: 'SSRF', refused: true, only: /^refuses/ },
  { file: 'tests/commands/feed-command.test.ts', area: 'SSRF', refused: true, only: /refuses|admins only/i },
  { file: 'tests/render/escape.test.ts', area: 'injection', refused: true },
  { file: 'tests/render/untrusted-text.test.ts', area: 'injection', refused: true },
  { file: 'tests/e2e/slack-http.test.ts', area: 'authorization', refused: true, only: /401|refused for a member/ },
  {
    file: 'tests/e2e/discord-bot.test.ts',
    area: 'authorization',
    refused: true,
    only: /pings no one|refuses subscribe/,
  },
  { file: 'tests/commands/subscription-commands.test.ts', area: 'authorization', refused: true, only: /admins only/ },
  { file: 'tests/app/operate.test.ts', area: 'secrets', refused: true, only: /no secret value/ },
  { file: 'tests/feeds/redact-url.test.ts', area: 'secrets', refused: true, only: /token/ },
  { file: 'tests/delivery/crash-resume.test.ts', area: 'kill -9' },
  { file: 'tests/store/open-errors.sqlite.test.ts', area: 'database at start' },
  { file: 'tests/schedule/schedule.test.ts', area: 'clock and DST', only: /DST|clocks go/ },
];

interface JsonReport {
  testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
}

const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-faults-'));
const countsFile = path.join(dir, 'counts.jsonl');
const reportFile = path.join(dir, 'report.json');
writeFileSync(countsFile, '');
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    'tests/faults',
    ...COVERED.map((c) => c.file),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, WATCHDESK_FAULTS_LONG: '1', WATCHDESK_FAULTS_COUNTS: countsFile },
  },
);

const rows = new Map<string, Required<FaultCounts>>();
const add = (area: string, c: FaultCounts) => {
  const row = rows.get(area) ?? { inputs: 0, crashes: 0, lost: 0, duplicates: 0, refused: 0 };
  for (const k of Object.keys(row) as (keyof FaultCounts)[]) row[k] += c[k] ?? 0;
  rows.set(area, row);
};
for (const line of readFileSync(countsFile, 'utf8').split('\n').filter(Boolean)) {
  const { area, ...c } = JSON.parse(line) as FaultCounts & { area: string };
  add(area, c);
}
let failed = 0;
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
  for (const file of report.testResults) {
    const covered = COVERED.find((c) => file.name.endsWith(c.file));
    failed += file.assertionResults.filter((a) => a.status === 'failed').length;
    if (!covered) continue;
    const passed = file.assertionResults.filter(
      (a) => a.status === 'passed' && (!covered.only || covered.only.test(a.title)),
    );
    add(covered.area, { inputs: passed.length, refused: covered.refused ? passed.length : 0 });
  }
} catch {
  console.error('npm run faults: vitest wrote no JSON report, so only the fault files are counted');
}
// A failed test is an unexpected outcome: it counts as a crash until someone reads why.
if (failed > 0) add('failed tests', { crashes: failed });

const head = ['area', 'inputs tried', 'crashes', 'items lost', 'duplicate posts', 'attacks refused'];
const total: Required<FaultCounts> = { inputs: 0, crashes: 0, lost: 0, duplicates: 0, refused: 0 };
const body = [...rows.entries()].map(([area, r]) => {
  for (const k of Object.keys(total) as (keyof FaultCounts)[]) total[k] += r[k];
  return [area, r.inputs, r.crashes, r.lost, r.duplicates, r.refused].map(String);
});
body.push(['total', total.inputs, total.crashes, total.lost, total.duplicates, total.refused].map(String));
const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
console.log(
  `\n${line(head)}\n|${widths.map((w, i) => `${i === 0 ? ':' : '-'}${'-'.repeat(w)}${i === 0 ? '-' : ':'}`).join('|')}|`,
);
for (const r of body) console.log(line(r));
rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
