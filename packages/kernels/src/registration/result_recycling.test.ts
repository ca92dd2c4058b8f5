/**
 * Results handed to the 'cpu' backend go back to the addon's pool when their last holder is freed, and
 * never while anything can still reach them: values read out (dataSync, data) stay, a buffer held by
 * another data id (reshape and clone share the data id, a view of the buffer has its own) stays until
 * that one is freed too, an array the backend already held (a kernel that returns its input's array) is
 * never taken. Whole training-style loops give the same bits with and without recycling.
 */
import * as tf from '@tensorflow/tfjs';
import { requireNative } from '../native/__tests__/native_fixture';
import { activeImplementation, setImplementation } from '../backend/implementation_choice';
import { conv1dFused } from '../ops/conv1d_fused';
import { embeddingLookup } from '../ops/embedding_lookup';
import { storedFloat32, tensorOwning } from '../ops/stored_arrays';
import { handOver, setResultRecycler } from './result_recycling';

const { addon } = requireNative();
const initial = activeImplementation().name;

/** Arrays the recycler was given, and whether the addon took each. */
let given: { array: Float32Array; taken: boolean }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  setImplementation('native');
  // The first array handed to a backend wraps it (and is itself left alone).
  handOver(tf.backend(), pooledProduct(0));
});

beforeEach(() => {
  given = [];
  setResultRecycler((array) => {
    const taken = addon.recycleResult(array);
    given.push({ array, taken });
    return taken;
  });
});

afterAll(() => {
  setImplementation(initial);
  setResultRecycler(initial === 'native' ? (array) => addon.recycleResult(array) : null);
});

const ROWS = 512, COLS = 256;

/** A product large enough (512 x 256 floats) to come from the addon's pool, every element `value`. */
function pooledProduct(value: number): Float32Array {
  return addon.gemm(ROWS, COLS, 1, new Float32Array(ROWS).fill(value), new Float32Array(COLS).fill(1), false, false);
}

/**
 * A tensor over `values` written straight to the backend, as tf.tensor() or one of tfjs's kernels (a
 * slice's view of its input) writes it, without handing it over. (tf.tensor() itself would copy here:
 * under Jest the addon's arrays belong to another realm.)
 */
