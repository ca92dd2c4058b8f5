/**
 * Reading an HDF5 file (Keras weights) with every size checked before HDF5 allocates anything: a dataset
 * or attribute may declare a shape far beyond what the file holds, so what it declares is compared with
 * the file's size (uncompressed data cannot be larger than the file; compressed data gets a bounded ratio)
 * before it is read. Links are never followed: a path that names one is reported as such.
 */
import { hdf5, type H5Dataset, type H5Entity, type H5File, type H5Group, type H5Metadata, type Hdf5Runtime } from './hdf5_runtime';

export interface Hdf5Limits {
  /** Largest dataset accepted, in bytes once read. */
  maxDatasetBytes: number;
  /** Compressed (filtered) data may expand to at most this many times the file's size. */
  maxCompressionRatio: number;
}

/** What a path names in the file. */
export type Hdf5Kind = 'group' | 'dataset' | 'link' | 'other';

/** The element type of a numeric dataset, as read. */
export interface Hdf5DatasetInfo {
  shape: number[];
  /** `float32`, `float64`, `int32`, `uint8`... */
  dtype: string;
  /** Bytes the values take once read. */
  bytes: number;
  compressed: boolean;
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

function dtypeName(m: H5Metadata): string {
  if (m.type === H5T_FLOAT) return `float${m.size * 8}`;
  if (m.type === H5T_INTEGER) return `${m.signed ? 'int' : 'uint'}${m.size * 8}`;
  return m.type === 3 ? 'string' : `HDF5 type class ${m.type}`;
}

export class Hdf5Reader {
  private constructor(
    private readonly rt: Hdf5Runtime,
    private readonly file: H5File,
    private readonly scratch: string,
    /** Names the file in messages. */
    readonly source: string,
    private readonly fileBytes: number,
    private readonly limits: Hdf5Limits,
  ) {}

  /** Opens HDF5 bytes (a whole file). Close the reader when done. */
  static async open(bytes: Uint8Array, source: string, limits: Hdf5Limits): Promise<Hdf5Reader> {
    const rt = await hdf5();
    const scratch = rt.scratchName();
    rt.lib.FS.writeFile(scratch, bytes);
    try {
      const file = rt.checked(`${source}: not an HDF5 file, or a damaged one`, () => new rt.lib.File(scratch, 'r'));
      if (file.file_id < 0n) throw new Error(`${source}: not an HDF5 file, or a damaged one`);
      return new Hdf5Reader(rt, file, scratch, source, bytes.byteLength, limits);
    } catch (e) {
      rt.lib.FS.unlink(scratch);
      throw e;
    }
  }

  close(): void {
    try {
      this.rt.checked(`${this.source}: closing`, () => this.file.close());
    } finally {
      this.rt.lib.FS.unlink(this.scratch);
    }
  }

  private entity(path: string): H5Entity | null {
    return this.rt.checked(`${this.source}: ${path}`, () => this.file.get(path));
  }

  /** What `path` names, or null when nothing is there. */
  kind(path: string): Hdf5Kind | null {
    const e = this.entity(path);
    if (e === null) return null;
    if (e.type === 'Group') return 'group';
    if (e.type === 'Dataset') return 'dataset';
    if (e.type === 'BrokenSoftLink' || e.type === 'ExternalLink') return 'link';
    return 'other';
  }

  private group(path: string): H5Group {
    const e = this.entity(path);
    if (e === null || e.type !== 'Group') throw new Error(`${this.source}: ${path} is not a group`);
    return e as H5Group;
  }

  /** Names in a group, in HDF5's order (by name). */
  keys(path: string): string[] {
    const g = this.group(path);
    return this.rt.checked(`${this.source}: ${path}`, () => g.keys());
  }

  /** Names of the attributes of a group or dataset. */
  attributeNames(path: string): string[] {
    const e = this.entity(path);
    if (e === null || (e.type !== 'Group' && e.type !== 'Dataset')) return [];
    return this.rt.checked(`${this.source}: ${path}`, () => Object.keys((e as H5Group).attrs));
  }

