import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogLevel, redactSecrets } from '../../src/log.js';
import { ROOT } from '../helpers/cli.js';
import { captureLog, LEVEL } from '../helpers/log.js';

const SECRET = 'xoxb-1234-secret-value';
const QUOTED = 'tok"en\\with-escapes';

describe('logger (pino)', () => {
  it('writes one JSON object per line with level, time, message and fields', () => {
    const { log, lines, records } = captureLog('debug');
    log.info('feed polled', { feed: 3, status: 'ok' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(records()[0]).toMatchObject({ level: LEVEL.info, msg: 'feed polled', feed: 3, status: 'ok' });
    expect(typeof records()[0]!.time).toBe('number');
  });

  it('drops lines below its level', () => {
    const { log, records } = captureLog('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(records().map((r) => r.msg)).toEqual(['w', 'e']);
  });

  it('silent writes nothing at all', () => {
    const { log, lines } = captureLog('silent');
    log.error('e', { err: new Error('x') });
    expect(lines).toEqual([]);
  });

  it('keeps the type, message and stack of an error under any key', () => {
    const { log, records } = captureLog();
    const err = new TypeError('bad thing');
    log.error('failed', { err, cause: new RangeError('deeper') });
    const r = records()[0]!;
    expect(r.err).toMatchObject({ type: 'TypeError', message: 'bad thing' });
    expect((r.err as { stack: string }).stack).toContain('logger.test.ts');
    expect(r.cause).toMatchObject({ type: 'RangeError', message: 'deeper' });
    expect((r.cause as { stack: string }).stack).toContain('RangeError: deeper');
  });

  it('child loggers carry their bound fields', () => {
    const { log, records } = captureLog();
    log.child({ component: 'scheduler' }).child({ subscription: 4 }).info('ran');
    expect(records()[0]).toMatchObject({ component: 'scheduler', subscription: 4, msg: 'ran' });
  });

  it('redacts known secret values in messages, fields, bindings and error stacks, even JSON-escaped', () => {
    const { log, lines } = captureLog('debug', [SECRET, QUOTED]);
    log.info(`token is ${SECRET}`);
    log.warn('send failed', { url: `https://api.example/x?t=${SECRET}`, note: `q ${QUOTED}` });
    log.child({ header: `Bearer ${SECRET}` }).error('boom', { err: new Error(`rejected ${SECRET}`) });
    const all = lines.join('');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(JSON.stringify(QUOTED).slice(1, -1));
    expect(all.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it('censors credential-named fields whatever their value', () => {
    const { log, records } = captureLog();
    log.info('request', { token: 'not-a-known-secret', headers: { authorization: 'Basic abc' }, password: 'pw' });
    expect(records()[0]).toMatchObject({
      token: '[redacted]',
      headers: { authorization: '[redacted]' },
      password: '[redacted]',
    });
  });

  it('formats for people when asked (pino-pretty on stderr), still redacted', () => {
    const script = `import { createLogger } from './src/log.ts';
      createLogger({ pretty: true, secrets: ['${SECRET}'] }).warn('feed poll failed ${SECRET}', { feed: 7 });`;
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['--eval', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/WARN.*feed poll failed \[redacted\]/);
    expect(run.stderr).toMatch(/feed: 7/);
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr.trimStart().startsWith('{')).toBe(false);
  });

  it('parses level names and rejects unknown ones', () => {
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel(' warn ')).toBe('warn');
    expect(parseLogLevel('verbose')).toBeUndefined();
    expect(parseLogLevel(undefined)).toBeUndefined();
  });

  it('redactSecrets ignores values too short to be secrets', () => {
    expect(redactSecrets('abc abcd', ['abc', 'abcd'])).toBe('abc [redacted]');
  });
});
