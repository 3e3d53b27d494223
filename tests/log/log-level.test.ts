import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLevelFor } from '../../src/cli/context.js';
import { readEnv } from '../../src/config/env.js';
import { parseConfigText } from '../../src/config/load.js';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import { runCli } from '../helpers/cli.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { LEVEL, logRecords } from '../helpers/log.js';

/** The level a command would log at, given the flag, the environment and the file. */
function levelOf(p: { flag?: string; env?: string; file?: string }, commandDefault: 'info' | 'warn' = 'warn') {
  const yaml = p.file ? `log: { level: ${p.file} }\n` : '';
  const config = parseConfigText(yaml, 'team.yaml', readEnv(p.env ? { WATCHDESK_LOG_LEVEL: p.env } : {}));
  const program = new Command().option('--log-level <level>').exitOverride();
  let level = '';
  program.command('run').action((_o, cmd: Command) => {
    level = logLevelFor(cmd, config, commandDefault);
  });
  program.parse(['node', 'watchdesk', ...(p.flag ? ['--log-level', p.flag] : []), 'run']);
  return level;
}

describe('log level: --log-level > WATCHDESK_LOG_LEVEL > log.level > the command default', () => {
  it('takes the first one given', () => {
    expect(levelOf({})).toBe('warn');
    expect(levelOf({}, 'info')).toBe('info');
    expect(levelOf({ file: 'error' })).toBe('error');
    expect(levelOf({ file: 'error', env: 'debug' })).toBe('debug');
    expect(levelOf({ file: 'error', env: 'debug', flag: 'info' })).toBe('info');
    expect(levelOf({ env: 'WARN' }, 'info')).toBe('warn');
  });

  it('rejects an unknown level in the file or the environment, saying where and what to do', () => {
    expect(() => parseConfigText('log: { level: verbose }\n', 'team.yaml')).toThrow(/team\.yaml: log\.level/);
    expect(() => parseConfigText('', 'team.yaml', readEnv({ WATCHDESK_LOG_LEVEL: 'verbose' }))).toThrow(
      /WATCHDESK_LOG_LEVEL is "verbose", which is not a log level/,
    );
  });

  describe('through the CLI', () => {
    let server: FeedServer;
    let dir: string;
    let config: string;

    beforeAll(async () => {
      server = await startFeedServer();
      const when = new Date(Date.now() - 3_600_000).toISOString();
      server.route('/desk.xml', {
        etag: '"v1"',
        headers: { 'content-type': 'application/rss+xml' },
        body: rss('Desk', [
          { guid: 'a', title: 'KOSA markup', link: 'https://d.example/a', date: when, text: 'KOSA.' },
        ]),
      });
      dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-loglevel-'));
      config = writeBeatConfig(dir, { feeds: [{ name: 'Desk', url: server.url('/desk.xml') }] });
    });

    afterAll(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('at debug, --json stdout stays parseable JSON and the debug logs go to stderr', async () => {
      expect((await runCli(['--config', config, 'poll', '--once'])).code).toBe(0);
      const run = await runCli(['--config', config, 'poll', '--once', '--json'], { WATCHDESK_LOG_LEVEL: 'debug' });
      expect(run.code).toBe(0);
      const rows = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { feed: string; status: string });
      expect(rows).toEqual([expect.objectContaining({ feed: 'Desk', status: 'not_modified' })]);
      const debug = logRecords(run.stderr).filter((r) => r.level === LEVEL.debug);
      expect(debug.map((r) => r.msg)).toContain('feed not modified');
    }, 60_000);

    it('refuses an unknown --log-level with what to type instead', async () => {
      const run = await runCli(['--config', config, '--log-level', 'verbose', 'feeds', 'list']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--log-level must be one of debug, info, warn, error, silent, got "verbose"');
    });
  });
});
