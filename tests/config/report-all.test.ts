import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { checkSubscription } from '../../src/config/subscription.js';
import { ConfigError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

const FILE = '/etc/watchdesk/team.yaml';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

// Issue 7 item 13: config mistakes that were accepted, or reported in rounds, or unreadable.
describe('config problems, all at once and readable', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-config-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports schema problems and the checks after the schema in one round, each with file and path', () => {
    const text = [
      'fetch: { maxBodyBytes: 10 }', // schema
      'feeds:',
      '  - url: https://a.example/f',
      '  - url: https://a.example/f', // duplicate: a check after the schema
      '    interval: 5s', // schema
      'topics:',
      "  dsa: { name: DSA, query: 'DSA AND (' }", // query: after the schema
      '  kosa: { name: KOSA }', // schema: no query
      'subscriptions:',
      '  - { platform: console, channel: a, maxItems: 0, schedule: "daily 25:00", topics: [nope] }',
      '  - { platform: slack, channel: C1, timezone: Mars/Base }',
    ].join('\n');
    const err = errorOf(() => parseConfigText(text, FILE));
    const paths = err.issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        'fetch.maxBodyBytes',
        'feeds.1.interval',
        'feeds.1.url',
        'topics.dsa.query',
        'topics.kosa.query',
        'subscriptions.0.maxItems',
        'subscriptions.0.schedule',
        'subscriptions.0.topics.0',
        'subscriptions.1.timezone',
        'subscriptions.1.workspace',
      ].sort(),
    );
    expect(err.message).toContain('Invalid config (10 problems):');
    for (const p of paths) expect(err.message).toContain(`${FILE}: ${p}: expected `);
  });

  it('a subscription from a command gets its schema and schedule problems together too', () => {
    const checked = checkSubscription({ platform: 'console', channel: 'a', maxItems: 0, schedule: 'sometimes' }, []);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues.map((i) => i.path).sort()).toEqual(['maxItems', 'schedule']);
  });

  it('broken YAML shows where: line, column, the lines up to it and a caret', () => {
    const text = ['feeds:', '  - url: https://a.example/f', '    name: Desk: daily', 'topics: {}'].join('\n');
    const err = errorOf(() => parseConfigText(text, FILE));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]?.path).toBe('line 3, column 11');
    expect(err.message).toContain(
      `${FILE}: line 3, column 11: expected valid YAML, found Nested mappings are not allowed in compact mappings\n`,
    );
    expect(err.message).toContain(
      [
        '      1 | feeds:',
        '      2 |   - url: https://a.example/f',
        '    > 3 |     name: Desk: daily',
        '        |           ^',
      ].join('\n'),
    );
  });

  it('a binary file is refused without printing its bytes', async () => {
    const gz = path.join(dir, 'team.yaml.gz');
    const bytes = Buffer.alloc(600);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) % 256;
    writeFileSync(gz, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), bytes]));
    const err = errorOf(() => loadConfig({ file: gz, env: { secrets: {} } }));
    expect(err.message).toBe(
      `Invalid config (1 problem):\n  ${gz}: (root): expected a YAML text file (UTF-8), found binary data (604 bytes, starting 1f 8b 08 00 0b 30 55 7a); is this the right file?`,
    );
    const run = await runCli(['--config', gz, 'config', 'check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a YAML text file (UTF-8), found binary data (604 bytes');
    expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFFFD]/);
    // a text file with a stray accent is still text
    const latin = path.join(dir, 'accents.yaml');
    writeFileSync(latin, 'bot: { name: "Bürodesk" }\n');
    expect(loadConfig({ file: latin, env: { secrets: {} } }).bot.name).toBe('Bürodesk');
  }, 60_000);
});
