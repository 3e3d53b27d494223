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

  // RFC 7303: a byte order mark, then the charset parameter, then the XML declaration. UTF-16 and
  // UTF-32 without a BOM still show in the first bytes (XML 1.0 Appendix F), and no label can make
  // those NUL-laden bytes an ASCII-compatible text, so the bytes win there.
  const fromHeader = usable(charsetFromContentType(contentType));
  const wide = sniffWideWithoutBom(buf);
  if (wide) return { text: iconv.decode(buf, wide), charset: wide, source: 'bom' };

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
  // Labels in the wild carry prefixes and spellings iconv-lite does not list (x-big5, x-sjis, utf_32).
  for (const candidate of [
    l,
    l.replace(/^x-/, ''),
    l.replace(/[-_]/g, ''),
    l.replace(/^x-/, '').replace(/[-_]/g, ''),
  ]) {
    if (iconv.encodingExists(candidate)) return candidate === 'utf8' ? 'utf-8' : candidate;
  }
  return null;
}

/** Node's own UTF-8 decoder is several times faster than iconv-lite's; most feeds are UTF-8. */
function decodeAs(buf: Buffer, charset: string): string {
  return charset === 'utf-8' ? buf.toString('utf8') : iconv.decode(buf, charset);
}

function singleByteCompatible(charset: string | null): string | null {
  return charset && /^(utf-?16|utf-?32|ucs-?[24])/.test(charset) ? null : charset;
}

/** The byte order marks of XML 1.0 Appendix F; the 4-byte UTF-32 marks are tested before UTF-16's. */
function sniffBom(buf: Buffer): { charset: string; length: number } | null {
  const [b0, b1, b2, b3] = buf;
  if (buf.length >= 4 && b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff)
    return { charset: 'utf-32be', length: 4 };
  if (buf.length >= 4 && b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00)
    return { charset: 'utf-32le', length: 4 };
  if (buf.length >= 3 && b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { charset: 'utf-8', length: 3 };
  if (buf.length >= 2 && b0 === 0xff && b1 === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (buf.length >= 2 && b0 === 0xfe && b1 === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/**
 * UTF-16 and UTF-32 without a BOM betray themselves in the first four bytes: the first character
 * ("<", or white space before it) is ASCII, so its code unit is one non-NUL byte among NULs
 * (Appendix F: 3C 00 00 00, 00 00 00 3C, 3C 00 3F 00, 00 3C 00 3F).
 */
function sniffWideWithoutBom(buf: Buffer): string | null {
  if (buf.length < 4) return null;
  const [b0, b1, b2, b3] = buf as unknown as [number, number, number, number];
  if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'utf-32be';
  if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'utf-16le';
  if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'utf-16be';
  return null;
}
