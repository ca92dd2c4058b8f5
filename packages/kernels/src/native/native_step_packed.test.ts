/**
 * A step's weights packed by block (packStepWeights, native/step_weights.h) give the bits of the step
 * that reads them in place, on every cell, batches of 1 to 3, unit counts whose blocks end mid-vector,
 * every SIMD path, over several steps, and whatever the thread count becomes after packing. Packing is
 * declined where a step reads its weights in one block. The step accepts only what packStepWeights
 * returned, for the same layer sizes. Through the implementation (`impl.step`), a pair of weight arrays
 * is packed the second time it is seen, and new arrays (new weights) are stepped with at once. The
 * forward of a small batch reads the same packed rows, given them, with the same bits: masks, dropout,
 * both directions, and copies packed for blocks other than its own.
 */
import { FORWARD_REQUEST_FIELDS, type ForwardRequest, type ForwardResult, type StepRequest } from '../spec';
import { forEachSimd, requireNative, withThreadedSteps, withThreads as withAddonThreads } from './__tests__/native_fixture';
import { CELL_VARIANTS, randomRequest } from './__tests__/random_requests';
import { sameBits, stepCase } from './__tests__/step_requests';
import type { NativeAddon, PackedStepWeights } from './addon_types';
import { StepWeightsCache } from './step_weights_cache';

const { impl, addon } = requireNative();

const variantName = (v: { cell: string; resetAfter?: boolean }) => v.cell + (v.cell === 'gru' ? ` resetAfter=${v.resetAfter}` : '');

/** Calls the addon's step with the request's fields in order, then `packed`. */
function addonStep(req: StepRequest, packed: PackedStepWeights | null | undefined): void {
  addon.step(req.cell, req.activation, req.recurrentActivation, req.resetAfter, req.batch, req.features, req.units, req.x,
    req.kernel, req.recurrentKernel, req.bias, req.h, req.c, packed);
}

const withStates = (req: StepRequest): StepRequest => ({ ...req, h: req.h.slice(), c: req.c?.slice() ?? null });

/** Steps `req` `steps` times from its states, in place and from `packed`; the states must agree bit for bit after every step. */
function expectPackedSameBits(req: StepRequest, packed: PackedStepWeights, steps: number, where: string): void {
  const inPlace = withStates(req), fromPacked = withStates(req);
  for (let s = 0; s < steps; s++) {
    addonStep(inPlace, null);
    addonStep(fromPacked, packed);
    if (!sameBits(inPlace.h, fromPacked.h)) throw new Error(`${where}, step ${s + 1}: h differs`);
    if (!sameBits(inPlace.c, fromPacked.c)) throw new Error(`${where}, step ${s + 1}: c differs`);
  }
}

const withThreads = <T>(threads: number, fn: () => T): T => withAddonThreads(addon, threads, fn);

const SHAPES = [
  // Two blocks on two threads on every path (AVX2 and scalar: 48 + 48; AVX-512: 64 + 32).
  { batch: 1, features: 9, units: 96 },
  // A last block narrower than a vector.
  { batch: 1, features: 13, units: 37 },
  { batch: 2, features: 5, units: 70 },
  { batch: 3, features: 128, units: 256 },
];

