import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.js';
import { configJsonSchema } from '../../src/config/json-schema.js';
import {
  DEFAULT_CONFIG_FILE,
  loadConfig,
  PROJECT_ROOT,
  parseConfigText,
  resolveConfigFile,
} from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

function issuesOf(yaml: string): string[] {
  try {
    parseConfigText(yaml, '/etc/watchdesk/team.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.path} | ${i.expected} | ${i.found}`);
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('loads the default beat: 15+ feeds, 6+ topics, every feed with an interval of at least a minute', () => {
    const c = loadConfig({ env: { secrets: {} } });
    expect(c.file).toBe(DEFAULT_CONFIG_FILE);
    expect(c.feeds.length).toBeGreaterThanOrEqual(15);
    expect(Object.keys(c.topics).length).toBeGreaterThanOrEqual(6); // which ones: tests/topics/default-topics.test.ts
    for (const f of c.feeds) expect(f.interval ?? c.polling.defaultInterval).toBeGreaterThanOrEqual(60_000);
    expect(c.polling.defaultInterval).toBe(15 * 60_000);
    expect(c.fetch.maxBodyBytes).toBe(5 * 1024 * 1024);
  });

  it('reports file, path, expected and found for schema errors, in plain words', () => {
    const issues = issuesOf(
      [
        'feeds:',
        '  - url: "not a url"',
        '    interval: 20s',
        '  - url: ftp://files.example/feed.xml',
        '    interval: 5 minutes',
        '  - url: https://ok.example/feed.xml',
        '    interval: true',
        'polling:',
        '  maxFailures: zero',
        'fetch:',
        '  maxBodyBytes: 10',
        '  maxRedirects: 2.5',
        'store: { path: "" }',
        'topics:',
        '  Child_Safety: { name: Kids, query: KOSA }',
        'subscriptions:',
        '  - { platform: console, channel: c, topics: [] }',
        'bogus: 1',
      ].join('\n'),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'feeds.0.url | an http(s) URL such as https://example.org/feed.xml | "not a url"',
        'feeds.0.interval | a duration of at least 60s | "20s"',
        'feeds.1.url | an http(s) URL such as https://example.org/feed.xml | "ftp://files.example/feed.xml"',
        'feeds.1.interval | a duration such as "30s", "15m", "2h" or "1d" | "5 minutes"',
        'feeds.2.interval | a duration such as "30s", "15m", "2h" or "1d", or a number of seconds | boolean true',
        'polling.maxFailures | a number | "zero"',
        'fetch.maxBodyBytes | a number of at least 1024 | number 10',
        'fetch.maxRedirects | a whole number | number 2.5',
        'store.path | non-empty text | ""',
        'topics.Child_Safety | a lowercase id such as child-safety | "Child_Safety"',
        'subscriptions.0.topics | a list with at least one entry | an empty list',
        ' | only known keys | unknown key(s) "bogus"',
      ]),
    );
    // a rejected URL is quoted without its credentials
    expect(issuesOf('feeds:\n  - url: ftp://reader:hunter22@files.example/f?token=t1\n')).toEqual([
      'feeds.0.url | an http(s) URL such as https://example.org/feed.xml | "ftp://***@files.example/f?token=***"',
    ]);
    // no zod jargon reaches the person
    expect(issues.join('\n')).not.toMatch(/Too small|Too big|must match pattern|Invalid input|record/);
    expect(() => parseConfigText('bogus: 1\n', '/etc/watchdesk/team.yaml')).toThrow(
      '/etc/watchdesk/team.yaml: (root): expected only known keys, found unknown key(s) "bogus"',
    );
  });

  it('names the file from --config, else WATCHDESK_CONFIG, else config/default.yaml', () => {
    expect(resolveConfigFile({ file: 'a.yaml', env: { configFile: '/b.yaml', secrets: {} } })).toBe(
      path.resolve('a.yaml'),
    );
    expect(resolveConfigFile({ env: { configFile: '/b.yaml', secrets: {} } })).toBe('/b.yaml');
    expect(resolveConfigFile({ env: { secrets: {} } })).toBe(DEFAULT_CONFIG_FILE);
    expect(() => loadConfig({ env: { configFile: '/nonexistent/from-env.yaml', secrets: {} } })).toThrow(
      /from-env\.yaml/,
    );
  });

  it('reports a bad topic query with its position under topics.<id>.query', () => {
    const issues = issuesOf('topics:\n  child-safety:\n    name: Kids\n    query: "(KOSA OR COPPA"\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^topics\.child-safety\.query \| a valid topic query \| .*position \d+/);
  });

  it('checks subscriptions: schedule, time zone, topics and workspace', () => {
    const issues = issuesOf(
      [
        'topics:',
        '  eu-dsa: { name: DSA, query: \'"Digital Services Act"\' }',
        'subscriptions:',
        '  - { platform: slack, channel: C1, schedule: "daily 25:00", timezone: Mars/Base, topics: [nope] }',
      ].join('\n'),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^subscriptions\.0\.schedule \| a preset .* \| "daily 25:00"$/),
        expect.stringMatching(/^subscriptions\.0\.timezone \| an IANA time zone/),
        expect.stringMatching(/^subscriptions\.0\.topics\.0 \| one of: eu-dsa, or all \| "nope"$/),
        expect.stringMatching(/^subscriptions\.0\.workspace \|/),
      ]),
    );
  });

  it('rejects duplicate feed URLs and broken YAML clearly', () => {
    expect(issuesOf('feeds:\n  - url: https://a.example/f\n  - url: https://a.example/f\n')).toEqual([
      'feeds.1.url | a URL not listed before | the same URL as feeds.0',
    ]);
    expect(issuesOf('feeds: [\n')[0]).toMatch(/^line 2, column 1 \| valid YAML \| Flow sequence/);
  });

  it('names a missing file', () => {
    expect(() => loadConfig({ file: '/nonexistent/watchdesk.yaml', env: { secrets: {} } })).toThrow(
      /\/nonexistent\/watchdesk\.yaml.*readable YAML file.*ENOENT/s,
    );
  });

  it('takes secrets and the database path from the environment only', () => {
    const env = readEnv({
      DISCORD_TOKEN: 'dtok-123',
      WATCHDESK_DB: '/tmp/x.db',
      WATCHDESK_CONFIG: '/tmp/c.yaml',
      LLM_API_KEY: ' ',
    });
    expect(env.secrets.discordToken).toBe('dtok-123');
    expect(env.secrets.llmApiKey).toBeUndefined();
    expect(env.configFile).toBe('/tmp/c.yaml');
    const c = parseConfigText('store: { path: data/other.db }\n', 'x.yaml', env);
    expect(c.dbPath).toBe('/tmp/x.db');
    // a secret in the YAML is not a setting at all
    expect(issuesOf('discordToken: abc\n')[0]).toContain('unknown key(s) "discordToken"');
  });

  it('keeps config/schema.json in step with the zod schema', () => {
    const committed = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'schema.json'), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('has no reader of process.env outside src/config', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync('grep', ['-rln', 'process\\.env', path.join(PROJECT_ROOT, 'src')], { encoding: 'utf8' });
    const files = out
      .trim()
      .split('\n')
      .map((f) => path.relative(PROJECT_ROOT, f));
    expect(files.filter((f) => !f.startsWith('src/config/'))).toEqual([]);
  });
});
