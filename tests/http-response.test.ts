import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, readCapped } from '../src/http-response.js';

const NOW = Date.UTC(2025, 2, 3, 9, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['delta seconds', '120', 120_000],
    ['delta seconds with spaces', '  7 ', 7_000],
    ['zero', '0', 0],
    ['an HTTP date 90 s ahead', new Date(NOW + 90_000).toUTCString(), 90_000],
    ['an HTTP date in the past', new Date(NOW - 5_000).toUTCString(), 0],
    ['a header sent twice (first counts)', ['3', '600'], 3_000],
    ['absent', undefined, undefined],
    ['null', null, undefined],
    ['empty', '', undefined],
    ['garbage', 'soon', undefined],
  ] as const)('%s', (_label, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('readCapped', () => {
  it('returns the whole body when it fits the cap', async () => {
    const body = Readable.from([Buffer.from('hello '), Buffer.from('world')]);
    expect((await readCapped(body, 11))?.toString('utf8')).toBe('hello world');
  });

  it('returns null and closes the stream once the cap is passed', async () => {
    const body = new PassThrough();
    const read = readCapped(body, 8);
    body.write(Buffer.from('12345'));
    body.write(Buffer.from('67890'));
    expect(await read).toBeNull();
    expect(body.destroyed).toBe(true);
  });

  it('rejects when the stream fails', async () => {
    const body = new PassThrough();
    const read = readCapped(body, 1024);
    body.destroy(new Error('connection reset'));
    await expect(read).rejects.toThrow('connection reset');
  });
});