describe('packed step weights', () => {
  test.each(CELL_VARIANTS.map((v) => [variantName(v), v] as const))('%s: the bits of the step that reads its weights in place', (_name, variant) => {
    withThreads(2, () =>
      withThreadedSteps(addon, () =>
        forEachSimd(addon, (level) => {
          SHAPES.forEach((shape, i) => {
            const { step } = stepCase({ ...variant, ...shape, weightScale: 1.2 / Math.sqrt(shape.units), seed: 40 + i });
            const packed = addon.packStepWeights(step.cell, step.features, step.units, step.kernel, step.recurrentKernel);
            if (packed === null) throw new Error(`${level} U=${shape.units}: two threads should split the units into blocks`);
            expectPackedSameBits(step, packed, 4, `${variantName(variant)} ${level} B=${shape.batch} U=${shape.units}`);
            // Packed for two threads, stepped on one: the same blocks, one after the other.
            withThreads(1, () => expectPackedSameBits(step, packed, 2, `${level} U=${shape.units} on one thread`));
          });
        }),
      ),
    );
  });

  test('declined where a step reads its weights in one block', () => {
    const { step } = stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed: 5 });
    withThreads(1, () => withThreadedSteps(addon, () => {
      expect(addon.packStepWeights('lstm', 9, 96, step.kernel, step.recurrentKernel)).toBeNull();
    }));
    // Two threads, but a step this small runs on one (below the parallel threshold).
    const saved = addon.info().minParallelMacsPerStep;
    withThreads(2, () => {
      addon.setMinParallelWork(1e12);
      try {
        expect(addon.packStepWeights('lstm', 9, 96, step.kernel, step.recurrentKernel)).toBeNull();
      } finally {
        addon.setMinParallelWork(saved);
      }
    });
  });

  test('the step refuses anything but packed weights of its own sizes, before writing the state', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      const lstm = stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed: 6 }).step;
      const gru = stepCase({ cell: 'gru', resetAfter: true, batch: 1, features: 9, units: 96, seed: 6 }).step;
      const wider = stepCase({ cell: 'lstm', batch: 1, features: 9, units: 112, seed: 6 }).step;
      const packedGru = addon.packStepWeights('gru', 9, 96, gru.kernel, gru.recurrentKernel)!;
      const packedWider = addon.packStepWeights('lstm', 9, 112, wider.kernel, wider.recurrentKernel)!;
      const cases: [unknown, RegExp][] = [
        [{}, /^packedWeights: expected what packStepWeights returned$/],
        [new Float32Array(4), /^packedWeights: expected what packStepWeights returned$/],
        [42, /^packedWeights: expected what packStepWeights returned$/],
        [packedGru, /^packedWeights: packed for another layer \(9 features, 96 units, cell 2\)/],
        [packedWider, /^packedWeights: packed for another layer \(9 features, 112 units, cell 1\)/],
      ];
      for (const [bad, message] of cases) {
        const req = withStates(lstm);
        expect(() => addonStep(req, bad as PackedStepWeights)).toThrow(message);
        expect(sameBits(req.h, lstm.h)).toBe(true);
        expect(sameBits(req.c, lstm.c)).toBe(true);
      }
      // undefined and null read the weights in place.
      const a = withStates(lstm), b = withStates(lstm);
      addonStep(a, undefined);
      addonStep(b, null);
      expect(sameBits(a.h, b.h)).toBe(true);
    }));
  });

  test('a released copy is freed at once and refused by the step', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      const { step } = stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed: 6 });
      const packed = addon.packStepWeights('lstm', 9, 96, step.kernel, step.recurrentKernel)!;
      addonStep(withStates(step), packed);
      addon.releaseStepWeights(packed);
      addon.releaseStepWeights(packed); // twice is harmless
      const req = withStates(step);
      expect(() => addonStep(req, packed)).toThrow(/^packedWeights: released by releaseStepWeights; pack the weights again$/);
      expect(sameBits(req.h, step.h)).toBe(true);
      for (const bad of [{}, null, 3, step.kernel]) {
        expect(() => addon.releaseStepWeights(bad as unknown as PackedStepWeights)).toThrow(/^releaseStepWeights: expected what packStepWeights returned$/);
      }
    }));
  });

  test('packStepWeights checks its arguments as the step does', () => {
    const { step } = stepCase({ cell: 'lstm', batch: 1, features: 4, units: 5, seed: 3 });
    const pack = (...args: unknown[]) => (addon.packStepWeights as (...a: unknown[]) => unknown)(...args);
    expect(() => pack('lstm', 4, 5, new Float32Array(7), step.recurrentKernel)).toThrow(/^kernel: expected 4x20 = 80 floats, got 7$/);
    expect(() => pack('lstm', 4, 5, step.kernel, new Float32Array(7))).toThrow(/^recurrentKernel: expected 5x20 = 100 floats, got 7$/);
    expect(() => pack('lstm', 4, 5, [1, 2], step.recurrentKernel)).toThrow(/^kernel: expected a Float32Array/);
    expect(() => pack('conv', 4, 5, step.kernel, step.recurrentKernel)).toThrow(/^cell: unknown cell 'conv'/);
    expect(() => pack('lstm', -1, 5, step.kernel, step.recurrentKernel)).toThrow(/^features: /);
    expect(() => pack('lstm', 4, 5, new Float32Array(new SharedArrayBuffer(320)), step.recurrentKernel)).toThrow(/^kernel: arrays over a SharedArrayBuffer/);
    expect(() => pack('lstm', 4)).toThrow(/^packStepWeights: expected \(cell, features, units, kernel, recurrentKernel\)$/);
  });
});

