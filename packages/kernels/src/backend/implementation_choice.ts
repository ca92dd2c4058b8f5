/**
 * Which implementation of the fused kernels runs: the native addon when it loads (the default), the
 * TypeScript kernels otherwise. RECURRENT_KERNELS=native|typescript forces the choice at load time;
 * setImplementation() changes it later.
 */
import { typescriptImplementation } from '../typescript';
import { buildFromSourceHint, loadNative, loadNativeAddon, type NativeLoad } from '../native/load';
import type { Conv1DImplementation } from '../conv1d_spec';
import type { RecurrentImplementation } from '../spec';
import { typescriptConv1D } from '../typescript/conv1d';
import type { RowOpsImplementation } from '../row_ops_spec';
import { typescriptRowOps } from '../typescript/row_ops';
import { SettingError } from './setting_error';
import { activateCpuKernelOverrides } from '../cpu_kernels/register';
import { activateNativeCpuOverrides, deactivateNativeCpuOverrides } from './native_cpu_overrides';

export type ImplementationName = 'native' | 'typescript';

let active: RecurrentImplementation | undefined;
/** Why the TypeScript kernels run although nobody asked for them (the addon did not load), until said once. */
let unannouncedFallback: string | null = null;

function requestedByEnvironment(): ImplementationName | null {
  const raw = (process.env.RECURRENT_KERNELS ?? '').trim().toLowerCase();
  if (raw === '') return null;
  if (raw === 'native' || raw === 'typescript') return raw;
  throw new SettingError(`RECURRENT_KERNELS='${process.env.RECURRENT_KERNELS}' is not understood; use 'native' or 'typescript' (or leave it unset)`);
}

function nativeOrThrow(reason: string): RecurrentImplementation {
  const load: NativeLoad = loadNative();
  if (!load.ok) throw new SettingError(`${reason}, but the native kernels cannot be used: ${load.error}`);
  activateNativeCpuOverrides(load.addon);
  return load.impl;
}

function choose(): RecurrentImplementation {
  // The TypeScript 'cpu' kernel replacements need no addon: on for either implementation.
  activateCpuKernelOverrides();
  const requested = requestedByEnvironment();
  if (requested === 'typescript') return typescriptImplementation;
  if (requested === 'native') return nativeOrThrow('RECURRENT_KERNELS=native asks for the native kernels');
  const load = loadNative();
  if (!load.ok) {
    unannouncedFallback = load.error;
    return typescriptImplementation;
  }
  activateNativeCpuOverrides(load.addon);
  return load.impl;
}

/**
 * The one line a program gets when its first fused kernel runs on the TypeScript kernels because the
 * addon did not load: they are many times slower, and a silent fallback would look like a slow library.
 */
function announceFallback(): void {
  if (unannouncedFallback === null) return;
  const reason = unannouncedFallback;
  unannouncedFallback = null;
  console.warn(
    `[recurrent] native addon not loaded (${reason}); using the TypeScript kernels (same results, many times slower). ` +
      `Build it: ${buildFromSourceHint()}. RECURRENT_KERNELS=typescript silences this.`,
  );
}

/** The implementation the kernels use now (chosen on first use). */
export function activeImplementation(): RecurrentImplementation {
  if (active === undefined) active = choose();
  return active;
}

/** Switches implementation; throws (with the load error) when 'native' cannot load. */
export function setImplementation(which: ImplementationName): void {
  // An explicit choice needs no notice about the automatic one.
  unannouncedFallback = null;
  if (which === 'typescript') {
    active = typescriptImplementation;
    deactivateNativeCpuOverrides();
  } else if (which === 'native') {
    active = nativeOrThrow("setImplementation('native') was called");
  } else {
    throw new Error(`setImplementation: unknown implementation '${String(which)}'; expected 'native' or 'typescript'`);
  }
}

/**
 * The implementation a kernel call should use: the one the op recorded in its attributes (so forward
 * and backward of one call always agree, even if setImplementation() runs in between), else the
 * active one.
 */
export function implementationFor(name: unknown): RecurrentImplementation {
  if (name === undefined || name === null || name === '' || name === 'typescript') {
    const impl = name === 'typescript' ? typescriptImplementation : activeImplementation();
    if (impl === typescriptImplementation) announceFallback();
    return impl;
  }
  if (name === 'native') {
    // Not nativeOrThrow(): a call recorded before setImplementation('typescript') must not switch the
    // cpu overrides back on. The call recorded 'native', so the addon was chosen already: its memoised
    // load, without reading the environment again on every kernel call.
    return recordedNativeLoad().impl;
  }
  throw new Error(`recurrent kernels: unknown implementation '${String(name)}'; expected 'native' or 'typescript'`);
}

/** The addon's load, for a call implementationFor(name) sends to the native implementation. */
function recordedNativeLoad(): Extract<NativeLoad, { ok: true }> {
  const load = loadNativeAddon();
  if (!load.ok) throw new Error(`a kernel call recorded the native implementation, but it cannot be used: ${load.error}`);
  return load;
}

/** The fused 1-D convolution of the same implementation implementationFor(name) gives. */
export function conv1dImplementationFor(name: unknown): Conv1DImplementation {
  return implementationFor(name).name === 'typescript' ? typescriptConv1D : recordedNativeLoad().conv1d;
}

/** The row gathers and window maxima (embedding lookup, max pooling) of the same implementation. */
export function rowOpsFor(name: unknown): RowOpsImplementation {
  return implementationFor(name).name === 'typescript' ? typescriptRowOps : recordedNativeLoad().rowOps;
}
