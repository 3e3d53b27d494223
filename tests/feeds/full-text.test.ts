import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher, type FetcherOptions } from '../../src/feeds/fetch.js';
import {
  ARTICLE_ACCEPT,
  extractArticle,
  fetchFullText,
  MAX_EXTRACT_HTML_CHARS,
  needsFullText,
  TEASER_WORDS,
} from '../../src/feeds/full-text.js';
import { countWords } from '../../src/text/words.js';
import { longArticle } from '../helpers/big-text.js';

const PAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/pages');
const page = (name: string) => readFileSync(path.join(PAGES, name), 'utf8');

const COURT_PARAGRAPHS = [
  'A federal appeals panel on Tuesday revived a lawsuit brought by four families who say a clip-sharing website let traffickers advertise their teenage daughters, sending the case back to a trial judge in Ohio.',
  '"A company that sells prominence to a listing is doing something other than hosting it," Judge Carla Benning wrote for the majority.',
  'We have waited three years for a court to look at what this site actually did.',
  'A spokesperson for the company said it would ask the full appeals court to rehear the case and that it removes unlawful content as soon as it learns of it.',
];
/** Text from the page chrome around the article: none of it may reach the extracted text. */
const COURT_CHROME = [
  'cookies',
  'Subscribe today',
  'Breezewave',
  'HarborPlus',
  'Advertisement',
  'dataLayer',
  'FirstPoster99',
  'mark my words',
  'Most read',
  'Harbor bridge closure',
  'Related coverage',
  'Privacy',
  'querySelectorAll',
];