  /** An attribute's value (strings as strings, lists of strings as arrays), or undefined when absent. */
  attribute(path: string, name: string): unknown {
    const e = this.entity(path);
    if (e === null || (e.type !== 'Group' && e.type !== 'Dataset')) return undefined;
    const where = `${this.source}: ${path === '/' ? '' : path} attribute ${name}`;
    return this.rt.checked(where, () => {
      const attrs = (e as H5Group).attrs;
      if (!Object.prototype.hasOwnProperty.call(attrs, name)) return undefined;
      const attr = attrs[name];
      const declared = attr.metadata.size * attr.metadata.total_size;
      if (declared > this.fileBytes) throw new Error(`declares ${declared} bytes, more than the file's ${this.fileBytes}`);
      return attr.value;
    });
  }

  /** Shape and element type of a dataset, with its size checked against the file. */
  datasetInfo(path: string): Hdf5DatasetInfo {
    const ds = this.dataset(path);
    return this.info(path, ds);
  }

  private dataset(path: string): H5Dataset {
    const e = this.entity(path);
    if (e === null) throw new Error(`${this.source}: ${path}: no such dataset`);
    if (e.type !== 'Dataset') throw new Error(`${this.source}: ${path}: expected a dataset, found a ${e.type === 'Group' ? 'group' : 'link (links are not followed)'}`);
    return e as H5Dataset;
  }

  private info(path: string, ds: H5Dataset): Hdf5DatasetInfo {
    return this.rt.checked(`${this.source}: ${path}`, () => {
      const m = ds.metadata;
      const shape = m.shape ?? [];
      const bytes = m.size * m.total_size;
      const compressed = ds.filters.length > 0;
      const bound = compressed ? Math.min(this.limits.maxDatasetBytes, this.fileBytes * this.limits.maxCompressionRatio) : Math.min(this.limits.maxDatasetBytes, this.fileBytes);
      if (bytes > bound) {
        throw new Error(compressed
          ? `declares ${bytes} bytes of compressed data, more than ${bound} (the limit, or ${this.limits.maxCompressionRatio} times the file's size)`
          : `declares ${bytes} bytes, more than the file's ${this.fileBytes}${bytes > this.limits.maxDatasetBytes ? ` and the limit of ${this.limits.maxDatasetBytes}` : ''}: a damaged or crafted file`);
      }
      return { shape, dtype: dtypeName(m), bytes, compressed };
    });
  }

  /**
   * A numeric dataset's values as float32 (from float16/32/64) or int32 (from integers that fit). The
   * declared size is checked first; the values read must fill the declared shape.
   */
  readNumbers(path: string, as: 'float32' | 'int32'): Float32Array | Int32Array {
    const ds = this.dataset(path);
    const info = this.info(path, ds);
    const m = ds.metadata;
    if (this.attribute(path, 'dtype') === 'bfloat16') throw new Error(`${this.source}: ${path}: bfloat16 weights are not supported; save the model in float32`);
    if (as === 'float32' && m.type !== H5T_FLOAT) throw new Error(`${this.source}: ${path}: expected floating-point values, found ${info.dtype}`);
    if (as === 'int32' && m.type !== H5T_INTEGER) throw new Error(`${this.source}: ${path}: expected integer values, found ${info.dtype}`);
    if (m.type === H5T_FLOAT && m.size === 2) throw new Error(`${this.source}: ${path}: float16 weights are not supported; save the model in float32`);
    const raw = this.rt.checked(`${this.source}: ${path}`, () => ds.value);
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (!ArrayBuffer.isView(raw) || (raw as unknown as ArrayLike<unknown>).length !== count) {
      throw new Error(`${this.source}: ${path}: read ${ArrayBuffer.isView(raw) ? (raw as unknown as ArrayLike<unknown>).length : typeof raw} values where the shape [${info.shape.join(', ')}] holds ${count}`);
    }
    if (as === 'float32') return raw instanceof Float32Array ? raw : Float32Array.from(raw as unknown as ArrayLike<number>);
    const out = new Int32Array(count);
    const values = raw as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < count; i++) {
      const v = Number(values[i]);
      if (!Number.isSafeInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new Error(`${this.source}: ${path}: value ${String(values[i])} does not fit int32`);
      out[i] = v;
    }
    return out;
  }
}
