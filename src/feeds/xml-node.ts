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

/** The element's own text (for nodes with children, their text joined too: xhtml content, nested markup). */
export function textOf(node: XNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const parts: string[] = [];
  if (typeof node._ === 'string') parts.push(node._);
  for (const key of Object.keys(node)) {
    if (key === '$' || key === '_') continue;
    const v = node[key];
    if (Array.isArray(v)) for (const child of v) parts.push(textOf(child));
  }
  return parts.join('\n');
}

/** True when the element has element children (as opposed to only text and attributes). */
export function hasChildElements(node: XNode | undefined): boolean {
  if (!node || typeof node === 'string') return false;
  return Object.keys(node).some((k) => k !== '$' && k !== '_');
}
