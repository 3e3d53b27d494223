import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Where the charset of a body came from, in the order they are trusted: a byte order mark
 * wins (it cannot be wrong about itself), then the HTTP header, then the XML prolog, then an
 * HTML <meta>, then UTF-8.
 */
export type CharsetSource = 'bom' | 'header' | 'xml-prolog' | 'html-meta' | 'default' | 'fallback';

export interface Decoded {
  text: string;
  charset: string;
  source: CharsetSource;
}

/** Decodes a response body to text, finding its charset the way a feed reader should. */
export function decodeBody(bytes: Uint8Array, contentType: string | null): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = sniffBom(buf);
  if (bom) return { text: decodeAs(buf.subarray(bom.length), bom.charset), charset: bom.charset, source: 'bom' };

  const fromHeader = usable(charsetFromContentType(contentType));
  const utf16 = sniffUtf16WithoutBom(buf);
  if (utf16) return { text: iconv.decode(buf, utf16), charset: utf16, source: 'bom' };

  // A prolog or <meta> we could read as ASCII cannot be UTF-16/32, whatever it claims
  // (usually a prolog copied from elsewhere): ignore such a claim.
  const fromProlog = singleByteCompatible(usable(charsetFromXmlProlog(buf)));
  const fromMeta = fromProlog ? null : singleByteCompatible(usable(charsetFromHtmlMeta(buf)));
  const declared = fromHeader ?? fromProlog ?? fromMeta;
  const source: CharsetSource = fromHeader ? 'header' : fromProlog ? 'xml-prolog' : fromMeta ? 'html-meta' : 'default';
  const charset = declared ?? 'utf-8';

  // Publishers often send "charset=utf-8" (or nothing) for bytes that are really Latin-1/1252.
  // Invalid UTF-8 is certain evidence the label is wrong: prefer the document's own declaration,
  // else Windows-1252, which maps every byte to something readable.
  if (charset === 'utf-8' && !isUtf8(buf)) {
    const inDocument = [fromProlog, fromMeta].find((c) => c && c !== 'utf-8');
    const guess = inDocument ?? 'windows-1252';
    return { text: iconv.decode(buf, guess), charset: guess, source: 'fallback' };
  }
  return { text: decodeAs(buf, charset), charset, source };
}

/** The charset parameter of a Content-Type header, lower-cased, or null. */
export function charsetFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  const value = m?.[1] ?? m?.[2];
  return value ? value.trim().toLowerCase() : null;
}

/** The encoding="…" of an XML declaration at the start of the document, or null. */
export function charsetFromXmlProlog(buf: Buffer): string | null {
  const head = buf.subarray(0, 512).toString('latin1');
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…"> in the first 4 KiB. */
export function charsetFromHtmlMeta(buf: Buffer): string | null {
  const head = buf.subarray(0, 4096).toString('latin1');
  const direct = /<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return direct?.[1] ? direct[1].toLowerCase() : null;
}

/**
 * Normalizes a label to one iconv-lite decodes, or null when it is unknown. ISO-8859-1 and
 * US-ASCII become Windows-1252, as browsers do: the bytes 0x80–0x9F are control codes in
 * Latin-1 that no feed means, and in practice they are 1252's curly quotes, dashes and €.
 */
export function usable(label: string | null): string | null {
  if (!label) return null;
  const l = label.trim().toLowerCase();
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'us-ascii', 'ascii', 'cp819'].includes(l)) {
    return 'windows-1252';
  }
  if (l === 'utf8') return 'utf-8';
  if (!iconv.encodingExists(l)) return null;
  return l;
}

/** Node's own UTF-8 decoder is several times faster than iconv-lite's; most feeds are UTF-8. */
function decodeAs(buf: Buffer, charset: string): string {
  return charset === 'utf-8' ? buf.toString('utf8') : iconv.decode(buf, charset);
}

function singleByteCompatible(charset: string | null): string | null {
  return charset && /^(utf-?16|utf-?32|ucs-?2)/.test(charset) ? null : charset;
}

function sniffBom(buf: Buffer): { charset: string; length: number } | null {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without a BOM still betrays itself: "<" next to a NUL byte at the very start. */
function sniffUtf16WithoutBom(buf: Buffer): string | null {
  if (buf.length < 4) return null;
  if (buf[0] === 0x3c && buf[1] === 0x00 && buf[2] !== 0x00 && buf[3] === 0x00) return 'utf-16le';
  if (buf[0] === 0x00 && buf[1] === 0x3c && buf[2] === 0x00 && buf[3] !== 0x00) return 'utf-16be';
  return null;
}
