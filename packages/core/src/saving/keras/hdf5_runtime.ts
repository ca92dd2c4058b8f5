/**
 * The HDF5 library, from the h5wasm package (HDF5's C library compiled to WebAssembly: no native build,
 * and a crafted file can at worst corrupt the WebAssembly instance's own memory, never the process's).
 *
 * h5wasm ships as an ES module only; this package is CommonJS (and its tests run in Jest's CommonJS
 * sandbox), so the package's self-contained IIFE build is evaluated here instead, once, with a console of
 * our own: HDF5 prints its errors to stderr and h5wasm does not turn most of them into exceptions, so the
 * printed diagnostics are collected and every operation checks them (see `checked`). A WebAssembly trap
 * (an "abort") leaves an instance unusable; the next call then starts a fresh one.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Metadata h5wasm reports for a dataset or an attribute. */
export interface H5Metadata {
  /** 0 integer, 1 float, 3 string, others are compound, enum, reference... */
  type: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
  vlen: boolean;
  /** Number of elements. */
  total_size: number;
  shape: number[] | null;
  chunks: number[] | null;
}

export interface H5Attribute {
  metadata: H5Metadata;
  value: unknown;
}

interface H5Node {
  path: string;
  type: string;
  attrs: Record<string, H5Attribute>;
}

export interface H5Group extends H5Node {
  keys(): string[];
  get(path: string): H5Entity | null;
  create_group(name: string): H5Group | null;
  create_dataset(args: { name: string; data: Float32Array | Int32Array; shape: number[]; dtype: string }): H5Dataset | null;
  create_attribute(name: string, data: string | string[] | number): void;
}

export interface H5Dataset extends H5Node {
  metadata: H5Metadata;
  filters: { id: number; name: string }[];
  value: unknown;
}

export interface H5File extends H5Group {
  file_id: bigint;
  close(): number;
}

/** Anything a path can name: groups, datasets, or links that are not followed (`type` says which). */
export type H5Entity = H5Group | H5Dataset | { type: string };

interface H5Library {
  File: new (name: string, mode: 'r' | 'w') => H5File;
  FS: {
    writeFile(name: string, data: Uint8Array): void;
    readFile(name: string): Uint8Array;
    unlink(name: string): void;
  };
  ready: Promise<unknown>;
}

/** One loaded instance and the diagnostics HDF5 printed since they were last taken. */
export interface Hdf5Runtime {
  lib: H5Library;
  /** Runs `fn`; throws with HDF5's own explanation when HDF5 reported an error meanwhile. */
  checked<T>(what: string, fn: () => T): T;
  /** A file name in the in-memory file system, unused so far. */
  scratchName(): string;
}

/** The IIFE build of h5wasm; found on disk because the package's `exports` list only its ES module. */
function h5wasmBundlePath(): string {
  const bases = require.resolve.paths('h5wasm') ?? [];
  for (const base of bases) {
    const candidate = path.join(base, 'h5wasm', 'dist', 'iife', 'h5wasm.js');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('the h5wasm package (HDF5 for reading and writing Keras files) is not installed; reinstall @recurrent/core');
}

/** HDF5's messages say where (file, line) and then what; the "minor" lines say what went wrong. */
function summarize(lines: string[]): string {
  const reasons = lines.map((l) => /minor:\s*(.*)$/.exec(l)?.[1]).filter((m): m is string => m !== undefined);
  const first = lines.map((l) => /#\d+: .* in (\w+)\(\): (.*)$/.exec(l)).find((m) => m !== null);
  const parts = [...new Set([...(first ? [first[2]] : []), ...reasons.slice(-2)])];
  return parts.length > 0 ? parts.join('; ') : lines.slice(0, 2).join(' ');
}

async function start(): Promise<Hdf5Runtime> {
  const code = fs.readFileSync(h5wasmBundlePath(), 'utf8');
  const diagnostics: string[] = [];
  const record = (...args: unknown[]) => {
    if (diagnostics.length < 200) diagnostics.push(args.map(String).join(' '));
  };
  const quietConsole = { ...console, log: () => undefined, info: () => undefined, warn: record, error: record };
  // The bundle defines `var h5wasm`; `console` inside it is the parameter, so HDF5's printing is ours.
  const lib = new Function('console', `${code}\nreturn h5wasm;`)(quietConsole) as H5Library;
  await lib.ready;
  let counter = 0;
  return {
    lib,
    scratchName: () => `/recurrent-${process.pid}-${++counter}.h5`,
    checked<T>(what: string, fn: () => T): T {
      diagnostics.length = 0;
      let result: T;
      try {
        result = fn();
      } catch (e) {
        // A WebAssembly trap (RuntimeError) leaves this instance unusable: the next call starts another.
        if (e instanceof Error && e.name === 'RuntimeError') runtime = null;
        const detail = diagnostics.length > 0 ? summarize(diagnostics) : (e as Error).message;
        diagnostics.length = 0;
        throw new Error(`${what}: ${detail}`);
      }
      if (diagnostics.length > 0) {
        const detail = summarize(diagnostics);
        diagnostics.length = 0;
        throw new Error(`${what}: ${detail}`);
      }
      return result;
    },
  };
}

let runtime: Promise<Hdf5Runtime> | null = null;

/** The HDF5 library, loaded on first use (about half a second). */
export function hdf5(): Promise<Hdf5Runtime> {
  if (runtime === null) {
    runtime = start();
    runtime.catch(() => {
      runtime = null;
    });
  }
  return runtime;
}
