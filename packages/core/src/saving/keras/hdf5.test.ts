import { Hdf5Reader } from './hdf5_reader';
import { writeHdf5 } from './hdf5_writer';

const limits = { maxDatasetBytes: 1e6, maxCompressionRatio: 100 };

describe('HDF5 through h5wasm', () => {
  test('writes groups, attributes and float32 datasets, and reads them back', async () => {
    const bytes = await writeHdf5(
      [{ path: '/layers/dense/vars', attributes: { name: 'dense' } }, { path: '/vars' }],
      [{ path: '/layers/dense/vars/0', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    );
    const r = await Hdf5Reader.open(bytes, 'test.h5', limits);
    try {
      expect(r.keys('/')).toEqual(['layers', 'vars']);
      expect(r.kind('/layers/dense/vars/0')).toBe('dataset');
      expect(r.kind('/layers/dense/vars')).toBe('group');
      expect(r.kind('/nothing/here')).toBeNull();
      expect(r.attribute('/layers/dense/vars', 'name')).toBe('dense');
      expect(r.attribute('/layers/dense/vars', 'missing')).toBeUndefined();
      expect(r.datasetInfo('/layers/dense/vars/0')).toEqual({ shape: [2, 3], dtype: 'float32', bytes: 24, compressed: false });
      expect(Array.from(r.readNumbers('/layers/dense/vars/0', 'float32'))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(() => r.readNumbers('/layers/dense/vars/0', 'int32')).toThrow(/expected integer values, found float32/);
      expect(() => r.readNumbers('/layers/dense/vars', 'float32')).toThrow(/expected a dataset, found a group/);
    } finally {
      r.close();
    }
  });

  test('refuses what is not HDF5, with HDF5\'s reason', async () => {
    await expect(Hdf5Reader.open(Buffer.from('plain text, not HDF5'), 'text.h5', limits)).rejects.toThrow(/text\.h5: not an HDF5 file, or a damaged one: .*Not an HDF5 file/);
    const bytes = await writeHdf5([], [{ path: '/x', shape: [4], values: new Float32Array(4) }]);
    await expect(Hdf5Reader.open(bytes.subarray(0, 200), 'cut.h5', limits)).rejects.toThrow(/cut\.h5: not an HDF5 file, or a damaged one/);
  });
});
