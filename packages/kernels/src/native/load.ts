/**
 * Loads the native addon once. Never throws: any failure (no prebuilt binary for this platform and no
 * build from source, an ABI or libc mismatch, RECURRENT_KERNELS=typescript) becomes `{ ok: false, error }`,
 * and the caller falls back to the TypeScript kernels.
 *
 * node-gyp-build looks for the addon in the package's build/Release (a build from source: the install
 * script, `recurrent build-native`) before prebuilds/<platform>-<arch>/ (the binaries the package ships),
 * so a build from source, when present, wins.
 */
import { enforceMemoryLimit } from '../backend/memory_limit';
import * as path from 'path';
import type { Conv1DImplementation } from '../conv1d_spec';
import type { RowOpsImplementation } from '../row_ops_spec';
import type { RecurrentImplementation } from '../spec';
import type { NativeAddon } from './addon_types';
import { createNativeConv1D, createNativeImplementation, createNativeRowOps } from './native_implementation';

export type { NativeAddon } from './addon_types';

/** Where the loaded addon came from: a binary shipped in the package, or a local build from source. */
export type NativeSource = 'prebuild' | 'built from source';

export type NativeLoad =
  | {
      ok: true; impl: RecurrentImplementation; conv1d: Conv1DImplementation; rowOps: RowOpsImplementation; addon: NativeAddon; file: string;
      source: NativeSource;
    }
  | { ok: false; error: string };

/** Bumped together with ADDON_VERSION in native/addon.cc, so a stale build is not used. */
const EXPECTED_ADDON_VERSION = 12;
const REQUIRED_FUNCTIONS = [
  'info', 'setSimd', 'setThreads', 'setMinParallelWork', 'setMaxSparseInputDensity', 'workspaceSize', 'forward', 'backward', 'gemm',
  'tfjsMatMul', 'recycleResult', 'setMemoryLimit', 'conv1dForward', 'conv1dBackward', 'optimizerUpdate', 'step', 'packStepWeights', 'releaseStepWeights',
  'gatherRows', 'scatterAddRows', 'maxPool1dForward', 'maxPool1dBackward', 'softmaxRows',
] as const;

// src/native/ and dist/native/ both sit two levels below the package directory.
const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

type NodeGypBuild = ((dir: string) => unknown) & { resolve(dir: string): string };

let memo: NativeLoad | undefined;

export function loadNative(): NativeLoad {
  if ((process.env.RECURRENT_KERNELS ?? '').toLowerCase() === 'typescript') {
    return { ok: false, error: 'the native kernels are disabled by RECURRENT_KERNELS=typescript' };
  }
  return loadNativeAddon();
}

/** The addon whatever RECURRENT_KERNELS says (its own tests and benchmarks use it). Memoised; never throws. */
export function loadNativeAddon(): NativeLoad {
  if (memo === undefined) memo = tryLoad();
  return memo;
}

/** The commands that build the addon from source, for messages (`recurrent build-native` needs @recurrent/cli). */
export function buildFromSourceHint(): string {
  return `npx recurrent build-native (or: node ${path.join(PACKAGE_DIR, 'scripts', 'build-native.js')})`;
}

function sourceOf(file: string): NativeSource {
  // build/Release or build/Debug; anything else node-gyp-build finds is a prebuilt binary.
  return path.relative(PACKAGE_DIR, file).split(path.sep)[0] === 'build' ? 'built from source' : 'prebuild';
}

function tryLoad(): NativeLoad {
  let file: string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    file = (require('node-gyp-build') as NodeGypBuild).resolve(PACKAGE_DIR);
  } catch (e) {
    // "No native build was found for platform=... arch=... libc=..." (the second line is the folder).
    return { ok: false, error: firstLine(e) };
  }
  const source = sourceOf(file);
  const rebuild = `build it from source: ${buildFromSourceHint()}`;
  try {
    // A compiled addon, opened as require() opens .node files (no module of ours is loaded by path).
    const holder = { exports: {} as unknown };
    process.dlopen(holder, file);
    const addon = holder.exports as Partial<NativeAddon> & { info?: () => { version?: number } };
    for (const fn of REQUIRED_FUNCTIONS) {
      if (typeof addon[fn] !== 'function') return { ok: false, error: `the native addon ${file} lacks '${fn}'; ${rebuild}` };
    }
    const full = addon as NativeAddon;
    const version = full.info().version;
    if (version !== EXPECTED_ADDON_VERSION) {
      return { ok: false, error: `the native addon ${file} is version ${version}, expected ${EXPECTED_ADDON_VERSION}; ${rebuild}` };
    }
    if (typeof full.requestFields !== 'object' || full.requestFields === null) {
      return { ok: false, error: `the native addon ${file} lacks 'requestFields'; ${rebuild}` };
    }
    enforceMemoryLimit((bytes) => full.setMemoryLimit(bytes));
    return {
      ok: true, impl: createNativeImplementation(full), conv1d: createNativeConv1D(full), rowOps: createNativeRowOps(full), addon: full, file,
      source,
    };
  } catch (e) {
    return { ok: false, error: `the native addon ${file} (${source}) could not be loaded: ${firstLine(e)}` };
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].trim();
}
