/**
 * MinHash signatures and LSH banding for candidate retrieval. Two texts whose feature sets
 * have Jaccard similarity J agree on one MinHash value with probability J, so on a band of R
 * values with probability J^R, and share at least one of B bands with 1 - (1 - J^R)^B.
 * With R = 2 and B = 64 a pair at J = 0.2 becomes a candidate 93% of the time, at J = 0.3
 * 99.8%, while unrelated pairs (J near 0.02) collide about 2.5% of the time, so the candidate
 * set stays small however many stories the window holds. On the real day file this finds 94%
 * of the joins an exhaustive scan finds, verifying about 17 stories per item instead of ~1,500
 * (bench/results/cluster.md); 32 bands found 85%.
 */

export const NUM_HASHES = 128;
export const ROWS_PER_BAND = 2;
export const NUM_BANDS = NUM_HASHES / ROWS_PER_BAND;

/** A deterministic 32-bit hash of a string (FNV-1a followed by a murmur finalizer). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** MinHash signature of a feature set; an empty set gives all 0xffffffff (matches nothing useful). */
export function minhashSignature(features: Iterable<string>): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (const f of features) {
    const base = hashString(f);
    for (let i = 0; i < NUM_HASHES; i++) {
      // Independent-enough permutations: re-mix the base hash with a per-row seed.
      const v = mix32(base ^ SEEDS[i]!) >>> 0;
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/**
 * Band hashes of a signature: one signed 32-bit integer per band (signed so that it fits
 * SQLite's INTEGER and JavaScript's number exactly). Empty signatures give no bands.
 */
export function bandHashes(sig: Uint32Array): number[] {
  if (sig.every((v) => v === 0xffffffff)) return [];
  const out: number[] = [];
  for (let b = 0; b < NUM_BANDS; b++) {
    let h = 0x9e3779b9 ^ b;
    for (let r = 0; r < ROWS_PER_BAND; r++) h = mix32(h ^ sig[b * ROWS_PER_BAND + r]!);
    out.push(h | 0);
  }
  return out;
}

export function signatureToBuffer(sig: Uint32Array): Buffer {
  return Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength);
}

function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS: number[] = Array.from({ length: NUM_HASHES }, (_, i) => mix32(0x5bd1e995 + i * 0x27d4eb2d));

/**
 * At most this many candidate stories are verified per item: those sharing the most bands (the
 * MinHash estimate of overlap). Boilerplate shared by many items in one window would otherwise
 * make every item verify against every story (quadratic); on a real day the average is ~17.
 */
export const MAX_CANDIDATES = 64;
