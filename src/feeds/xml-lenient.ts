import { decodeEntities } from './entities.js';
import type { XElement, XNode } from './xml-node.js';

export interface LenientDocument {
  /** Root element name without its prefix ("feed", "rss", "RDF"). */
  rootName: string;
  root: XElement;
  /** False when the document ends before its root element closes (a cut-off download). */
  complete: boolean;
  /** Elements the document never closed (only when it is cut off): their content may be partial. */
  unclosed: WeakSet<object>;
}

/**
 * A forgiving XML reader for feeds a strict parser refuses: undefined entities (&nbsp;),
 * unescaped "&" and "<", mismatched or unclosed tags, text after the root, a missing
 * version attribute, prefixes nobody declared (<rss:item>). Mismatched closing tags close
 * whatever they match on the stack; stray ones are ignored. Returns null when there is no
 * element at all.
 */
export function parseLenientXml(text: string): LenientDocument | null {
  const stack = new OpenStack();
  let root: Frame | null = null;
  let rootClosed = false;
  let rootPrefix = '';
  const declared = new Set<string>();
  // The root's own prefix (<atom:feed>) and prefixes never declared carry no meaning: drop them
  // so the mapper sees plain names. Well-known module prefixes stay even when undeclared.
  const localize = (name: string): string => {
    const colon = name.indexOf(':');
    if (colon <= 0) return name;
    const prefix = name.slice(0, colon);
    if (prefix === rootPrefix || (!declared.has(prefix) && !MODULE_PREFIXES.has(prefix.toLowerCase()))) {
      return name.slice(colon + 1);
    }
    return name;
  };
  let i = 0;
  const n = text.length;

  const appendText = (t: string, cdata: boolean) => {
    const top = stack.top();
    if (!top) return;
    top.text.push(t);
    if (cdata) top.cdata = true;
  };

  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      appendText(decodeEntities(text.slice(i)), false);
      break;
    }
    if (lt > i) appendText(decodeEntities(text.slice(i, lt)), false);
    const past = skipNonElement(text, lt, appendText);
    if (past >= 0) {
      i = past;
      continue;
    }
    const closing = text.charCodeAt(lt + 1) === 47;
    const nameMatch = NAME_RE.exec(text.slice(closing ? lt + 2 : lt + 1, (closing ? lt + 2 : lt + 1) + 128));
    if (!nameMatch) {
      // A bare "<" in text: keep it, as a reader would.
      appendText('<', false);
      i = lt + 1;
      continue;
    }
    const tagEnd = findTagEnd(text, lt);
    if (closing) {
      const name = localize(nameMatch[0]);
      const at = stack.find(name);
      if (at >= 0) {
        while (stack.length > at) {
          const frame = stack.pop()!;
          finish(frame, stack.top());
          if (frame === root) rootClosed = true;
        }
      }
      i = tagEnd;
      continue;
    }
    const innerEnd = text.charCodeAt(tagEnd - 1) === 62 ? tagEnd - 1 : tagEnd;
    const inner = text.slice(lt + 1 + nameMatch[0].length, innerEnd);
    const selfClosing = inner.endsWith('/');
    const attrs = parseAttributes(selfClosing ? inner.slice(0, -1) : inner);
    for (const key of Object.keys(attrs ?? {})) if (key.startsWith('xmlns:')) declared.add(key.slice(6));
    if (!root) {
      const colon = nameMatch[0].indexOf(':');
      if (colon > 0) rootPrefix = nameMatch[0].slice(0, colon);
    }
    const frame: Frame = { name: localize(nameMatch[0]), attrs, text: [], kids: {} };
    if (!root) {
      root = frame;
    } else if (stack.length === 0) {
      // Content after the root closed: ignore it, the document is over.
      i = tagEnd;
      continue;
    }
    if (selfClosing) finish(frame, stack.top());
    else stack.push(frame);
    if (selfClosing && frame === root) rootClosed = true;
    i = tagEnd;
  }
  if (!root) return null;
  return documentOf(root, stack, rootClosed);
}

/**
 * Past a CDATA section (its text kept), a comment, a processing instruction or a declaration that
 * starts at `lt`: the index after it, or -1 when an element (or a bare "<") starts there.
 */
function skipNonElement(text: string, lt: number, appendText: (t: string, cdata: boolean) => void): number {
  const n = text.length;
  if (text.startsWith('<![CDATA[', lt)) {
    const end = text.indexOf(']]>', lt + 9);
    appendText(text.slice(lt + 9, end < 0 ? n : end), true);
    return end < 0 ? n : end + 3;
  }
  if (text.startsWith('<!--', lt)) {
    const end = text.indexOf('-->', lt + 4);
    return end < 0 ? n : end + 3;
  }
  if (text.startsWith('<?', lt)) {
    const end = text.indexOf('?>', lt + 2);
    return end < 0 ? n : end + 2;
  }
  if (text.startsWith('<!', lt)) return skipDeclaration(text, lt);
  return -1;
}

