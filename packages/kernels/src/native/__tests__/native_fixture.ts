/** The native addon for its own tests, loaded whatever RECURRENT_KERNELS says. */
import type { RecurrentImplementation } from '../../spec';
import type { NativeAddon, SimdLevel } from '../addon_types';
import { loadNativeAddon } from '../load';

export function requireNative(): { impl: RecurrentImplementation; addon: NativeAddon } {
  const load = loadNativeAddon();
  if (!load.ok) {
    throw new Error(`native addon unavailable (${load.error}); build it with 'node packages/kernels/scripts/build-native.js'`);
  }
  return { impl: load.impl, addon: load.addon };
}

/** Runs fn once per SIMD path this CPU supports, restoring automatic selection afterwards. */
export function forEachSimd(addon: NativeAddon, fn: (level: SimdLevel) => void): void {
  try {
    for (const level of addon.info().supported) {
      addon.setSimd(level);
      fn(level);
    }
  } finally {
    addon.setSimd('auto');
  }
}

/** fn's result with the addon on `threads` threads, restoring the count afterwards. */
export function withThreads<T>(addon: NativeAddon, threads: number, fn: () => T): T {
  const saved = addon.info().threads;
  addon.setThreads(threads);
  try {
    return fn();
  } finally {
    addon.setThreads(saved);
  }
}

/** Runs fn with the time loop threaded however small the problem (the multi-threaded path). */
export function withThreadedSteps(addon: NativeAddon, fn: () => void): void {
  const saved = addon.info().minParallelMacsPerStep;
  addon.setMinParallelWork(0);
  try {
    fn();
  } finally {
    addon.setMinParallelWork(saved);
  }
}
