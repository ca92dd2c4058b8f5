/**
 * The native addon can also replace some of tfjs's own 'cpu' kernels (matrix products of Dense
 * layers, softmax cross-entropy, optimizer updates) with faster ones. Those live beside the addon in
 * src/native/cpu_overrides; this module only switches them on and remembers the outcome for info().
 */
import type { NativeAddon } from '../native/addon_types';

export interface CpuOverrideStatus {
  active: boolean;
  /** Kernel names replaced, when the override module reports them. */
  kernels: string[];
  error: string | null;
}

let status: CpuOverrideStatus = { active: false, kernels: [], error: null };

export function cpuOverrideStatus(): CpuOverrideStatus {
  return status;
}

type OverrideModule = { registerNativeCpuOverrides?: (addon?: NativeAddon) => unknown };

/** Registers the native 'cpu' overrides when that module exists; records why not otherwise. */
export function activateNativeCpuOverrides(addon: NativeAddon): CpuOverrideStatus {
  if (status.active) return status;
  let mod: OverrideModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../native/cpu_overrides') as OverrideModule;
  } catch (e) {
    status = { active: false, kernels: [], error: `native cpu overrides are not available: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
    return status;
  }
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