describe('the implementation packs the weights a step sees again', () => {
  /** A cache over the real addon that counts the copies it makes and frees. */
  function countingCache(maxBytes?: number, memoryLimit?: () => number): { cache: StepWeightsCache; packs: () => number; released: PackedStepWeights[] } {
    let packs = 0;
    const released: PackedStepWeights[] = [];
    const cache = new StepWeightsCache({
      packStepWeights: (...args: Parameters<NativeAddon['packStepWeights']>) => {
        packs++;
        return addon.packStepWeights(...args);
      },
      releaseStepWeights: (packed) => {
        released.push(packed);
        addon.releaseStepWeights(packed);
      },
    }, maxBytes, memoryLimit);
    return { cache, packs: () => packs, released };
  }

  const lookup = (cache: StepWeightsCache, r: StepRequest) => cache.packedFor(r.cell, r.features, r.units, r.kernel, r.recurrentKernel);

  test('copies beyond the byte limit are freed oldest first, and their weights read in place from then on', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      // LSTM, 9 features, 96 units: (9 + 96) * 4 * 96 * 4 bytes = 161,280 bytes a copy; room for two.
      const { cache, packs, released } = countingCache(2 * 161_280);
      const layers = [1, 2, 3].map((seed) => stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed }).step);
      const copies = layers.map((layer) => (lookup(cache, layer), lookup(cache, layer)));
      expect(packs()).toBe(3);
      expect(released).toEqual([copies[0]]);
      expect(() => addonStep(withStates(layers[0]), copies[0])).toThrow(/released/);
      // The others are still live and still give the bits of the step in place.
      expect(lookup(cache, layers[1])).toBe(copies[1]);
      expectPackedSameBits(layers[2], copies[2]!, 1, 'live copy');
      // Not packed again: that would free another copy, at every step of a model beyond the limit.
      for (let i = 0; i < 3; i++) expect(lookup(cache, layers[0])).toBeNull();
      expect(packs()).toBe(3);
      // New weights in its place are packed at their second sight, freeing the oldest copy.
      const retrained = { ...layers[0], kernel: layers[0].kernel.slice(), recurrentKernel: layers[0].recurrentKernel.slice() };
      expect(lookup(cache, retrained)).toBeNull();
      const again = lookup(cache, retrained);
      expect(again).not.toBeNull();
      expect(released).toEqual([copies[0], copies[1]]);
      // A copy whose pair is replaced (a new kernel beside the same recurrent kernel) is freed at once.
      lookup(cache, { ...retrained, kernel: retrained.kernel.slice() });
      expect(released).toEqual([copies[0], copies[1], again]);
    }));
  });

  test("the live copies stay within the library's memory limit when it is lower", () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      let limit = 2 * 161_280;
      const { cache, released } = countingCache(undefined, () => limit);
      const layers = [1, 2, 3].map((seed) => stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed }).step);
      const copies = layers.map((layer) => (lookup(cache, layer), lookup(cache, layer)));
      expect(released).toEqual([copies[0]]);
      limit = 161_280; // lowered: the next copy leaves one live
      const fourth = stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed: 4 }).step;
      lookup(cache, fourth);
      lookup(cache, fourth);
      expect(released).toEqual([copies[0], copies[1], copies[2]]);
    }));
  });

  test('a copy beyond the memory limit is not made: the steps read the weights in place', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      const { step } = stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed: 9 });
      const { cache, packs } = countingCache();
      addon.setMemoryLimit(100_000); // a copy takes 161,280 bytes
      try {
        expect(() => addon.packStepWeights('lstm', 9, 96, step.kernel, step.recurrentKernel)).toThrow(/above the limit/);
        for (let i = 0; i < 3; i++) expect(lookup(cache, step)).toBeNull();
        expect(packs()).toBe(1); // tried once, then read in place
        const viaImpl = withStates(step), inPlace = withStates(step);
        for (let i = 0; i < 3; i++) {
          impl.step(viaImpl);
          addonStep(inPlace, null);
        }
        expect(sameBits(viaImpl.h, inPlace.h)).toBe(true);
      } finally {
        addon.setMemoryLimit(0);
      }
    }));
  });

  test('packed at the second sight of the same arrays, once; new arrays start over', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      const { cache, packs } = countingCache();
      const { step } = stepCase({ cell: 'lstm', batch: 1, features: 9, units: 96, seed: 8 });
      const lookup = (r: StepRequest) => cache.packedFor(r.cell, r.features, r.units, r.kernel, r.recurrentKernel);
      expect(lookup(step)).toBeNull();
      expect(packs()).toBe(0);
      const packed = lookup(step);
      expect(packed).not.toBeNull();
      expect(lookup(step)).toBe(packed);
      expect(packs()).toBe(1);
      // New weights (a training step, setWeights) are new arrays: read in place until seen twice.
      const retrained = { ...step, kernel: step.kernel.map((v) => v * 0.5) };
      expect(lookup(retrained)).toBeNull();
      expect(lookup(retrained)).not.toBe(packed);
      expect(packs()).toBe(2);
      // A copy the addon declines is not asked for again.
      const small = stepCase({ cell: 'gru', batch: 1, features: 2, units: 3, seed: 8 }).step;
      for (let i = 0; i < 4; i++) expect(lookup(small)).toBeNull();
      expect(packs()).toBe(3);
      // Arguments the step will refuse are left to the step: no copy, no throw here.
      const broken = { ...step, kernel: new Float32Array(3) };
      expect(lookup(broken)).toBeNull();
      expect(lookup(broken)).toBeNull();
      expect(lookup({ ...step, recurrentKernel: [1, 2] as unknown as Float32Array })).toBeNull();
    }));
  });

  test('impl.step: steps of the same layer, then of new weights, give the bits of steps reading them in place', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      for (const variant of CELL_VARIANTS) {
        const { step } = stepCase({ ...variant, batch: 1, features: 16, units: 80, weightScale: 0.2, seed: 21 });
        const viaImpl = withStates(step), inPlace = withStates(step);
        const first = { kernel: step.kernel, recurrentKernel: step.recurrentKernel };
        // A new kernel beside the same recurrent kernel, then both new.
        const newKernel = { ...first, kernel: step.kernel.map((v) => -v) };
        const retrained = { kernel: newKernel.kernel, recurrentKernel: step.recurrentKernel.map((v) => v * 0.9) };
        for (let s = 0; s < 9; s++) {
          // Three steps with each set of weights (packed from the second on).
          const weights = [first, newKernel, retrained][Math.floor(s / 3)];
          impl.step({ ...viaImpl, ...weights });
          addonStep({ ...inPlace, ...weights }, null);
          expect(sameBits(viaImpl.h, inPlace.h)).toBe(true);
          expect(sameBits(viaImpl.c, inPlace.c)).toBe(true);
        }
      }
    }));
  });
});

