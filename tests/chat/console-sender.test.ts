import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/chat/console/sender.js';
import type { ChannelTarget } from '../../src/chat/types.js';

const target: ChannelTarget = { platform: 'console', workspace: '', channel: 'desk', thread: '' };

describe('console sender', () => {
  it('writes the Markdown to the stream and returns an id derived from the nonce', async () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (c: Buffer) => {
      written += c.toString();
    });
    const sender = createConsoleSender({ out });
    const a = await sender.send(target, '# Policy digest\n\n- KOSA markup', { nonce: 'wd1p1-ab' });
    const b = await sender.send(target, '## Part two', { nonce: 'wd1p2-ab' });
    expect(written).toContain('# Policy digest\n\n- KOSA markup\n');
    expect(written.indexOf('# Policy digest')).toBeLessThan(written.indexOf('## Part two'));
    expect(a.messageId).not.toBe(b.messageId);
    expect(a.messageId).toContain('wd1p1-ab');
  });
});
