/**
 * Platform-neutral splitting of a rendered digest into message parts. Each platform turns its sections into
 * pieces (a heading, one piece per entry, an optional "…and N more" trailer) with a cost; the packer fills parts
 * in order and never splits a piece, so an entry is never cut across messages.
 */

export interface Cost {
  /** Embeds on Discord, blocks on Slack. */
  count: number;
  chars: number;
}

export interface Piece<T> {
  items: T[];
  cost: Cost;
}

export interface PackSection<T> {
  /** `continued` is true when the section resumes at the top of a new part. */
  heading: (continued: boolean) => Piece<T>;
  entries: Piece<T>[];
  trailer: Piece<T> | null;
}

/**
 * Greedy, order-preserving packing. The heading travels with the section's first entry and the trailer with its
 * last, so a part never ends on a bare heading; a section that continues into a new part gets its heading again.
 * Renderers size entries so that heading + entry + trailer always fit in an empty part.
 */
export function packParts<T>(sections: PackSection<T>[], capacity: Cost): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
  let used: Cost = { count: 0, chars: 0 };

  const fits = (atom: Piece<T>[]) => {
    const c = total(atom);
    return used.count + c.count <= capacity.count && used.chars + c.chars <= capacity.chars;
  };
  const add = (atom: Piece<T>[]) => {
    for (const p of atom) current.push(...p.items);
    const c = total(atom);
    used = { count: used.count + c.count, chars: used.chars + c.chars };
  };

  for (const section of sections) {
    const n = section.entries.length;
    const trailer = section.trailer ? [section.trailer] : [];
    if (n === 0) {
      const atom = [section.heading(false), ...trailer];
      if (!fits(atom) && current.length > 0) {
        parts.push(current);
        current = [];
        used = { count: 0, chars: 0 };
      }
      add(atom);
      continue;
    }
    section.entries.forEach((entry, i) => {
      const tail = i === n - 1 ? trailer : [];
      const atom = i === 0 ? [section.heading(false), entry, ...tail] : [entry, ...tail];
      if (fits(atom) || current.length === 0) {
        add(atom);
        return;
      }
      parts.push(current);
      current = [];
      used = { count: 0, chars: 0 };
      add(i === 0 ? atom : [section.heading(true), entry, ...tail]);
    });
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts;
}

/** "(2/3)" on multi-part digests, nothing on a single message. */
export function partLabel(index: number, count: number): string {
  return count > 1 ? `(${index + 1}/${count})` : '';
}

function total(pieces: Piece<unknown>[]): Cost {
  return pieces.reduce((acc, p) => ({ count: acc.count + p.cost.count, chars: acc.chars + p.cost.chars }), {
    count: 0,
    chars: 0,
  });
}
