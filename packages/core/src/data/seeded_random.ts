/**
 * A small, fast, seedable pseudo-random generator (a 32-bit "splitmix"-style mixer over a Weyl
 * sequence) whose whole state is one 32-bit integer, so it can be saved in a checkpoint and restored
 * exactly. Used for shuffling, splits and sampling; not for cryptography.
 */
export class SeededRandom {
  private counter: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`SeededRandom: seed must be a finite number, got ${seed}`);
    this.counter = hashSeed(seed);
  }

  /** The internal state: `SeededRandom.fromState(r.state)` continues exactly where `r` is. */
  get state(): number {
    return this.counter;
  }

  static fromState(state: number): SeededRandom {
    const random = new SeededRandom(0);
    random.counter = state >>> 0;
    return random;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    this.counter = (this.counter + 0x9e3779b9) >>> 0;
    return mix32(this.counter);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`SeededRandom.nextInt: n must be a positive integer, got ${n}`);
    // Rejection sampling removes the modulo bias for n that do not divide 2^32.
    const limit = 4294967296 - (4294967296 % n);
    let value = this.nextUint32();
    while (value >= limit) value = this.nextUint32();
    return value % n;
  }
}

/** Murmur3's 32-bit finaliser: a bijective avalanche mix. */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function hashSeed(seed: number): number {
  // Fold the low and high 32 bits, so seeds above 2^32 still differ.
  const low = seed >>> 0;
  const high = Math.floor(Math.abs(seed) / 4294967296) >>> 0;
  return mix32(low ^ mix32(high + 0x632be5ab));
}

/**
 * A seed derived from a base seed and labels (e.g. `deriveSeed(seed, 'shuffle', epoch)`): different
 * labels give independent streams, the same labels give the same seed.
 */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = hashSeed(seed);
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = mix32((h ^ text.charCodeAt(i)) + 0x9e3779b9);
    h = mix32(h + 0x7f4a7c15);
  }
  return h;
}

/** A permutation of 0..n-1 (Fisher-Yates), the same for the same seed. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`shuffledIndices: n must be a non-negative integer, got ${n}`);
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  const random = new SeededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}

export interface SplitOptions {
  /** Fraction of the samples held out for validation, in [0, 1). */
  validationSplit: number;
  /** Shuffle before splitting (default true). Time series should keep their order (false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
}

export interface Split {
  train: Int32Array;
  validation: Int32Array;
}

/**
 * Indices of a train/validation split. As in Keras's `validation_split`, the validation part is the
 * last `floor`-rounded fraction (`splitAt = floor(n * (1 - validationSplit))`), taken after the
 * optional seeded shuffle.
 */
export function trainValidationSplit(n: number, options: SplitOptions): Split {
  const { validationSplit, shuffle = true, seed = 0 } = options;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new RangeError(`trainValidationSplit: validationSplit must be in [0, 1), got ${validationSplit}`);
  }
  let order: Int32Array;
  if (shuffle) order = shuffledIndices(n, seed);
  else order = Int32Array.from({ length: n }, (_, i) => i);
  const splitAt = Math.floor(n * (1 - validationSplit));
  return { train: order.slice(0, splitAt), validation: order.slice(splitAt) };
}
