/**
 * The native addon can also replace some of tfjs's own 'cpu' kernels (the matrix products of Dense
 * layers, ...) with faster ones. Those live beside the addon in src/native/cpu_overrides; this module
 * switches them on while the native implementation is active and off when the TypeScript kernels
 * are chosen (so the TypeScript kernels measure what a machine without the addon gets), and remembers the
 * outcome for info().
 */
import type { NativeAddon } from '../native/addon_types';
import { registerNativeCpuOverrides, unregisterNativeCpuOverrides } from '../native/cpu_overrides';
import { setResultRecycler } from '../registration/result_recycling';

export interface CpuOverrideStatus {
  active: boolean;
  /** Kernel names replaced. */
  kernels: string[];
  error: string | null;
}

let status: CpuOverrideStatus = { active: false, kernels: [], error: null };

export function cpuOverrideStatus(): CpuOverrideStatus {
  return status;
}

/** Registers the native 'cpu' overrides (idempotent); records why not when that fails. */
export function activateNativeCpuOverrides(addon: NativeAddon): CpuOverrideStatus {
  if (status.active) return status;
  // Results freed by tfjs go back to the addon's pool at once (registration/result_recycling.ts).
  setResultRecycler((values) => addon.recycleResult(values));
  try {
    status = { active: true, kernels: registerNativeCpuOverrides(addon), error: null };
  } catch (e) {
    status = { active: false, kernels: [], error: `native cpu overrides failed to register: ${e instanceof Error ? e.message : String(e)}` };
  }
  return status;
}

/** Puts tfjs's own 'cpu' kernels back. */
export function deactivateNativeCpuOverrides(): void {
  if (!status.active) return;
  setResultRecycler(null);
  unregisterNativeCpuOverrides();
  status = { active: false, kernels: [], error: null };
}