describe('extractArticle', () => {
  it('keeps the article paragraphs in order and drops nav, ads, scripts, comments and footer', () => {
    const article = extractArticle(page('court-ruling.html'), 'https://ledger.example/courts/1');
    expect(article).not.toBeNull();
    expect(article?.title).toBe("Appeals court revives families' suit against clip-sharing site");
    const text = article?.text ?? '';
    let last = -1;
    for (const p of COURT_PARAGRAPHS) {
      const at = text.indexOf(p);
      expect(at, p).toBeGreaterThan(last);
      last = at;
    }
    for (const junk of COURT_CHROME) expect(text, junk).not.toContain(junk);
  });

  it('lays out plain text: blank lines between paragraphs, one line per list item, no markup', () => {
    const text = extractArticle(page('court-ruling.html'), 'https://ledger.example/courts/1')?.text ?? '';
    expect(text).toContain(
      'Their complaint points to three practices:\n\n' +
        'charging sellers for higher placement without reviewing the listings,\n' +
        'ignoring repeated reports from parents and school officials,\n' +
        'deleting flagged accounts only after new ones had been opened.\n\n' +
        'A spokesperson',
    );
    expect(text).not.toMatch(/[<>]|&middot;|&amp;/);
    expect(text).not.toMatch(/\n{3,}|[ \t]{2,}| \n|\n /);
  });

  it('turns <br> into a line break and drops inline promos and script text in another layout', () => {
    const article = extractArticle(page('regulator-fine.html'), 'https://wire.example/news/42');
    expect(article?.title).toBe('Regulator fines chat app over grooming risk checks');
    const text = article?.text ?? '';
    expect(text.startsWith('The communications regulator has fined a group-chat app 1.8 million pounds')).toBe(true);
    expect(text).toContain('contact with minors.\nA second inquiry');
    expect(text).toContain('\n\nWhat happens next\n\n');
    for (const junk of [
      'Sponsored',
      'loadAd',
      'tracking pixel',
      'Share on social',
      'Read next',
      'comments',
      'Advert',
    ]) {
      expect(text, junk).not.toContain(junk);
    }
  });

  const notArticles: Array<[string, string]> = [
    ['a section front that is only a list of links', 'section-front.html'],
    ['a JavaScript app shell', 'app-shell.html'],
    ['a consent wall with a few words', 'cookie-wall.html'],
  ];
  for (const [name, file] of notArticles) {
    it(`returns null for ${name}`, () => {
      expect(extractArticle(page(file), 'https://ledger.example/x')).toBeNull();
    });
  }

  it('finds the article behind a megabyte of scripts and styles, which it never parses', () => {
    const paragraphs = longArticle(3_000);
    const html = `<!doctype html><html><head><title>Ruling</title><style>${'p{color:red}'.repeat(40_000)}</style>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ruling"}</script>
<script>${'var x = "<p>not text</p>";'.repeat(40_000)}</script></head>
<body><!-- ${'comment '.repeat(20_000)} --><article>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
    expect(html.length).toBeGreaterThan(MAX_EXTRACT_HTML_CHARS * 4);
    const article = extractArticle(html, 'https://ledger.example/ruling');
    expect(article?.text).toBe(paragraphs.join('\n\n'));
  });

  it('reads only the opening of a page larger than MAX_EXTRACT_HTML_CHARS', () => {
    const paragraphs = longArticle(MAX_EXTRACT_HTML_CHARS * 2);
    const html = `<!doctype html><html><body><article>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></body></html>`;
    const text = extractArticle(html, 'https://ledger.example/long')?.text ?? '';
    expect(text.startsWith(`${paragraphs[0]}\n\n${paragraphs[1]}`)).toBe(true);
    expect(text.length).toBeGreaterThan(MAX_EXTRACT_HTML_CHARS * 0.8);
    expect(text.length).toBeLessThan(MAX_EXTRACT_HTML_CHARS);
  });

  it('returns null for empty or non-HTML input instead of throwing', () => {
    expect(extractArticle('', 'https://ledger.example/x')).toBeNull();
    expect(extractArticle('%PDF-1.7 binary garbage \u0000\u0001', 'https://ledger.example/x')).toBeNull();
  });
});

describe('needsFullText', () => {
  const teaser = 'Court revives suit against clip-sharing site. Read more.';
  const full = 'word '.repeat(TEASER_WORDS);
  const cases: Array<[Parameters<typeof needsFullText>[0], string, boolean]> = [
    ['auto', teaser, true],
    ['auto', '', true],
    ['auto', 'word '.repeat(TEASER_WORDS - 1), true],
    ['auto', full, false],
    ['always', full, true],
    ['never', teaser, false],
    ['never', '', false],
  ];
  for (const [mode, content, expected] of cases) {
    it(`${mode} with ${countWords(content)} words → ${expected}`, () => {
      expect(needsFullText(mode, content)).toBe(expected);
    });
  }
});

describe('fetchFullText', () => {
  let server: Server;
  let base: string;
  let fetcher: Fetcher;
  let impatient: Fetcher;
  const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      const html = (file: string) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(file));
      };
      switch (req.url) {
        case '/courts/1':
          return html('court-ruling.html');
        case '/old-link':
          res.writeHead(301, { location: '/courts/1' });
          return res.end();
        case '/courts':
          return html('section-front.html');
        case '/report.pdf':
          res.writeHead(200, { 'content-type': 'application/pdf' });
          return res.end('%PDF-1.7');
        case '/slow':
          return; // never answers: the fetcher's timeout must end it
        default:
          res.writeHead(404, { 'content-type': 'text/html' });
          return res.end('<h1>Not found</h1>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fetcher = createFetcher(fetcherOptions(5_000));
    // Only the hanging page needs a short timeout; a busy machine must not turn other pages into timeouts.
    impatient = createFetcher(fetcherOptions(400));
  });
  afterAll(async () => {
    await fetcher.close();
    await impatient.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fetches the page with the feeds fetcher (asking for HTML) and returns the article text', async () => {
    const result = await fetchFullText(fetcher, `${base}/courts/1`);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.text).toContain(COURT_PARAGRAPHS[0]);
      expect(result.text).not.toContain('FirstPoster99');
      expect(result.title).toBe("Appeals court revives families' suit against clip-sharing site");
    }
    const request = seen.find((s) => s.path === '/courts/1');
    expect(request?.headers.accept).toBe(ARTICLE_ACCEPT);
    expect(request?.headers['user-agent']).toBe('watchdesk-test/0.0.0');
  });

  it('follows redirects like a feed fetch', async () => {
    const result = await fetchFullText(fetcher, `${base}/old-link`);
    expect(result.ok && result.text.includes(COURT_PARAGRAPHS[3]!)).toBe(true);
  });

  const failures: Array<[string, string, RegExp]> = [
    ['a page with no article', '/courts', /^no article text found on the page$/],
    ['a 404', '/gone', /^page fetch failed \(http_status\): HTTP 404 Not Found/],
    ['a timeout', '/slow', /^page fetch failed \(timeout\)/],
    ['a non-HTML document', '/report.pdf', /^the page is not HTML \(application\/pdf\)$/],
    ['an invalid URL', 'not a url', /^page fetch failed \(invalid_url\)/],
  ];
  for (const [name, target, reason] of failures) {
    it(`returns the reason instead of throwing for ${name}`, async () => {
      const url = target.startsWith('/') ? `${base}${target}` : target;
      const result = await fetchFullText(target === '/slow' ? impatient : fetcher, url);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  }
});

function fetcherOptions(timeoutMs: number): FetcherOptions {
  return {
    userAgent: 'watchdesk-test/0.0.0',
    timeoutMs,
    connectTimeoutMs: timeoutMs,
    maxBodyBytes: 1024 * 1024,
    maxRedirects: 3,
    perHostConcurrency: 2,
    globalConcurrency: 4,
  };
}
