/** What runs the kernels: the tfjs backend, the kernel implementation, and the native addon's setup. */
import * as tf from '@tensorflow/tfjs';
import { cpuKernelOverridesActive } from '../cpu_kernels/register';
import { loadNative } from '../native/load';
import { registeredBackends } from '../registration/register';
import { activeImplementation } from './implementation_choice';
import { cpuOverrideStatus } from './native_cpu_overrides';
import { loadTfjsNode } from './tfjs_node';

export interface KernelsInfo {
  /** The active tfjs backend ('cpu', or 'tensorflow' with tfjs-node). */
  backend: string;
  implementation: 'native' | 'typescript';
  /**
   * Where the active implementation came from: the binary shipped in the package ('prebuild'), a local
   * build ('built from source': the install script or `recurrent build-native`), or 'typescript'.
   */
  implementationSource: 'prebuild' | 'built from source' | 'typescript';
  /** The native addon's file when it loaded (also while the TypeScript kernels are chosen), else null. */
  nativeFile: string | null;
  /** Why the native addon is not available, or null when it loaded. */
  nativeError: string | null;
  /** Threads the active implementation uses (1 for the TypeScript kernels). */
  threads: number;
  /** SIMD code path of the native kernels ('none' for the TypeScript kernels). */
  simd: string;
  tfjsVersion: string;
  tfjsNode: boolean;
  /** Why tfjs-node is not used, or null when it loaded. */
  tfjsNodeError: string | null;
  /** Whether native implementations replace some of tfjs's own 'cpu' kernels (Dense matmul, ...). */
  nativeCpuOverrides: boolean;
  /** tfjs 'cpu' kernels replaced by faster TypeScript ones (Add, Multiply, Slice, ...; any implementation). */
  cpuKernelOverrides: string[];
  /** The tfjs backends the fused kernels are registered for. */
  kernelBackends: string[];
}

export function info(): KernelsInfo {
  const load = loadNative();
  const impl = activeImplementation();
  const addonInfo = load.ok && impl.name === 'native' ? load.addon.info() : null;
  const tfjsNode = loadTfjsNode();
  return {
    backend: tf.getBackend(),
    implementation: impl.name,
    implementationSource: load.ok && impl.name === 'native' ? load.source : 'typescript',
    nativeFile: load.ok ? load.file : null,
    nativeError: load.ok ? null : load.error,
    threads: addonInfo === null ? 1 : addonInfo.threads,
    simd: addonInfo === null ? 'none' : addonInfo.simd,
    tfjsVersion: tf.version.tfjs,
    tfjsNode: tfjsNode.loaded,
    tfjsNodeError: tfjsNode.error,
    nativeCpuOverrides: cpuOverrideStatus().active,
    cpuKernelOverrides: cpuKernelOverridesActive(),
    kernelBackends: registeredBackends(),
  };
}
