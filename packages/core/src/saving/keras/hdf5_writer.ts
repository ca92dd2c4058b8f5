/** Writing a small HDF5 file (Keras weights): groups with string attributes, and float32 or int32 datasets. */
import { hdf5 } from './hdf5_runtime';

export interface Hdf5GroupToWrite {
  /** Absolute path, `/layers/lstm/cell/vars`. */
  path: string;
  attributes?: Record<string, string>;
}

export interface Hdf5DatasetToWrite {
  path: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

/** The parent groups of a path, outermost first: `/a/b/c` -> `/a`, `/a/b`. */
function parents(p: string): string[] {
  const parts = p.split('/').filter((s) => s !== '');
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/** An HDF5 file holding the given groups and datasets (parent groups are created as needed), as bytes. */
export async function writeHdf5(groups: readonly Hdf5GroupToWrite[], datasets: readonly Hdf5DatasetToWrite[]): Promise<Uint8Array> {
  const rt = await hdf5();
  const name = rt.scratchName();
  const file = rt.checked('creating an HDF5 file', () => new rt.lib.File(name, 'w'));
  try {
    const created = new Set<string>(['/']);
    const ensure = (p: string) => {
      for (const g of [...parents(p), p]) {
        if (created.has(g)) continue;
        rt.checked(`creating the HDF5 group ${g}`, () => file.create_group(g.slice(1)));
        created.add(g);
      }
    };
    for (const g of groups) {
      ensure(g.path);
      const group = rt.checked(`opening the HDF5 group ${g.path}`, () => file.get(g.path.slice(1)));
      for (const [key, value] of Object.entries(g.attributes ?? {})) {
        rt.checked(`writing the attribute ${key} of ${g.path}`, () => (group as { create_attribute(n: string, v: string): void }).create_attribute(key, value));
      }
    }
    for (const d of datasets) {
      for (const g of parents(d.path)) ensure(g);
      rt.checked(`writing the HDF5 dataset ${d.path}`, () => file.create_dataset({ name: d.path.slice(1), data: d.values, shape: d.shape, dtype: d.values instanceof Int32Array ? '<i' : '<f' }));
    }
  } finally {
    rt.checked('closing the HDF5 file', () => file.close());
  }
  try {
    return rt.lib.FS.readFile(name).slice();
  } finally {
    rt.lib.FS.unlink(name);
  }
}
