import { describe, expect, it } from 'vitest';
import { inlineXhtml } from '../../src/feeds/xhtml-inline.js';

describe('inlineXhtml', () => {
  it('turns the markup inside type="xhtml" into escaped text and drops tag prefixes', () => {
    const doc = '<entry><content type="xhtml"><h:p>A &amp; <h:b>B</h:b></h:p></content><title>T</title></entry>';
    expect(inlineXhtml(doc)).toBe(
      '<entry><content type="xhtml">&lt;p&gt;A &amp;amp; &lt;b&gt;B&lt;/b&gt;&lt;/p&gt;</content><title>T</title></entry>',
    );
  });

  it('leaves other text constructs, self-closing tags and documents without xhtml alone', () => {
    const html = '<summary type="html">&lt;p&gt;x&lt;/p&gt;</summary><content type="xhtml"/>';
    expect(inlineXhtml(html)).toBe(html);
    expect(inlineXhtml('<rss><item><title>plain</title></item></rss>')).toBe(
      '<rss><item><title>plain</title></item></rss>',
    );
  });

  it('stops at an element that never closes, keeping the rest as it was', () => {
    const hostile = `<feed>${'<content type="xhtml"><p>open'.repeat(20_000)}</feed>`;
    expect(inlineXhtml(hostile)).toBe(hostile);
  });
});
