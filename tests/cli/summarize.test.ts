import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/summarize/sentences.js';
import { runCli } from '../helpers/cli.js';
import { DEFAULT_ANSWER, type FakeLlm, startFakeLlm } from '../helpers/fake-llm.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'watchdesk-summarize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Synthetic articles written for these tests.
const HEARING = [
  'Senate panel questions platforms on trafficking ads',
  '',
  'A Senate committee questioned three platform executives on Tuesday about trafficking advertisements on their sites.',
  'Senators said the platforms had removed too few trafficking advertisements after warnings from investigators.',
  'The hearing room was crowded and the session ran late into the evening.',
  'The executives told the committee that their platforms now review advertisements with more moderators.',
  'Committee members said they would draft a bill on platform duties for trafficking advertisements.',
].join('\n');
const FINE = [
  'Regulator fines video app over child safety',
  '',
  'The communications regulator fined a video app for failing to check the ages of its users.',
  'The regulator said the app let children open accounts without any age check.',
  'The app said it would appeal the fine and add new age checks next month.',
].join('\n');

const hearingFile = path.join(tmp, 'hearing.txt');
const fineFile = path.join(tmp, 'fine.txt');
writeFileSync(hearingFile, HEARING);
writeFileSync(fineFile, FINE);
const hearingBody = splitSentences(HEARING.split('\n').slice(2).join('\n'));

/** `watchdesk summarize <args>` as a real child process, feeding stdin (empty unless given). */
const watchdesk = (args: string[], stdin?: string, env: Record<string, string> = {}) =>
  runCli(['summarize', ...args], env, stdin ?? '');

