/**
 * Batches of in-memory data (arrays, tensors, IndexedData), in passes: a pass is one run through all
 * samples in one order (shuffled with a seed drawn from the global generator, engine/random.ts). An
 * epoch is one pass; with stepsPerEpoch it is that many batches of the current pass, and when the
 * pass ends early the epoch ends there (Keras 3's epoch iterator), the next one starting a new pass.
 *
 * A pass's order is a function of its seed, so the position (seed, batches taken) is all a backup
 * needs to continue in the middle of an epoch with exactly the batches an uninterrupted run would get.
 */
import { makeRandom, nextSeed } from '../engine/random';
import { warn } from './logs';
import { elementToBatch, type Batch, type BatchSource, type DataPosition, type IndexedData, type SampleRows, type Shuffle } from './data_adapter';
import type { ModelLike } from './model_like';

/** Fisher-Yates permutation of 0..n-1. */
function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}

/**
 * The sample order of a pass. shuffle true: a permutation of all samples; 'batch': the samples of each
 * consecutive batch-sized chunk shuffled among themselves (Keras 3's array adapter); false: null (in order).
 */
export function passOrder(numSamples: number, batchSize: number, shuffle: Shuffle, seed: number | null): Int32Array | null {
  if (!shuffle || seed === null) return null;
  const random = makeRandom(seed);
  if (shuffle === true) return permutation(numSamples, random);
  const order = new Int32Array(numSamples);
  for (let start = 0; start < numSamples; start += batchSize) {
    const stop = Math.min(start + batchSize, numSamples);
    order.set(permutation(stop - start, random).map((i) => i + start), start);
  }
  return order;
}

interface Pass {
  seed: number | null;
  order: Int32Array | null;
  /** Batches taken so far. */
  taken: number;
}

class SamplePasses implements BatchSource {
  private pass: Pass | null = null;
  private readonly numBatches: number;

  constructor(
    private readonly rows: SampleRows,
    private readonly batchSize: number,
    private readonly shuffle: Shuffle,
    private readonly steps: number | null,
  ) {
    this.numBatches = Math.ceil(rows.numSamples / batchSize);
  }

  get stepsPerEpoch(): number {
    return this.steps ?? this.numBatches;
  }

  position(): DataPosition {
    const pass = this.pass === null ? null : { seed: this.pass.seed, batch: this.pass.taken };
    return { numSamples: this.rows.numSamples, batchSize: this.batchSize, pass };
  }

  restore(position: DataPosition): void {
    if (position.numSamples !== this.rows.numSamples || position.batchSize !== this.batchSize) {
      throw new Error(
        `the data position belongs to ${position.numSamples} samples in batches of ${position.batchSize}, but fit has ${this.rows.numSamples} samples in batches of ${this.batchSize}.`,
      );
    }
    const p = position.pass;
    if (p === null) {
      this.pass = null;
      return;
    }
    if (!(Number.isInteger(p.batch) && p.batch >= 0 && p.batch <= this.numBatches)) {
      throw new Error(`the data position is at batch ${p.batch} of a pass, but a pass has ${this.numBatches} batches.`);
    }
    if (p.seed !== null && !(Number.isInteger(p.seed) && p.seed >= 0 && p.seed <= 0xffffffff)) {
      throw new Error(`the data position's shuffle seed must be an unsigned 32-bit integer or null, got ${p.seed}.`);
    }
    this.pass = { seed: p.seed, order: passOrder(this.rows.numSamples, this.batchSize, this.shuffle, p.seed), taken: p.batch };
  }

  private startPass(): Pass {
    const seed = this.shuffle ? nextSeed() : null;
    return { seed, order: passOrder(this.rows.numSamples, this.batchSize, this.shuffle, seed), taken: 0 };
  }

  async *epoch(done = 0): AsyncGenerator<Batch> {
    if (done === 0 && (this.pass === null || this.pass.taken >= this.numBatches)) this.pass = this.startPass();
    // A resumed epoch continues its pass; one resumed after its last batch has nothing left to take.
    if (this.pass === null) return;
    const pass = this.pass;
    // Without stepsPerEpoch the epoch is the rest of the pass (all of it unless resumed mid-epoch).
    const wanted = Math.max(0, this.steps === null ? this.numBatches - pass.taken : this.steps - done);
    const available = this.numBatches - pass.taken;
    try {
      for (let i = 0; i < Math.min(wanted, available); i++) {
        const b = pass.taken++;
        const start = b * this.batchSize;
        const stop = Math.min(start + this.batchSize, this.rows.numSamples);
        yield this.rows.take(start, stop, pass.order === null ? null : pass.order.subarray(start, stop));
      }
    } finally {
      // An epoch cut short (stopTraining) leaves its pass: the next epoch starts a new one.
      if (this.steps === null) this.pass = null;
    }
    if (wanted > available && this.steps !== null) {
      warn(`fit: the data ran out after ${done + available} of stepsPerEpoch=${this.steps} batches; the epoch ends here and the next one starts a new pass.`);
    }
  }
}

/** In-memory data in passes (see the file comment). */
export function sampleSource(rows: SampleRows, batchSize: number, shuffle: Shuffle, steps: number | null): BatchSource {
  return new SamplePasses(rows, batchSize, shuffle, steps);
}

/** IndexedData as rows: each batch is what `takeSamples` makes for its indices. */
export function indexedRows(model: ModelLike, data: IndexedData, where: string): SampleRows {
  if (!(Number.isInteger(data.numSamples) && data.numSamples >= 0)) throw new Error(`${where}: numSamples must be a non-negative integer, got ${String(data.numSamples)}.`);
  return {
    numSamples: data.numSamples,
    take: (start, stop, indices) => {
      const rows = indices ?? Int32Array.from({ length: stop - start }, (_, i) => start + i);
      const batch = elementToBatch(model, data.takeSamples(rows), where);
      if (batch.size !== rows.length) {
        batch.owned.forEach((t) => t.dispose());
        throw new Error(`${where}: takeSamples was asked for ${rows.length} samples and returned ${batch.size}.`);
      }
      return batch;
    },
  };
}
