import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// watchdesk config check, as a person runs it: the real CLI in a child process.
describe('watchdesk config check', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-config-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('summarizes a valid config: feeds, topics, database, chat platforms', async () => {
    const file = write(
      'ok.yaml',
      [
        'store: { path: ./x.db }',
        'feeds:',
        '  - url: https://a.example/feed.xml',
        '  - url: https://b.example/feed.xml',
        '    interval: 30m',
        'topics:',
        '  eu-dsa: { name: DSA, query: \'"Digital Services Act"\' }',
      ].join('\n'),
    );
    const run = await runCli(['--config', file, 'config', 'check'], { SLACK_BOT_TOKEN: 'xoxb-test-0000' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`config ok: ${file}`);
    expect(run.stdout).toMatch(/feeds:\s+2\n/);
    expect(run.stdout).toMatch(/topics:\s+1 \(eu-dsa\)/);
    expect(run.stdout).toMatch(/chat:\s+console, slack\n/);
    // a secret is used, never printed
    expect(run.stdout + run.stderr).not.toContain('xoxb-test-0000');
  });

  it('warns about an empty config: no feeds, no topics, no subscriptions (issue 7 item 13)', async () => {
    for (const [name, text] of [
      ['empty.yaml', ''],
      ['braces.yaml', '{}\n'],
    ] as const) {
      const file = write(name, text);
      const run = await runCli(['--config', file, 'config', 'check']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`config ok: ${file}`);
      expect(run.stderr.split('\n').filter(Boolean)).toEqual([
        `warning: no feeds: nothing is polled. Add feeds: to ${file}, or at run time: watchdesk feeds add <url> (or feeds import <file.opml>)`,
        `warning: no topics: no item gets a topic, so every digest stays empty. Add topics: to ${file} (config/default.yaml has examples)`,
        `warning: no subscriptions: no digest goes out. Add subscriptions: to ${file}, or subscribe a channel: watchdesk subscriptions add, or /digest subscribe in chat`,
      ]);
    }
    // the bundled beat has all three: no warning
    const beat = await runCli(['config', 'check']);
    expect(beat.code).toBe(0);
    expect(beat.stderr).toBe('');
  }, 60_000);

  it('fails with exit code 2 naming the file, the path inside it, what was expected and what was found', async () => {
    const file = write(
      'bad.yaml',
      ['feeds:', '  - url: https://a.example/feed.xml', '    interval: 10s', 'fetch: { maxBodyBytes: 10 }'].join('\n'),
    );
    const run = await runCli(['config', 'check'], { WATCHDESK_CONFIG: file });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Invalid config (2 problems):');
    expect(run.stderr).toContain(`${file}: feeds.0.interval: expected a duration of at least 60s, found "10s"`);
    expect(run.stderr).toContain(`${file}: fetch.maxBodyBytes: expected a number of at least 1024, found number 10`);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace for a person's mistake
  });

  it('gives the position of a broken topic query', async () => {
    const file = write('query.yaml', "topics:\n  child-safety:\n    name: Kids\n    query: 'KOSA AND (COPPA OR'\n");
    const run = await runCli(['--config', file, 'config', 'check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: topics\\.child-safety\\.query: expected a valid topic query, found .*position \\d+`,
      ),
    );
  });

  it('names broken YAML and a missing file', async () => {
    const broken = write('broken.yaml', 'feeds: [\n');
    const run = await runCli(['--config', broken, 'config', 'check']);
    expect(run.code).toBe(2);
    // where it broke, then the lines up to it with a caret (issue 7 item 13)
    expect(run.stderr).toMatch(
      /broken\.yaml: line 2, column 1: expected valid YAML, found Flow sequence .*\n {4} {2}1 \| feeds: \[\n/,
    );
    const missing = await runCli(['--config', path.join(dir, 'nope.yaml'), 'config', 'check']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: \(root\): expected a readable YAML file, found ENOENT/);
  });
});