describe('watchdesk summarize', () => {
  it('prints a summary of whole sentences from the file, within the default budget', async () => {
    const r = await watchdesk(['--title-line', hearingFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = r.stdout.trimEnd();
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(320);
    expect(text).not.toContain('Senate panel questions platforms');
    expect(text).not.toContain('hearing room');
    for (const s of splitSentences(text)) expect(hearingBody).toContain(s);
  });

  it('--title-line skips a lone "#" and takes the Markdown headline, without its markup, as the title', async () => {
    const file = path.join(tmp, 'markdown.md');
    writeFileSync(
      file,
      [
        '#',
        '',
        '# Ferry Operator Fined Over Unsafe Gangway',
        '',
        '**What The Regulator Found**',
        'The maritime regulator on Monday fined Harbor Line Ferries $1.5 million after a gangway collapsed under 14 passengers in May.',
        '',
        'The fine raises questions about how often harbor operators inspect their equipment.',
        'Inspectors found rust on four of the six gangway hinges, the regulator said in its decision.',
      ].join('\n'),
    );
    const r = await watchdesk(['--json', '--title-line', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: string; sentences: string[] };
    expect(out.sentences[0]).toMatch(/^The maritime regulator on Monday fined Harbor Line Ferries/);
    expect(out.summary).not.toMatch(/#|\*\*|What The Regulator Found|raises questions/);
  });

  it('keeps the news lead that restates the title, with hard sentence splits around it', async () => {
    const file = path.join(tmp, 'ruling.txt');
    writeFileSync(
      file,
      [
        'Appeals court upholds ruling that shields StreamNest from trafficking suit',
        'A federal appeals court on Tuesday upheld a ruling that shields the video site StreamNest from a trafficking suit, finding 2-1 that Section 230 applies.',
        'The 9th U.S. Circuit said the plaintiffs had not shown that StreamNest knowingly benefited from a venture. Judge Ana Ruiz wrote for the majority.',
        'In a dissent, Judge Paul T. Greer said: "This reads FOSTA out of the statute. Congress meant more." The plaintiffs said they would seek a rehearing.',
        'StreamNest, which had revenue of $1.2bn last year, said it was pleased. Lawyers for the women said victims were left with no remedy.',
      ].join('\n'),
    );
    const r = await watchdesk(['--json', '--title-line', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: string; sentences: string[] };
    expect(out.sentences[0]).toMatch(/^A federal appeals court on Tuesday upheld a ruling .* Section 230 applies\.$/);
    expect(out.summary.length).toBeLessThanOrEqual(320);
    const all = await watchdesk(['--json', '--title-line', '--sentences', '20', file]);
    const sentences = (JSON.parse(all.stdout) as { sentences: string[] }).sentences;
    expect(sentences).toContain('Judge Ana Ruiz wrote for the majority.');
    expect(sentences).toContain(
      'In a dissent, Judge Paul T. Greer said: "This reads FOSTA out of the statute. Congress meant more."',
    );
    expect(sentences).toContain('StreamNest, which had revenue of $1.2bn last year, said it was pleased.');
    expect(sentences.some((s) => s.startsWith('The 9th U.S. Circuit said'))).toBe(true);
  });

  it('prints {summary, sentences} with --json and honours --sentences', async () => {
    const r = await watchdesk(['--json', '--title-line', '--sentences', '3', hearingFile]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: string; sentences: string[] };
    expect(Object.keys(out).sort()).toEqual(['sentences', 'summary']);
    expect(out.sentences).toHaveLength(3);
    expect(out.summary).toBe(out.sentences.join(' '));
    const positions = out.sentences.map((s) => hearingBody.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('keeps to --chars without cutting sentences', async () => {
    const r = await watchdesk(['--json', '--title-line', '--chars', '120', hearingFile]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: string; sentences: string[] };
    expect(out.summary.length).toBeLessThanOrEqual(120);
    expect(out.sentences.length).toBeGreaterThan(0);
    for (const s of out.sentences) expect(hearingBody).toContain(s);
  });

  it('prints one JSON line per file with several files', async () => {
    const r = await watchdesk(['--json', '--title-line', hearingFile, fineFile]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const rows = lines.map((l) => JSON.parse(l) as { file: string; summary: string; sentences: string[] });
    expect(rows.map((row) => row.file)).toEqual([hearingFile, fineFile]);
    expect(rows[1]!.summary).toMatch(/age check/);
    expect(rows[1]!.sentences.length).toBeGreaterThan(0);
  });

  it('reads stdin when given - or no file, using --title', async () => {
    const body = HEARING.split('\n').slice(2).join('\n');
    const dash = await watchdesk(['--title', 'Trafficking ads hearing', '-'], body);
    const none = await watchdesk(['--title', 'Trafficking ads hearing'], body);
    expect(dash.code).toBe(0);
    expect(dash.stdout.trim().length).toBeGreaterThan(0);
    expect(none.stdout).toBe(dash.stdout);
  });

  it('summarizes from the title when the text is too short', async () => {
    const r = await watchdesk(['--json', '--title-line', '-'], 'Court blocks state age-check law\n\nDeveloping.\n');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      summary: 'Court blocks state age-check law',
      sentences: ['Court blocks state age-check law'],
    });
  });

  it('reads a Latin-1 file without replacement characters', async () => {
    const file = path.join(tmp, 'latin1.txt');
    const text =
      'Le régulateur a infligé une amende à la plateforme pour des annonces illégales. La société fera appel de la décision.';
    writeFileSync(file, Buffer.from(text, 'latin1'));
    const r = await watchdesk(['--sentences', '2', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('régulateur');
    expect(r.stdout).not.toContain('\uFFFD');
  });

  it.each([
    [['--sentences', '0', hearingFile], /--sentences must be a whole number of at least 1/],
    [['--chars', 'many', hearingFile], /--chars must be a whole number/],
    [['--title', 'T', '--title-line', hearingFile], /--title and --title-line cannot be used together/],
    [['--sentences', '2', '--chars', '200', hearingFile], /--sentences and --chars cannot be used together/],
  ])('rejects bad arguments %j', async (args, message) => {
    const r = await watchdesk(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('reports an unreadable file and an empty input with a non-zero exit, still summarizing the others', async () => {
    const empty = path.join(tmp, 'empty.txt');
    writeFileSync(empty, '  \n');
    const r = await watchdesk(['--json', path.join(tmp, 'missing.txt'), empty, fineFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*missing\.txt/);
    expect(r.stderr).toMatch(/empty\.txt is empty/);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(1);
    expect((JSON.parse(rows[0]!) as { file: string }).file).toBe(fineFile);
  });

  it('refuses a binary file with a clear error and a non-zero exit, instead of printing its bytes', async () => {
    // The opening of a gzip stream followed by arbitrary bytes: what a compressed or image file holds.
    const binary = path.join(tmp, 'article.gz');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    writeFileSync(binary, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), bytes]));
    const r = await watchdesk([binary]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${binary} is a binary file, not text; nothing to summarize.`);
    expect(r.stderr).toContain('Pass the article as plain text');
  }, 60_000);

  it('accepts --llm and explains that no LLM is configured', async () => {
    const r = await watchdesk(['--llm', '--title-line', hearingFile]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no LLM is configured \(llm\.enabled is false/);
    const plain = await watchdesk(['--title-line', hearingFile]);
    expect(r.stdout).toBe(plain.stdout);
  });
});

describe('watchdesk summarize --llm with an LLM configured', () => {
  let fake: FakeLlm;
  let configFile: string;
  beforeAll(async () => {
    fake = await startFakeLlm();
    configFile = path.join(tmp, 'llm.yaml');
    writeFileSync(configFile, `llm:\n  enabled: true\n  baseUrl: ${fake.baseUrl}\n  model: tiny\n  timeout: 5s\n`);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('prints the LLM summary', async () => {
    fake.script({ kind: 'ok' });
    const r = await watchdesk(['--llm', '--json', '--title-line', hearingFile], undefined, {
      WATCHDESK_CONFIG: configFile,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ summary: DEFAULT_ANSWER, sentences: [DEFAULT_ANSWER] });
    expect(fake.requests.at(-1)?.body?.model).toBe('tiny');
  });

  it('falls back to the extractive summary and says why when the LLM fails', async () => {
    fake.script({ kind: 'status', status: 500 });
    const r = await watchdesk(['--llm', '--title-line', hearingFile], undefined, { WATCHDESK_CONFIG: configFile });
    const plain = await watchdesk(['--title-line', hearingFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toMatch(/^note: .*hearing\.txt: llm: .*500/m);
  });
});
