import { describe, expect, it } from 'vitest';
import { type PackSection, type Piece, packParts, partLabel } from '../../src/render/split.js';

const p = (name: string, count = 1, chars = 10): Piece<string> => ({ items: [name], cost: { count, chars } });

function section(id: string, entries: number, trailer = false, chars = 10): PackSection<string> {
  return {
    heading: (continued) => p(continued ? `${id}:cont` : `${id}:head`),
    entries: Array.from({ length: entries }, (_, i) => p(`${id}:${i}`, 1, chars)),
    trailer: trailer ? p(`${id}:more`) : null,
  };
}

describe('packParts', () => {
  it('keeps everything in one part when it fits', () => {
    expect(packParts([section('a', 2, true)], { count: 10, chars: 1000 })).toEqual([
      ['a:head', 'a:0', 'a:1', 'a:more'],
    ]);
  });

  it('splits on the count limit and repeats the heading of a continuing section', () => {
    expect(packParts([section('a', 5)], { count: 3, chars: 1000 })).toEqual([
      ['a:head', 'a:0', 'a:1'],
      ['a:cont', 'a:2', 'a:3'],
      ['a:cont', 'a:4'],
    ]);
  });

  it('splits on the character limit', () => {
    const parts = packParts([section('a', 4, false, 40)], { count: 100, chars: 100 });
    expect(parts).toEqual([
      ['a:head', 'a:0', 'a:1'],
      ['a:cont', 'a:2', 'a:3'],
    ]);
  });

  it('never leaves a heading at the end of a part: it moves with the first entry', () => {
    const parts = packParts([section('a', 2), section('b', 2)], { count: 4, chars: 1000 });
    expect(parts).toEqual([
      ['a:head', 'a:0', 'a:1'],
      ['b:head', 'b:0', 'b:1'],
    ]);
  });

  it('keeps the "more" trailer with the last entry', () => {
    const parts = packParts([section('a', 3, true)], { count: 4, chars: 1000 });
    expect(parts).toEqual([
      ['a:head', 'a:0', 'a:1'],
      ['a:cont', 'a:2', 'a:more'],
    ]);
  });

  it('places a section with no entries as heading + trailer, together', () => {
    const parts = packParts([section('a', 3), section('b', 0, true)], { count: 5, chars: 1000 });
    expect(parts).toEqual([
      ['a:head', 'a:0', 'a:1', 'a:2'],
      ['b:head', 'b:more'],
    ]);
  });

  it('returns one empty part for no sections', () => {
    expect(packParts([], { count: 10, chars: 100 })).toEqual([[]]);
  });
});

describe('partLabel', () => {
  it('labels only multi-part digests', () => {
    expect(partLabel(0, 1)).toBe('');
    expect(partLabel(1, 3)).toBe('(2/3)');
  });
});
