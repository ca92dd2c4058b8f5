/**
 * The native addon can also replace some of tfjs's own 'cpu' kernels (the matrix products of Dense
 * layers, ...) with faster ones. Those live beside the addon in src/native/cpu_overrides; this module
 * switches them on while the native implementation is active and off when the TypeScript kernels
 * is chosen (so the TypeScript kernels measure what a machine without the addon gets), and remembers the
 * outcome for info().
 */
import type { NativeAddon } from '../native/addon_types';

export interface CpuOverrideStatus {
  active: boolean;
  /** Kernel names replaced. */
  kernels: string[];
  error: string | null;
}

type OverrideModule = {
  registerNativeCpuOverrides?: (addon?: NativeAddon) => unknown;
  unregisterNativeCpuOverrides?: () => void;
};

let status: CpuOverrideStatus = { active: false, kernels: [], error: null };
let overrideModule: OverrideModule | null | undefined;

export function cpuOverrideStatus(): CpuOverrideStatus {
  return status;
}

/** Loads src/native/cpu_overrides once (a failing require is slow, and kernels ask on every call). */
function loadOverrideModule(): OverrideModule | null {
  if (overrideModule !== undefined) return overrideModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    overrideModule = require('../native/cpu_overrides') as OverrideModule;
  } catch (e) {
    overrideModule = null;
    status = { active: false, kernels: [], error: `native cpu overrides are not available: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  return overrideModule;
}

/** Registers the native 'cpu' overrides (idempotent); records why not when that fails. */
export function activateNativeCpuOverrides(addon: NativeAddon): CpuOverrideStatus {
  if (status.active) return status;
  const mod = loadOverrideModule();
  if (mod === null) return status;
  if (typeof mod.registerNativeCpuOverrides !== 'function') {
    status = { active: false, kernels: [], error: 'native cpu overrides: src/native/cpu_overrides lacks registerNativeCpuOverrides()' };
    return status;
  }
  try {
    const result = mod.registerNativeCpuOverrides(addon);
    const kernels = Array.isArray(result) ? result.filter((k): k is string => typeof k === 'string') : [];
    status = { active: true, kernels, error: null };
  } catch (e) {
    status = { active: false, kernels: [], error: `native cpu overrides failed to register: ${e instanceof Error ? e.message : String(e)}` };
  }
  return status;
}

/** Puts tfjs's own 'cpu' kernels back. */
export function deactivateNativeCpuOverrides(): void {
  if (!status.active) return;
  const mod = loadOverrideModule();
  if (mod !== null && typeof mod.unregisterNativeCpuOverrides === 'function') mod.unregisterNativeCpuOverrides();
  status = { active: false, kernels: [], error: null };
}
