/**
 * Cases for the tests that compare a threaded time loop with the loop on one thread (owned unit blocks,
 * blocks of batch rows): a case's options vary with its index k, so that a list of cases covers every
 * activation pair, mask, go_backwards, zero_output_for_mask, dropout, initial states and bias.
 */
import type { ForwardRequest } from '../../spec';
import type { NativeAddon } from '../addon_types';
import { forEachSimd, withThreadedSteps, withThreads } from './native_fixture';
import { ACTIVATION_PAIRS, randomRequest, withOneHotInputs, type CaseOptions } from './random_requests';

const MASKS = ['none', 'gaps', 'fullRow', 'leading'] as const;

export interface ThreadedCase {
  options: CaseOptions;
  returnSequences: boolean;
  saveWorkspace: boolean;
  oneHot: boolean;
}

/** The shape of a case; the rest of its options follow from k. */
export interface CaseShape {
  batch: number;
  time: number;
  features: number;
  units: number;
  seed: number;
}

export function variedCase(variant: CaseOptions, k: number, shape: CaseShape, oneHot: boolean, saveWorkspace: boolean): ThreadedCase {
  return {
    options: {
      ...variant,
      ...ACTIVATION_PAIRS[k % ACTIVATION_PAIRS.length],
      ...shape,
      mask: MASKS[(k >> 1) % MASKS.length],
      goBackwards: k % 3 === 1,
      zeroOutputForMask: k % 5 === 2,
      dropout: k % 4 === 3,
      initialStates: k % 2 === 0,
      bias: k % 7 !== 4,
      weightScale: 1.2 / Math.sqrt(shape.units),
    },
    returnSequences: k % 3 !== 2,
    saveWorkspace,
    oneHot,
  };
}

export function threadedRequest(c: ThreadedCase): ForwardRequest {
  const req = { ...randomRequest(c.options), returnSequences: c.returnSequences, saveWorkspace: c.saveWorkspace };
  return c.oneHot ? withOneHotInputs(req, c.options.seed! + 1) : req;
}

export function describeThreadedCase(c: ThreadedCase): string {
  const o = c.options;
  return `${o.cell}${o.cell === 'gru' ? ` resetAfter=${o.resetAfter}` : ''} B=${o.batch} T=${o.time} F=${o.features} U=${o.units} ` +
    `${o.activation}/${o.recurrentActivation} mask=${o.mask}${o.goBackwards ? ' backwards' : ''}${o.dropout ? ' dropout' : ''}` +
    `${c.returnSequences ? ' sequences' : ''}${c.saveWorkspace ? ' workspace' : ''}${c.oneHot ? ' one-hot' : ''}`;
}

/**
 * Runs each case's request on one thread (the reference) and on each of `threadCounts`, with the loop threaded
 * however small, on every SIMD path; throws naming the case, path and thread count where `firstDifference`
 * finds a difference from the reference.
 */
export function expectSameAsOneThread<R>(
  addon: NativeAddon, cases: ThreadedCase[], threadCounts: number[], run: (req: ForwardRequest) => R,
  firstDifference: (actual: R, expected: R) => string | null,
): void {
  withThreadedSteps(addon, () =>
    forEachSimd(addon, (level) => {
      for (const c of cases) {
        const req = threadedRequest(c);
        const reference = withThreads(addon, 1, () => run(req));
        for (const threads of threadCounts) {
          const differs = firstDifference(withThreads(addon, threads, () => run(req)), reference);
          if (differs) throw new Error(`${describeThreadedCase(c)} ${level} ${threads} threads: ${differs} differs from one thread`);
        }
      }
    }),
  );
}
