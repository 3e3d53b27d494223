import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TopicMatch } from '../../src/topics/types.js';
import { ROOT, runCli } from '../helpers/cli.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/articles');
const tmp = mkdtempSync(path.join(tmpdir(), 'watchdesk-classify-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `watchdesk <args>` as a real child process, feeding stdin (empty unless given). */
const watchdesk = (args: string[], stdin?: string) => runCli(args, {}, stdin ?? '');

describe('watchdesk classify', () => {
  it('prints topics, scores and explanations for a plain-text article', async () => {
    const r = await watchdesk(['classify', path.join(FIXTURES, 'backpage-style-sentencing.txt')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^trafficking-law\s+0\.\d{3}\s+Trafficking law & prosecutions$/m);
    expect(r.stdout).toMatch(/^platform-liability\s+0\.\d{3}\s+Platform liability/m);
    expect(r.stdout).toMatch(/why: .*"Communications Decency Act"/);
  });

  it('prints a JSON array of TopicMatch with --json for a JSON item', async () => {
    const r = await watchdesk(['classify', '--json', path.join(FIXTURES, 'coppa-ftc-settlement.json')]);
    expect(r.code).toBe(0);
    const matches = JSON.parse(r.stdout) as TopicMatch[];
    expect(matches.map((m) => m.topic).sort()).toEqual(['child-safety', 'enforcement-courts']);
    const child = matches.find((m) => m.topic === 'child-safety')!;
    expect(child.score).toBeGreaterThan(0);
    expect(child.hits).toContainEqual({ term: 'COPPA', field: 'content', count: 1 });
    expect(child.explanation).toContain('COPPA');
    expect(matches[0]!.score).toBeGreaterThanOrEqual(matches[1]!.score);
  });

  it('reads stdin with -', async () => {
    const r = await watchdesk(
      ['classify', '--json', '-'],
      JSON.stringify({ title: 'Commission opens Digital Services Act probe', content: 'The EU acts.' }),
    );
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as TopicMatch[]).map((m) => m.topic)).toContain('eu-dsa');
  });

  it('says so when nothing matches', async () => {
    const text = await watchdesk(['classify', '-'], 'Cup final\nA late header won it.\n');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/No topic matched \(checked \d+ topics\)/);
    const json = await watchdesk(['classify', '--json', path.join(FIXTURES, 'cooking-braised-beans.txt')]);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('uses the topics of the config given with --config', async () => {
    const file = path.join(tmp, 'one-topic.yaml');
    writeFileSync(file, 'topics:\n  wildlife:\n    name: Wildlife crime\n    query: pangolin* OR ivory\n');
    const r = await watchdesk(['--config', file, 'classify', path.join(FIXTURES, 'wildlife-trafficking.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wildlife\s+0\.\d{3}\s+Wildlife crime$/m);
    expect(r.stdout).toContain('why: pangolin* ×2, ivory in text; title: pangolin*, ivory');
    expect(r.stdout).not.toContain('trafficking-law');
  });

  it('fails with the config path and position when a topic query is invalid', async () => {
    const file = path.join(tmp, 'bad-query.yaml');
    writeFileSync(file, 'topics:\n  broken:\n    name: Broken\n    query: \'"sex trafficking" AND\'\n');
    const r = await watchdesk(['-c', file, 'classify', path.join(FIXTURES, 'wildlife-trafficking.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('topics.broken.query');
    expect(r.stderr).toContain('dangling AND');
    expect(r.stderr).toContain('position 18');
  });

  it('fails clearly on a missing file and on broken JSON', async () => {
    const missing = await watchdesk(['classify', path.join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const broken = await watchdesk(['classify', '-'], '{"title": "x",');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('not valid JSON');
  });
});
