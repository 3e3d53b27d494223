/**
 * Atom's type="xhtml" puts markup inside <content>, <summary> or <title> as XML elements. The
 * XML readers hand those back as a tree that has lost the order of text and tags ("Hello <b>you</b>
 * there" comes back as "Hello  there" plus "you"), and keeps <style> text. So before parsing, each
 * such element's inner markup is turned into escaped text, exactly as type="html" carries it; the
 * mapper then reads it with the same HTML-to-text step every other body goes through.
 *
 * One left-to-right pass: each start tag's closing tag is found with indexOf, and an element that
 * never closes ends the pass, so a hostile document costs linear time.
 */
export function inlineXhtml(doc: string): string {
  if (!doc.includes('xhtml')) return doc;
  const out: string[] = [];
  let from = 0;
  START.lastIndex = 0;
  for (let m = START.exec(doc); m !== null; m = START.exec(doc)) {
    const name = m[1]!;
    const innerStart = m.index + m[0].length;
    const close = doc.indexOf(`</${name}`, innerStart);
    if (close < 0) break;
    out.push(doc.slice(from, innerStart), escapeText(withoutPrefixes(doc.slice(innerStart, close))));
    from = close;
    START.lastIndex = close;
  }
  out.push(doc.slice(from));
  return out.join('');
}

/** A start tag of a text construct whose type attribute is xhtml (not self-closing). */
const START =
  /<((?:[A-Za-z_][\w.-]*:)?(?:content|summary|title|subtitle|rights))\s[^<>]*?\btype\s*=\s*["']xhtml["'][^<>]*?(?<!\/)>/g;

/** <xhtml:p> → <p>: the HTML reader knows tag names, not namespace prefixes. */
function withoutPrefixes(markup: string): string {
  return markup.replace(/<(\/?)[A-Za-z_][\w.-]*:(?=[A-Za-z_])/g, '<$1');
}

function escapeText(markup: string): string {
  return markup.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
