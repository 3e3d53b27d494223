import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { barLine, createProgress } from '../../src/cli/progress.js';

/** Issue 13: long CLI work shows a bar on a terminal and plain lines anywhere else. */
function sink(tty: boolean, columns = 80) {
  const chunks: string[] = [];
  const out = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY: tty, columns },
  );
  return { out, text: () => chunks.join(''), chunks };
}

describe('progress', () => {
  it('on a terminal redraws one bar in place and clears it at the end', () => {
    const s = sink(true);
    const bar = createProgress({ label: 'poll', total: 4, out: s.out });
    bar.tick('Outlet 0: 3 new');
    bar.tick('Outlet 1: 0 new');
    bar.done();
    expect(s.chunks[0]).toBe('\r\x1b[2Kpoll [######------------------] 1/4 Outlet 0: 3 new');
    expect(s.chunks[1]).toBe('\r\x1b[2Kpoll [############------------] 2/4 Outlet 1: 0 new');
    expect(s.chunks.at(-1)).toBe('\r\x1b[2K');
    expect(s.text()).not.toContain('\n');
  });

  it('anywhere else prints one plain line per step (or every Nth, and the last), with no control characters', () => {
    const s = sink(false);
    const bar = createProgress({ label: 'import', total: 3, out: s.out });
    for (const name of ['A', 'B', 'C']) bar.tick(`${name}: added`);
    bar.done();
    expect(s.text()).toBe('import: 1/3 A: added\nimport: 2/3 B: added\nimport: 3/3 C: added\n');
    const every = sink(false);
    const eval5 = createProgress({ label: 'summarize', total: 12, out: every.out, every: 5 });
    for (let i = 0; i < 12; i++) eval5.tick();
    expect(every.text()).toBe('summarize: 5/12\nsummarize: 10/12\nsummarize: 12/12\n');
  });

  it('draws a whole bar on a terminal that reports no width', () => {
    const s = sink(true, 0);
    createProgress({ label: 'poll', total: 1, out: s.out }).tick('Outlet 0: 2 new');
    expect(s.text()).toBe('\r\x1b[2Kpoll [########################] 1/1 Outlet 0: 2 new');
  });

  it('cuts the bar to the terminal width', () => {
    const line = barLine('poll', 1, 2, 'a very long feed name '.repeat(10), 60);
    expect(line.length).toBeLessThan(60);
    expect(line.endsWith('…')).toBe(true);
  });
});
