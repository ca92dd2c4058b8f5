/**
 * A linear-time UnsortedSegmentSum for tfjs's 'cpu' backend. The gradient of an Embedding lookup
 * (tf.gather) is an UnsortedSegmentSum over the vocabulary, and the stock 'cpu' kernel of tfjs 4.22
 * loops over every segment with whole-tensor ops: O(vocabulary x tokens), 33 s for one batch of
 * 1,280 tokens over 2,000 words on this machine. This one adds each row into its segment once.
 *
 * Importing this module registers it (once); the examples that train an Embedding import it.
 */
import * as tf from '@tensorflow/tfjs';

type KernelConfig = NonNullable<ReturnType<typeof tf.getKernel>>;
type KernelArgs = Parameters<KernelConfig['kernelFunc']>[0];

interface CpuBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo;
}

const KERNEL = 'UnsortedSegmentSum';
const BACKEND = 'cpu';
let registered = false;

function segmentSum(args: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as { numSegments: number };
  const backend = args.backend as unknown as CpuBackend;
  const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  // x is [...segmentIds.shape, ...inner]: each id owns one block of `inner` values.
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue; // TensorFlow drops out-of-range ids
    const from = i * inner;
    const to = id * inner;
    for (let k = 0; k < inner; k++) out[to + k] += values[from + k];
  }
  return backend.makeTensorInfo([numSegments, ...innerShape], x.dtype, out);
}

/** Replaces the 'cpu' UnsortedSegmentSum kernel (idempotent). */
export function registerFastSegmentSum(): void {
  if (registered) return;
  const original = tf.getKernel(KERNEL, BACKEND);
  if (original === undefined) return; // no cpu backend registered: nothing to speed up
  tf.unregisterKernel(KERNEL, BACKEND);
  tf.registerKernel({ ...original, kernelFunc: segmentSum as KernelConfig['kernelFunc'] });
  registered = true;
}

registerFastSegmentSum();
