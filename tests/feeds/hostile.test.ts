import { afterEach, describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/feeds/html-text.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { textOf } from '../../src/feeds/xml-node.js';
import { getItem, insertNewItems } from '../../src/store/items.js';
import { tempDb } from '../helpers/db.js';

// Feeds are untrusted input. These documents are built to hurt a parser: each must come back as
// items (or a classified error), never a crash, a hang, or an exploded string. None of these
// tests measures time; a quadratic or exponential parser simply never finishes them.
const NOW = Date.UTC(2026, 2, 3, 12, 0, 0);
const URL = 'https://hostile.example/feed.xml';

const rss = (items: string, head = '') =>
  `<?xml version="1.0"?>${head}<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>${items}</channel></rss>`;

describe('hostile feeds', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.close());

  it('does not expand a billion-laughs entity bomb', () => {
    let dtd = '<!DOCTYPE rss [<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    dtd += ']>';
    const feed = parseFeed(
      rss(
        '<item><title>boom &lol9;</title><link>https://hostile.example/1</link><description>&lol9;</description></item>',
        dtd,
      ),
      { url: URL, now: NOW },
    );
    expect(feed.items).toHaveLength(1);
    // left as written: an unknown entity is text, not a 10^9-character expansion
    expect(feed.items[0]!.title).toBe('boom &lol9;');
    expect(feed.items[0]!.content).toBe('&lol9;');
  });

  it('never reads an external entity (XXE)', () => {
    const dtd = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
    const feed = parseFeed(rss('<item><title>x &xxe; y</title><link>https://hostile.example/2</link></item>', dtd), {
      url: URL,
      now: NOW,
    });
    expect(feed.items[0]!.title).toBe('x &xxe; y');
    expect(JSON.stringify(feed)).not.toContain('root:');
  });

  it('reads markup nested 100,000 elements deep without overflowing the stack', () => {
    const depth = 100_000;
    const body = `${'<div>'.repeat(depth)}deep text${'</div>'.repeat(depth)}`;
    const feed = parseFeed(
      rss(`<item><title>Deep</title><link>https://hostile.example/3</link><description>${body}</description></item>`),
      { url: URL, now: NOW },
    );
    expect(feed.items[0]!.content).toBe('deep text');
    // the same depth, cut off, goes through the lenient reader
    const cut = parseFeed(
      `<rss version="2.0"><channel><title>Cut</title><item><title>Kept</title><link>https://hostile.example/4</link></item><item><title>x</title>${'<b>'.repeat(depth)}`,
      { url: URL, now: NOW },
    );
    expect(cut.items.map((i) => i.title)).toEqual(['Kept']);
  });

  it('textOf joins nested text in document order, as the recursive definition does', () => {
    const node = { _: 'a', p: [{ _: 'b', i: ['c'] }, 'd', {}], q: ['e'] };
    expect(textOf(node)).toBe('a\nb\nc\nd\n\ne');
  });

  it('drops thousands of unclosed <script> tags one tag at a time, without rescanning the document', () => {
    const html = `<p>start</p>${'<script>x '.repeat(120_000)}<p>end</p>`;
    const text = htmlToText(html);
    expect(text.startsWith('start\nx x')).toBe(true);
    expect(text.endsWith('x\nend')).toBe(true);
    // closed ones still drop their contents, after many unclosed ones of another kind
    expect(htmlToText(`${'<style>'.repeat(1000)}a<script>hidden</script>b<script>also</script>c`)).toBe('abc');
  });

  it('shrugs off 50,000 stray closing tags under 50,000 unclosed ones (lenient reader)', () => {
    const n = 50_000;
    const doc = `<rss version="2.0"><channel><title>M &nbsp;</title><item><title>t</title><link>https://hostile.example/5</link>${'<a>'.repeat(n)}${'</b>'.repeat(n)}</item></channel></rss>`;
    const feed = parseFeed(doc, { url: URL, now: NOW });
    expect(feed.items.map((i) => i.url)).toEqual(['https://hostile.example/5']);
  });

  it('keeps chat mention syntax in titles and text as written, and stores it unchanged', async () => {
    const title = '@everyone &lt;!channel&gt; &lt;!here&gt; &lt;@&amp;123&gt; &lt;#C42&gt; @here';
    const feed = parseFeed(
      rss(
        `<item><title>${title}</title><link>https://hostile.example/6</link><description>&lt;p&gt;Ping &lt;!subteam^S1&gt; @everyone&lt;/p&gt;</description></item>`,
      ),
      { url: URL, now: NOW },
    );
    const item = feed.items[0]!;
    expect(item.title).toBe('@everyone <!channel> <!here> <@&123> <#C42> @here');
    expect(item.content).toBe('Ping <!subteam^S1> @everyone');
    // a doctype in HTML content is still markup
    expect(htmlToText('<!DOCTYPE html><p>x</p>')).toBe('x');
    t = tempDb();
    const feedId = Number(
      t.db.prepare('INSERT INTO feeds (url, interval_ms, created_at) VALUES (?, 900000, 0)').run(URL).lastInsertRowid,
    );
    const [stored] = await insertNewItems(t.sql, feedId, feed.items, { now: NOW, announced: true });
    expect(await getItem(t.sql, stored!.itemId)).toMatchObject({ title: item.title, content: item.content });
  });

  it('parses and stores a 50,000-item feed', { timeout: 120_000 }, async () => {
    const items: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      items.push(
        `<item><title>Notice ${i}</title><link>https://hostile.example/n/${i}</link><guid>n-${i}</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate><description>Body ${i}</description></item>`,
      );
    }
    const feed = parseFeed(rss(items.join('')), { url: URL, now: NOW });
    expect(feed.items).toHaveLength(50_000);
    expect(feed.items[49_999]).toMatchObject({ id: 'n-49999', title: 'Notice 49999', content: 'Body 49999' });
    t = tempDb();
    const feedId = Number(
      t.db.prepare('INSERT INTO feeds (url, interval_ms, created_at) VALUES (?, 900000, 0)').run(URL).lastInsertRowid,
    );
    expect(await insertNewItems(t.sql, feedId, feed.items, { now: NOW, announced: false })).toHaveLength(50_000);
    // a re-poll of the same document is all known
    expect(await insertNewItems(t.sql, feedId, feed.items, { now: NOW, announced: true })).toHaveLength(0);
  });
});