function writtenByCaller(values: Float32Array, shape: number[]): tf.Tensor {
  const backend = tf.backend() as unknown as { makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
  return tf.engine().makeTensorFromTensorInfo(backend.makeTensorInfo(shape, 'float32', values), tf.backend());
}

function recycled(array: Float32Array): boolean {
  return given.some((g) => g.array === array && g.taken);
}

describe('result recycling on the cpu backend', () => {
  test('a handed-over result goes back to the pool when its tensor is freed, detached first', () => {
    const values = pooledProduct(2);
    const t = tensorOwning(values, [ROWS, COLS]);
    expect(recycled(values)).toBe(false);
    t.dispose();
    expect(recycled(values)).toBe(true);
    expect(values.length).toBe(0);
    // The block serves the next result of its size, with that result's values.
    const next = pooledProduct(5);
    expect(next.every((v) => v === 5)).toBe(true);
  });

  test('values read out with dataSync or data() are never recycled, and keep their numbers', async () => {
    const a = pooledProduct(3);
    const ta = tensorOwning(a, [ROWS, COLS]);
    const held = ta.dataSync();
    ta.dispose();
    const b = pooledProduct(4);
    const tb = tensorOwning(b, [ROWS, COLS]);
    const heldAsync = await tb.data();
    tb.dispose();
    expect(recycled(a) || recycled(b)).toBe(false);
    // New results of the same size must not land in the held arrays.
    const later = [pooledProduct(9), pooledProduct(9)].map((v) => tensorOwning(v, [ROWS, COLS]));
    later.forEach((t) => t.dispose());
    expect(held.length).toBe(ROWS * COLS);
    expect((held as Float32Array).every((v) => v === 3)).toBe(true);
    expect((heldAsync as Float32Array).every((v) => v === 4)).toBe(true);
  });

  test('read out through a reshaped tensor or a clone (the same data id) counts as read out', () => {
    const values = pooledProduct(6);
    const t = tensorOwning(values, [ROWS, COLS]);
    const r = t.reshape([COLS, ROWS]);
    const c = t.clone();
    const held = c.dataSync();
    tf.dispose([t, r, c]);
    expect(recycled(values)).toBe(false);
    expect((held as Float32Array).every((v) => v === 6)).toBe(true);
  });

  test('a reshape or clone keeps the array until the last of them is freed', () => {
    const values = pooledProduct(7);
    const t = tensorOwning(values, [ROWS, COLS]);
    const r = t.reshape([COLS, ROWS]);
    const c = t.clone();
    t.dispose();
    r.dispose();
    expect(recycled(values)).toBe(false);
    expect(storedFloat32(c)[ROWS * COLS - 1]).toBe(7);
    c.dispose();
    expect(recycled(values)).toBe(true);
  });

  test('another data id over a view of the same buffer keeps it until that one is freed', () => {
    const values = pooledProduct(8);
    const t = tensorOwning(values, [ROWS, COLS]);
    const view = writtenByCaller(values.subarray(0, 16), [16]); // a small view of the large buffer
    t.dispose();
    expect(recycled(values)).toBe(false);
    expect(Array.from(storedFloat32(view))).toEqual(new Array(16).fill(8));
    view.dispose();
    expect(recycled(values)).toBe(true);
  });

  test('an array the backend already holds (a kernel returning its input) is not taken', () => {
    const values = pooledProduct(1);
    const users = writtenByCaller(values, [ROWS, COLS]); // the caller's own array, written without handing over
    const again = tensorOwning(values, [ROWS, COLS]); // as a kernel would return its input's array
    again.dispose();
    users.dispose();
    expect(given.some((g) => g.array === values)).toBe(false);
    expect(values.length).toBe(ROWS * COLS);
    expect(values.every((v) => v === 1)).toBe(true);
  });

  test('an array written by the caller is never given to the addon', () => {
    const values = pooledProduct(1);
    writtenByCaller(values, [ROWS, COLS]).dispose();
    expect(given.some((g) => g.array === values)).toBe(false);
    expect(values.every((v) => v === 1)).toBe(true);
  });

  test('small results are left to V8', () => {
    const small = new Float32Array(64).fill(1);
    tensorOwning(small, [64]).dispose();
    expect(given.length).toBe(0);
  });

  test('with no recycler (the TypeScript kernels) nothing is recycled', () => {
    setResultRecycler(null);
    const values = pooledProduct(2);
    tensorOwning(values, [ROWS, COLS]).dispose();
    expect(values.length).toBe(ROWS * COLS);
  });
});

/**
 * A few steps of embedding lookup -> Conv1D(relu) -> a loss, with gradients, and a plain update of the
 * table and kernel through tensorOwning: the arrays freed each step go back to the pool, and the next
 * step's results land in them. Returns the final table and kernel.
 */
function trainingSteps(steps: number): { table: Float32Array; kernel: Float32Array } {
  let table = tf.randomNormal([2000, 64], 0, 1, 'float32', 1);
  let kernel = tf.randomNormal([5, 64, 32], 0, 0.1, 'float32', 2);
  const ids = tf.randomUniform([16, 100], 0, 2000, 'int32', 3);
  const bias = tf.zeros([32]);
  for (let s = 0; s < steps; s++) {
    const loss = (t: tf.Tensor, k: tf.Tensor) => tf.tidy(() => {
      const y = conv1dFused(embeddingLookup(t, ids), k, { bias, activation: 'relu' });
      return tf.sum(tf.square(y));
    });
    const grads = tf.grads(loss)([table, kernel]);
    const step = (w: tf.Tensor, g: tf.Tensor): tf.Tensor => {
      const wv = storedFloat32(w), gv = storedFloat32(g);
      const out = addon.gemm(1, wv.length, 1, new Float32Array([1]), wv, false, false); // a fresh pooled copy
      for (let i = 0; i < out.length; i++) out[i] = wv[i] - 1e-4 * gv[i];
      return tensorOwning(out, w.shape);
    };
    const nextTable = step(table, grads[0]);
    const nextKernel = step(kernel, grads[1]);
    tf.dispose([table, kernel, ...grads]);
    table = nextTable;
    kernel = nextKernel;
  }
  const result = { table: Float32Array.from(storedFloat32(table)), kernel: Float32Array.from(storedFloat32(kernel)) };
  tf.dispose([table, kernel, ids, bias]);
  return result;
}

describe('training with recycled results', () => {
  test('gives the same bits as without recycling, recycles every step, and leaves no tensor behind', () => {
    setResultRecycler(null);
    const plain = trainingSteps(4);
    setResultRecycler((array) => {
      const taken = addon.recycleResult(array);
      given.push({ array, taken });
      return taken;
    });
    const before = tf.memory().numTensors;
    const withRecycling = trainingSteps(4);
    expect(tf.memory().numTensors).toBe(before);
    expect(given.filter((g) => g.taken).length).toBeGreaterThanOrEqual(4 * 3);
    expect(Buffer.from(withRecycling.table.buffer).equals(Buffer.from(plain.table.buffer))).toBe(true);
    expect(Buffer.from(withRecycling.kernel.buffer).equals(Buffer.from(plain.kernel.buffer))).toBe(true);
  });
});