describe('the small-batch forward reads packed rows', () => {
  /** The addon's forward with the request's fields in order, then `packed`. */
  const addonForward = (req: ForwardRequest, packed: PackedStepWeights | null): ForwardResult =>
    (addon.forward as (...a: unknown[]) => ForwardResult)(...FORWARD_REQUEST_FIELDS.map((f) => req[f]), packed);

  function expectSameResults(a: ForwardResult, b: ForwardResult, where: string): void {
    for (const key of ['outputs', 'h', 'c', 'workspace'] as const) {
      if (!sameBits(a[key] ?? null, b[key] ?? null)) throw new Error(`${where}: ${key} differs`);
    }
  }

  test.each(CELL_VARIANTS.map((v) => [variantName(v), v] as const))('%s: the bits of the forward that packs them itself', (_name, variant) => {
    const { packedRowsMinSteps, ownedBlocksMaxBatch } = addon.info();
    withThreads(2, () => withThreadedSteps(addon, () => forEachSimd(addon, (level) => {
      const cases = [
        { batch: 1, time: packedRowsMinSteps, units: 96, mask: 'none' as const, dropout: false, saveWorkspace: false },
        { batch: 3, time: 12, units: 37, mask: 'gaps' as const, dropout: true, goBackwards: true, saveWorkspace: true },
        { batch: ownedBlocksMaxBatch, time: 9, units: 70, mask: 'leading' as const, dropout: false, saveWorkspace: true },
      ];
      cases.forEach(({ saveWorkspace, ...shape }, i) => {
        const req = { ...randomRequest({ ...variant, ...shape, features: 11, initialStates: i !== 0, weightScale: 0.3, seed: 60 + i }), saveWorkspace };
        const packed = addon.packStepWeights(req.cell, req.features, req.units, req.kernel, req.recurrentKernel);
        if (packed === null) throw new Error(`${level} U=${req.units}: two threads should split the units into blocks`);
        expectSameResults(addonForward(req, null), addonForward(req, packed), `${variantName(variant)} ${level} B=${req.batch} T=${req.time}`);
      });
    })));
  });

  test('a copy packed for other blocks (another instruction set) is not used, and gives the same bits', () => {
    const supported = addon.info().supported;
    if (!supported.includes('avx2')) return; // the scalar set alone cuts the units one way
    withThreads(2, () => withThreadedSteps(addon, () => {
      // 40 units: the scalar set's 8-wide panels make blocks of 24 + 16, AVX2's 16-wide ones 32 + 8.
      const req = randomRequest({ cell: 'lstm', batch: 1, time: 10, features: 6, units: 40, seed: 71 });
      const saved = addon.info().simd;
      try {
        addon.setSimd('scalar');
        const packed = addon.packStepWeights('lstm', 6, 40, req.kernel, req.recurrentKernel)!;
        expect(packed).not.toBeNull();
        addon.setSimd('avx2');
        expectSameResults(addonForward(req, null), addonForward(req, packed), 'avx2 with scalar blocks');
      } finally {
        addon.setSimd(saved);
      }
    }));
  });

  test('the forward refuses what the step refuses, before computing anything', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      const req = randomRequest({ cell: 'gru', resetAfter: true, batch: 1, time: 10, features: 6, units: 40, seed: 72 });
      const other = randomRequest({ cell: 'lstm', batch: 1, time: 10, features: 6, units: 40, seed: 72 });
      const packedLstm = addon.packStepWeights('lstm', 6, 40, other.kernel, other.recurrentKernel)!;
      expect(() => addonForward(req, {} as PackedStepWeights)).toThrow(/^packedWeights: expected what packStepWeights returned$/);
      expect(() => addonForward(req, packedLstm)).toThrow(/^packedWeights: packed for another layer \(6 features, 40 units, cell 1\)/);
      addon.releaseStepWeights(packedLstm);
      expect(() => addonForward(other, packedLstm)).toThrow(/^packedWeights: released/);
    }));
  });

  test('impl.forward: predictions of the same layer come packed from the second on, with the same bits', () => {
    withThreads(2, () => withThreadedSteps(addon, () => {
      const req = randomRequest({ cell: 'lstm', batch: 2, time: 16, features: 20, units: 80, seed: 73 });
      const expected = addonForward(req, null);
      for (let i = 0; i < 3; i++) expectSameResults(impl.forward(req), expected, `call ${i + 1}`);
      // New weights: new results at once.
      const retrained = { ...req, recurrentKernel: req.recurrentKernel.map((v) => v * 0.5) };
      const expectedRetrained = addonForward(retrained, null);
      for (let i = 0; i < 3; i++) expectSameResults(impl.forward(retrained), expectedRetrained, `retrained, call ${i + 1}`);
    }));
  });
});
