/**
 * Loads the native addon once. Never throws: any failure (no compiler at install time, an ABI
 * mismatch, RECURRENT_KERNELS=typescript) becomes `{ ok: false, error }`, and the caller falls back
 * to the TypeScript kernels.
 */
import * as path from 'path';
import type { RecurrentImplementation } from '../spec';
import type { NativeAddon } from './addon_types';
import { createNativeImplementation } from './native_implementation';

export type { NativeAddon } from './addon_types';

export type NativeLoad = { ok: true; impl: RecurrentImplementation; addon: NativeAddon } | { ok: false; error: string };

/** Bumped together with ADDON_VERSION in native/addon.cc, so a stale build is not used. */
const EXPECTED_ADDON_VERSION = 3;
const REQUIRED_FUNCTIONS = ['info', 'setSimd', 'setThreads', 'setMinParallelWork', 'workspaceSize', 'forward', 'backward', 'gemm'] as const;

// src/native/ and dist/native/ both sit two levels below the package directory.
const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

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

function tryLoad(): NativeLoad {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    const addon = nodeGypBuild(PACKAGE_DIR) as Partial<NativeAddon> & { info?: () => { version?: number } };
    for (const fn of REQUIRED_FUNCTIONS) {
      if (typeof addon[fn] !== 'function') {
        return { ok: false, error: `the native addon in ${PACKAGE_DIR} lacks '${fn}'; rebuild it with 'node scripts/build-native.js'` };
      }
    }
    const full = addon as NativeAddon;
    const version = full.info().version;
    if (version !== EXPECTED_ADDON_VERSION) {
      return {
        ok: false,
        error: `the native addon in ${PACKAGE_DIR} is version ${version}, expected ${EXPECTED_ADDON_VERSION}; rebuild it with 'node scripts/build-native.js'`,
      };
    }
    if (typeof full.requestFields !== 'object' || full.requestFields === null) {
      return { ok: false, error: `the native addon in ${PACKAGE_DIR} lacks 'requestFields'; rebuild it with 'node scripts/build-native.js'` };
    }
    return { ok: true, impl: createNativeImplementation(full), addon: full };
  } catch (e) {
    return { ok: false, error: `the native addon could not be loaded: ${e instanceof Error ? e.message : String(e)}` };
  }
}
