/**
 * Registers the TypeScript replacements of tfjs 'cpu' kernels (float32 binary and unary arithmetic,
 * comparisons, LogicalAnd, Slice, PadV2, Softmax) in place of tfjs's own, keeping each original for the cases it still handles and
 * for unregistering. Plain TypeScript, so unlike the native overrides they need no addon.
 *
 * RECURRENT_CPU_KERNELS=tfjs keeps tfjs's own kernels (for measuring the difference); unset or
 * 'fast' uses the replacements.
 */
import * as tf from '@tensorflow/tfjs';
import { BINARY_KERNEL_NAMES, binaryKernelConfig } from './binary_kernels';
import type { KernelConfig } from './cpu_backend';
import { padKernelConfig } from './pad_kernel';
import { sliceKernelConfig } from './slice_kernel';
import { softmaxKernelConfig } from './softmax_kernel';
import { UNARY_KERNEL_NAMES, unaryKernelConfig } from './unary_kernels';

const BACKEND = 'cpu';
const originals = new Map<string, KernelConfig>();

const builders: Record<string, (original: KernelConfig) => KernelConfig> = {
  ...Object.fromEntries(BINARY_KERNEL_NAMES.map((name) => [name, binaryKernelConfig])),
  ...Object.fromEntries(UNARY_KERNEL_NAMES.map((name) => [name, unaryKernelConfig])),
  Slice: sliceKernelConfig,
  PadV2: padKernelConfig,
  Softmax: softmaxKernelConfig,
};

/** Registers the replacements (idempotent) and returns the kernel names replaced. */
export function registerCpuKernelOverrides(): string[] {
  for (const [name, build] of Object.entries(builders)) {
    if (originals.has(name)) continue;
    const original = tf.getKernel(name, BACKEND);
    if (!original) continue; // no 'cpu' kernel of that name to replace
    const replacement = build(original);
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel(replacement);
    originals.set(name, original);
  }
  return [...originals.keys()];
}

/** Restores tfjs's own kernels. */
export function unregisterCpuKernelOverrides(): void {
  for (const [name, original] of originals) {
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel(original);
  }
  originals.clear();
}

/** Names of the kernels replaced now. */
export function cpuKernelOverridesActive(): string[] {
  return [...originals.keys()];
}

/** Whether the environment asks for the replacements (RECURRENT_CPU_KERNELS unset or 'fast'). */
export function cpuKernelOverridesWanted(): boolean {
  const raw = (process.env.RECURRENT_CPU_KERNELS ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'fast') return true;
  if (raw === 'tfjs') return false;
  throw new Error(`RECURRENT_CPU_KERNELS='${process.env.RECURRENT_CPU_KERNELS}' is not understood; use 'fast' or 'tfjs' (or leave it unset)`);
}

/** Registers the replacements unless RECURRENT_CPU_KERNELS=tfjs; returns the names replaced. */
export function activateCpuKernelOverrides(): string[] {
  return cpuKernelOverridesWanted() ? registerCpuKernelOverrides() : cpuKernelOverridesActive();
}
