/**
 * Seeds for everything random (initializers, dropout, shuffling). After `setSeed(n)` the sequence of
 * seeds handed out by `nextSeed()` is fixed, so model construction and training are reproducible.
 * Without a seed, seeds come from Math.random.
 */
let state: number | null = null;

/** Fixes the global seed; `null` goes back to unseeded behaviour. */
export function setSeed(seed: number | null): void {
  if (seed !== null && !Number.isFinite(seed)) {
    throw new Error(`setSeed: expected a finite number, got ${String(seed)}.`);
  }
  state = seed === null ? null : Math.floor(seed) >>> 0;
}

/** The seed set with setSeed, or null. */
export function getSeed(): number | null {
  return state;
}

/** A fresh 31-bit seed, derived deterministically from the global seed when one is set. */
export function nextSeed(): number {
  if (state === null) return Math.floor(Math.random() * 0x7fffffff);
  // splitmix32: cheap, well-mixed successive values from a counter.
  state = (state + 0x9e3779b9) >>> 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return z & 0x7fffffff;
}

/** A small deterministic generator of uniform numbers in [0, 1) (mulberry32), for shuffles and masks built in JS. */
export function makeRandom(seed: number = nextSeed()): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
