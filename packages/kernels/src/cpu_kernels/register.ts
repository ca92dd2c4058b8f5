/**
 * Registers the TypeScript replacements of tfjs 'cpu' kernels (float32 binary and unary arithmetic,
 * comparisons, LogicalAnd, Slice, PadV2, Softmax, Sum, Cast to float32) in place of tfjs's own, keeping each original for the cases it still handles and
 * for unregistering. Plain TypeScript, so unlike the native overrides they need no addon.
 *
 * RECURRENT_CPU_KERNELS=tfjs keeps tfjs's own kernels (for measuring the difference); unset or
 * 'fast' uses the replacements.
 */
import { BINARY_KERNEL_NAMES, binaryKernelConfig } from './binary_kernels';
import { castKernelConfig } from './cast_kernel';
import { KernelOverrideSet, type KernelBuilder } from '../backend/kernel_override_set';
import { SettingError } from '../backend/setting_error';
import { padKernelConfig } from './pad_kernel';
import { sliceKernelConfig } from './slice_kernel';
import { softmaxKernelConfig } from './softmax_kernel';
import { sumKernelConfig } from './sum_kernel';
import { UNARY_KERNEL_NAMES, unaryKernelConfig } from './unary_kernels';

const overrides = new KernelOverrideSet('cpu');

const builders: Record<string, KernelBuilder> = {
  ...Object.fromEntries(BINARY_KERNEL_NAMES.map((name) => [name, binaryKernelConfig])),
  ...Object.fromEntries(UNARY_KERNEL_NAMES.map((name) => [name, unaryKernelConfig])),
  Slice: sliceKernelConfig,
  PadV2: padKernelConfig,
  Softmax: softmaxKernelConfig,
  Sum: sumKernelConfig,
  Cast: castKernelConfig,
};

/** Registers the replacements (idempotent) and returns the kernel names replaced. */
export function registerCpuKernelOverrides(): string[] {
  return overrides.register(builders);
}

/** Restores tfjs's own kernels. */
export function unregisterCpuKernelOverrides(): void {
  overrides.unregister();
}

/** Names of the kernels replaced now. */
export function cpuKernelOverridesActive(): string[] {
  return overrides.active();
}

/** Whether the environment asks for the replacements (RECURRENT_CPU_KERNELS unset or 'fast'). */
export function cpuKernelOverridesWanted(): boolean {
  const raw = (process.env.RECURRENT_CPU_KERNELS ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'fast') return true;
  if (raw === 'tfjs') return false;
  throw new SettingError(`RECURRENT_CPU_KERNELS='${process.env.RECURRENT_CPU_KERNELS}' is not understood; use 'fast' or 'tfjs' (or leave it unset)`);
}

/** Registers the replacements unless RECURRENT_CPU_KERNELS=tfjs; returns the names replaced. */
export function activateCpuKernelOverrides(): string[] {
  return cpuKernelOverridesWanted() ? registerCpuKernelOverrides() : cpuKernelOverridesActive();
}