/** The document once the text ends: anything still open ends with it, and the root's node is built last. */
function documentOf(root: Frame, stack: OpenStack, rootClosed: boolean): LenientDocument {
  const unclosed = new WeakSet<object>();
  while (stack.length > 0) {
    const frame = stack.pop()!;
    finish(frame, stack.top());
    if (typeof frame.node === 'object') unclosed.add(frame.node);
  }
  const rootNode = root.node ?? {};
  const colon = root.name.indexOf(':');
  return {
    rootName: colon >= 0 ? root.name.slice(colon + 1) : root.name,
    root: typeof rootNode === 'string' ? { _: rootNode } : rootNode,
    complete: rootClosed,
    unclosed,
  };
}

interface Frame {
  name: string;
  attrs: Record<string, string> | null;
  text: string[];
  cdata?: boolean;
  kids: Record<string, XNode[]>;
  node?: XNode;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.:-]*/;

const MODULE_PREFIXES = new Set(
  'atom dc dcterms content media itunes googleplay podcast rdf sy slash wfw georss geo feedburner a10 thr xhtml yt app'.split(
    ' ',
  ),
);

/**
 * The open elements, with a count per name so that a closing tag matching nothing open is
 * dismissed at once. Without the counts, a hostile document of 50,000 unclosed tags followed
 * by 50,000 stray closing tags rescans the whole stack each time (quadratic: half a minute).
 * A search that does find its element pops everything above it, which pays for the scan.
 */
class OpenStack {
  private readonly frames: Frame[] = [];
  private readonly exact = new Map<string, number>();
  private readonly folded = new Map<string, number>();

  get length(): number {
    return this.frames.length;
  }

  top(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  push(frame: Frame): void {
    this.frames.push(frame);
    bump(this.exact, frame.name, 1);
    bump(this.folded, frame.name.toLowerCase(), 1);
  }

  pop(): Frame | undefined {
    const frame = this.frames.pop();
    if (frame) {
      bump(this.exact, frame.name, -1);
      bump(this.folded, frame.name.toLowerCase(), -1);
    }
    return frame;
  }

  /** Index of the innermost open element named `name` (case-insensitively as a second chance: <pubDate>…</pubdate>), or -1. */
  find(name: string): number {
    const frames = this.frames;
    if ((this.exact.get(name) ?? 0) > 0) {
      for (let j = frames.length - 1; j >= 0; j--) if (frames[j]!.name === name) return j;
    }
    const lower = name.toLowerCase();
    if ((this.folded.get(lower) ?? 0) > 0) {
      for (let j = frames.length - 1; j >= 0; j--) if (frames[j]!.name.toLowerCase() === lower) return j;
    }
    return -1;
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n === 0) counts.delete(key);
  else counts.set(key, n);
}

/** Turns a frame into the xml2js-shaped node and attaches it to its parent. */
function finish(frame: Frame, parent: Frame | undefined): void {
  const text = frame.text.join('');
  const hasKids = Object.keys(frame.kids).length > 0;
  let node: XNode;
  if (!hasKids && !frame.attrs) {
    node = text;
  } else {
    const el: XElement = {};
    if (frame.attrs) el.$ = frame.attrs;
    if (text && (frame.cdata || /\S/.test(text))) el._ = text;
    for (const [k, v] of Object.entries(frame.kids)) el[k] = v;
    node = el;
  }
  frame.node = node;
  if (parent) {
    const list = parent.kids[frame.name];
    if (list) list.push(node);
    else parent.kids[frame.name] = [node];
  }
}

function parseAttributes(s: string): Record<string, string> | null {
  let attrs: Record<string, string> | null = null;
  const re = /([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    attrs ??= {};
    attrs[m[1]!] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** End of a start or end tag: the first ">" outside a quoted attribute value. */
function findTagEnd(text: string, lt: number): number {
  let quote = 0;
  for (let j = lt + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if ((c === 34 || c === 39) && /=\s*$/.test(text.slice(Math.max(lt, j - 4), j))) {
      quote = c;
    } else if (c === 62) {
      return j + 1;
    } else if (c === 60 && j > lt + 1) {
      // A new "<" before ">" means the tag was never finished; stop here.
      return j;
    }
  }
  return text.length;
}

/** <!DOCTYPE …> with an optional [internal subset]. */
function skipDeclaration(text: string, lt: number): number {
  let depth = 0;
  for (let j = lt + 2; j < text.length; j++) {
    const c = text[j];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return j + 1;
  }
  return text.length;
}
