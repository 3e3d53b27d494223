import { createRequire } from 'node:module';

/** The part of sax (rss-parser's XML reader, through xml2js) this check uses. */
interface SaxParser {
  onerror: ((err: Error) => void) | null;
  write(text: string): SaxParser;
  close(): SaxParser;
}
const sax = createRequire(import.meta.url)('sax') as { parser(strict: boolean): SaxParser };

/**
 * True when a strict XML reader accepts the whole document: the inputs a feed parser must never
 * refuse, whatever else is odd about them (the parse rate is counted over these).
 */
export function isWellFormedXml(text: string): boolean {
  const parser = sax.parser(true);
  let ok = true;
  parser.onerror = () => {
    ok = false;
    throw STOP;
  };
  try {
    parser.write(text.replace(/^\uFEFF/, '')).close();
  } catch (err) {
    if (err !== STOP) return false;
  }
  return ok;
}

const STOP = new Error('not well-formed');
