// Deterministic randomness without dependencies. The simulated population is drawn in sequence
// from mulberry32; values per person come from a stateless hash of (variable, person, date), so a
// person's value never depends on which dates or which other people were generated alongside.

/** mulberry32 (Tommy Ettinger): a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** lowbias32 (Chris Wellons): a 32-bit integer hash with good avalanche. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a of a string, mixed: turns a variable name into a hash key. */
export function hashString(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}

/** A uniform float in [0, 1) fixed by its three inputs. */
export function uniform3(key: number, a: number, b: number): number {
  return mix32(mix32(mix32(key ^ a) ^ b) + 0x9e3779b9) / 4294967296;
}
