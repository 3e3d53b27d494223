import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  charsetFromContentType,
  charsetFromHtmlMeta,
  charsetFromXmlProlog,
  decodeBody,
  usable,
} from '../../src/feeds/charset.js';

const TEXT = 'Zoë’s café — fines of €6 million';
const xml = (decl: string) => `<?xml version="1.0"${decl}?><rss><channel><title>${TEXT}</title></channel></rss>`;
const bom = (b: number[], body: Buffer) => Buffer.concat([Buffer.from(b), body]);

describe('decodeBody', () => {
  it.each([
    ['plain UTF-8, nothing declared', Buffer.from(xml(''), 'utf8'), null, 'utf-8', 'default'],
    ['UTF-8 BOM', bom([0xef, 0xbb, 0xbf], Buffer.from(xml(''), 'utf8')), null, 'utf-8', 'bom'],
    ['UTF-16LE BOM', bom([0xff, 0xfe], iconv.encode(xml(' encoding="utf-16"'), 'utf-16le')), null, 'utf-16le', 'bom'],
    ['UTF-16BE BOM', bom([0xfe, 0xff], iconv.encode(xml(' encoding="utf-16"'), 'utf-16be')), null, 'utf-16be', 'bom'],
    ['UTF-16LE without BOM', iconv.encode(xml(''), 'utf-16le'), 'text/xml', 'utf-16le', 'bom'],
    [
      'BOM beats a wrong header',
      bom([0xff, 0xfe], iconv.encode(xml(''), 'utf-16le')),
      'text/xml; charset=iso-8859-1',
      'utf-16le',
      'bom',
    ],
    [
      'header charset',
      iconv.encode(xml(''), 'windows-1252'),
      'application/rss+xml; charset="Windows-1252"',
      'windows-1252',
      'header',
    ],
    [
      'header beats prolog',
      iconv.encode(xml(' encoding="utf-8"'), 'windows-1252'),
      'text/xml; charset=windows-1252',
      'windows-1252',
      'header',
    ],
    [
      'XML prolog',
      iconv.encode(xml(" encoding='windows-1252'"), 'windows-1252'),
      'text/xml',
      'windows-1252',
      'xml-prolog',
    ],
    [
      'invalid UTF-8 under a UTF-8 header falls back to 1252',
      iconv.encode(xml(''), 'windows-1252'),
      'text/xml; charset=utf-8',
      'windows-1252',
      'fallback',
    ],
    ['unknown label is ignored', Buffer.from(xml(''), 'utf8'), 'text/xml; charset=x-made-up', 'utf-8', 'default'],
  ] as const)('%s', (_name, bytes, contentType, charset, source) => {
    const out = decodeBody(bytes, contentType);
    expect(out.text).toContain(TEXT);
    expect(out.text.startsWith('\uFEFF')).toBe(false);
    expect(out.charset).toBe(charset);
    expect(out.source).toBe(source);
  });

  it('reads ISO-8859-1 as declared in the prolog', () => {
    const latin = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Zoë, café, £5, Straße</title></rss>';
    const out = decodeBody(iconv.encode(latin, 'latin1'), null);
    expect(out.text).toContain('Zoë, café, £5, Straße');
  });

  it('reads 1252-only characters in a document labelled ISO-8859-1 (browsers do the same)', () => {
    const doc = '<?xml version="1.0" encoding="iso-8859-1"?><rss><title>“Quoted” — €</title></rss>';
    expect(decodeBody(iconv.encode(doc, 'windows-1252'), null).text).toContain('“Quoted” — €');
  });

  it('uses an HTML <meta charset> when there is no prolog or header charset', () => {
    const page = `<html><head><meta charset="windows-1252"><title>${TEXT}</title></head></html>`;
    const out = decodeBody(iconv.encode(page, 'windows-1252'), 'text/html');
    expect(out.text).toContain(TEXT);
    expect(out.source).toBe('html-meta');
  });

  it('ignores a UTF-16 claim in a prolog it could read as ASCII', () => {
    const out = decodeBody(Buffer.from(xml(' encoding="UTF-16"'), 'utf8'), null);
    expect(out.text).toContain(TEXT);
    expect(out.charset).toBe('utf-8');
  });

  it('accepts a Uint8Array view into a larger buffer', () => {
    const whole = Buffer.from(`xxxx${TEXT}`, 'utf8');
    expect(decodeBody(new Uint8Array(whole.buffer, whole.byteOffset + 4, whole.length - 4), null).text).toBe(TEXT);
  });
});

describe('charset sniffers', () => {
  it.each([
    ['text/xml; charset=UTF-8', 'utf-8'],
    ['text/xml;charset="iso-8859-1"', 'iso-8859-1'],
    ['application/rss+xml; q=1; Charset = windows-1252 ; x=y', 'windows-1252'],
    ['text/xml', null],
    [null, null],
  ])('content type %s → %s', (ct, expected) => {
    expect(charsetFromContentType(ct)).toBe(expected);
  });

  it.each([
    ['<?xml version="1.0" encoding="ISO-8859-1"?><rss/>', 'iso-8859-1'],
    ["  <?xml version='1.0' encoding='windows-1252' standalone='yes'?>", 'windows-1252'],
    ['<?xml version="1.0"?><rss encoding="utf-16"/>', null],
    ['<rss/>', null],
  ])('prolog %s → %s', (doc, expected) => {
    expect(charsetFromXmlProlog(Buffer.from(doc))).toBe(expected);
  });

  it.each([
    ['<meta charset="Shift_JIS">', 'shift_jis'],
    ['<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', 'koi8-r'],
    ['<p>charset talk</p>', null],
  ])('meta %s → %s', (doc, expected) => {
    expect(charsetFromHtmlMeta(Buffer.from(doc))).toBe(expected);
  });

  it.each([
    ['ISO-8859-1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['UTF8', 'utf-8'],
    ['koi8-r', 'koi8-r'],
    ['no-such-charset', null],
    [null, null],
  ])('usable(%s) → %s', (label, expected) => {
    expect(usable(label)).toBe(expected);
  });
});
