import { describe, expect, it } from 'vitest';
import { FieldIndex } from '../../src/topics/field-index.js';

describe('FieldIndex', () => {
  it('indexes positions for exact and prefix lookups', () => {
    const index = new FieldIndex('Traffickers trafficked people; traffic jams; policies and a policy');
    expect(index.length).toBe(9);
    expect(index.positionsWithPrefix('traffick')).toEqual([0, 1]);
    expect(index.positionsWithPrefix('traffic')).toEqual([0, 1, 3]);
    expect(index.positionsOf('policy')).toEqual([5, 8]);
    // a prefix sees the unfolded form too: "polic" reaches "policies" and "policy"
    expect(index.positionsWithPrefix('polic')).toEqual([5, 8]);
    expect(index.positionsWithPrefix('policie')).toEqual([5]);
    expect(index.positionsOf('nothing')).toEqual([]);
  });
});
