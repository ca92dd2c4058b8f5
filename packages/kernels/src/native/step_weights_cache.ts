/**
 * Packed copies of the weights of the addon's one-timestep calls (native/step_weights.h), per pair of
 * weight arrays. A generator steps the same layer thousands of times with the same weights; packed, each
 * thread reads its block's weights in one sequential stream instead of a short piece of every gate in
 * every row.
 *
 * Keyed by the arrays themselves. The library passes tensor data, which tfjs never changes in place:
 * new weights (a training step, setWeights, a loaded file) are new arrays, so a pair seen again still
 * holds what was packed. A pair is packed the second time it is seen, so a layer whose weights change
 * between steps (training between predictions) never pays for a copy it would not reuse.
 *
 * The copies live in native memory, freed when their objects are collected, which a synchronous loop
 * may put off indefinitely. So the cache frees them itself: a copy whose pair is replaced at once, and
 * the oldest copies whenever the live ones exceed MAX_PACKED_BYTES, or the library's memory limit when
 * that is lower (backend/memory_limit.ts). A pair whose copy was freed for room is read in place from
 * then on: packing it again would free another, and a model stepping more weights than the limit would
 * copy them at every step.
 */
import { limitToEnforce } from '../backend/memory_limit';
import { GATES, type CellKind } from '../spec';
import type { NativeAddon, PackedStepWeights } from './addon_types';

/** The most memory the live packed copies take together. */
export const MAX_PACKED_BYTES = 256 * 2 ** 20;

interface Entry {
  kernel: Float32Array;
  cell: CellKind;
  features: number;
  units: number;
  /** undefined: not packed yet; null: read in place (no faster packed, or freed for room). */
  packed: PackedStepWeights | null | undefined;
}

export class StepWeightsCache {
  private readonly entries = new WeakMap<Float32Array, Entry>();
  /** The entries holding a copy, oldest first, with the copy's size in bytes. */
  private readonly live = new Map<Entry, number>();
  private liveBytes = 0;

  constructor(
    private readonly addon: Pick<NativeAddon, 'packStepWeights' | 'releaseStepWeights'>,
    private readonly maxBytes = MAX_PACKED_BYTES,
    private readonly memoryLimit: () => number = limitToEnforce,
  ) {}

  /** The packed copy of a step's weights, or null when the step should read them in place. */
  packedFor(cell: CellKind, features: number, units: number, kernel: unknown, recurrentKernel: unknown): PackedStepWeights | null {
    // Anything else is refused by the step itself, with its message.
    if (!(kernel instanceof Float32Array) || !(recurrentKernel instanceof Float32Array)) return null;
    const entry = this.entries.get(recurrentKernel);
    if (entry === undefined || entry.kernel !== kernel || entry.cell !== cell || entry.features !== features || entry.units !== units) {
      if (entry !== undefined) this.release(entry);
      this.entries.set(recurrentKernel, { kernel, cell, features, units, packed: undefined });
      return null;
    }
    if (entry.packed === undefined) this.pack(entry, recurrentKernel);
    return entry.packed ?? null;
  }

  private pack(entry: Entry, recurrentKernel: Float32Array): void {
    try {
      entry.packed = this.addon.packStepWeights(entry.cell, entry.features, entry.units, entry.kernel, recurrentKernel);
    } catch {
      // A copy beyond the memory limit, or arguments the step will refuse with its own message: the
      // step reads the weights in place.
      entry.packed = null;
    }
    if (!entry.packed) return;
    const bytes = (entry.features + entry.units) * GATES[entry.cell] * entry.units * 4;
    this.live.set(entry, bytes);
    this.liveBytes += bytes;
    const cap = Math.min(this.maxBytes, this.memoryLimit());
    for (const [oldest] of this.live) {
      if (this.liveBytes <= cap || oldest === entry) break;
      this.release(oldest);
    }
  }

  /** Frees the entry's copy, if it holds one; the entry is read in place from then on. */
  private release(entry: Entry): void {
    const bytes = this.live.get(entry);
    if (bytes === undefined || !entry.packed) return;
    this.live.delete(entry);
    this.liveBytes -= bytes;
    this.addon.releaseStepWeights(entry.packed);
    entry.packed = null;
  }
}
