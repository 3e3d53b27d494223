/**
 * The element shape both XML readers hand to the feed mapper, the one xml2js produces (and
 * so rss-parser): attributes under `$`, text under `_`, each child name holding an array of
 * nodes; an element with only text and no attributes is just its string.
 */
export type XNode = string | XElement;
export interface XElement {
  $?: Record<string, string>;
  _?: string;
  [child: string]: XNode[] | Record<string, string> | string | undefined;
}

/** Child elements named `name` (exact spelling first, then case-insensitively for sloppy feeds). */
export function kids(node: XNode | undefined, name: string): XNode[] {
  if (!node || typeof node === 'string') return [];
  const exact = node[name];
  if (Array.isArray(exact)) return exact;
  const lower = name.toLowerCase();
  for (const key of Object.keys(node)) {
    if (key !== '$' && key !== '_' && key.toLowerCase() === lower) {
      const v = node[key];
      if (Array.isArray(v)) return v;
    }
  }
  return [];
}

/** The first child among `names`, in the order given. */
export function first(node: XNode | undefined, ...names: string[]): XNode | undefined {
  for (const name of names) {
    const found = kids(node, name)[0];
    if (found !== undefined) return found;
  }
  return undefined;
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  if (!node || typeof node === 'string') return undefined;
  return node.$?.[name];
}

/**
 * The element's own text (for nodes with children, their text joined too: xhtml content, nested
 * markup). Iterative, not recursive: a hostile feed nests elements 100,000 deep, which would
 * overflow the call stack. Same result as the recursive definition: each node's parts (its own
 * text, then each child's text; a node with neither counts as one empty part) joined by newlines.
 */
export function textOf(node: XNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const parts: string[] = [];
  const pending: XNode[] = [node];
  while (pending.length > 0) {
    const n = pending.pop()!;
    if (typeof n === 'string') {
      parts.push(n);
      continue;
    }
    const children: XNode[] = [];
    for (const key of Object.keys(n)) {
      if (key === '$' || key === '_') continue;
      const v = n[key];
      if (Array.isArray(v)) for (const child of v) children.push(child);
    }
    const own = typeof n._ === 'string';
    if (own) parts.push(n._ as string);
    else if (children.length === 0) parts.push('');
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return parts.join('\n');
}

/** True when the element has element children (as opposed to only text and attributes). */
export function hasChildElements(node: XNode | undefined): boolean {
  if (!node || typeof node === 'string') return false;
  return Object.keys(node).some((k) => k !== '$' && k !== '_');
}
