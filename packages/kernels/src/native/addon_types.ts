/**
 * The shape of the compiled addon (native/addon.cc) as seen from TypeScript. forward and backward
 * take the fields of the requests of spec.ts as positional arguments, in the order of
 * FORWARD_REQUEST_FIELDS and BACKWARD_REQUEST_FIELDS (which the addon lists as `requestFields`):
 * plain values, so no property getter can run inside the addon.
 */
import type { Conv1DBackwardResult } from '../conv1d_spec';
import type { BackwardResult, CellKind, ForwardResult } from '../spec';

/** SIMD code paths of the matrix kernels, best first. 'auto' picks the best the CPU supports. */
export type SimdLevel = 'avx512' | 'avx2' | 'scalar';

export interface NativeAddonInfo {
  /** The SIMD path in use. */
  simd: SimdLevel;
  /** Paths the running CPU supports. */
  supported: SimdLevel[];
  /** Worker threads in the pool, counting the calling thread. */
  threads: number;
  /** Recurrent steps with fewer multiply-adds (batch*units*gates*units) than this run on one thread. */
  minParallelMacsPerStep: number;
  /** Inputs with at most this fraction of nonzero elements are multiplied from a list of their nonzeros. */
  maxSparseInputDensity: number;
  /** Batches up to this many rows run a threaded forward time loop as one block of units per thread for the
   * whole sequence (the same bits as the task-per-block loop of larger batches). */
  ownedBlocksMaxBatch: number;
  /** ... and read the recurrent weights as packed rows from sequences of this many steps (packStepWeights'
   * rows, when the forward is given them). */
  packedRowsMinSteps: number;
  /** Larger batches whose recurrent weights (units*gates*units floats) take at most this many bytes run the
   * threaded time loops (forward and backward) by batch rows: a range of rows per thread through every step,
   * rebalanced while the loop runs (a thread that is done takes over half of the range with the most work
   * left, from its owner's next step on). */
  rowBlocksMaxWeightBytes: number;
  /** Those ranges start and end on multiples of this many rows (bar the batch's end). */
  rowRangeGroup: number;
  version: number;
}

/** Row-major C = op(A)·op(B) of op(A) [m, k] and op(B) [k, n], into `out` when given (length m*n). */
export type MatrixProduct = (
  m: number, n: number, k: number,
  a: Float32Array, b: Float32Array,
  transA: boolean, transB: boolean,
  out?: Float32Array | null,
) => Float32Array;

/** The addon's packed copy of a step's weights: opaque, only ever handed back to `step`. */
export interface PackedStepWeights {
  readonly __packedStepWeights: never;
}

export interface NativeAddon {
  info(): NativeAddonInfo;
  /** Forces a SIMD path (tests use it to cover every path); throws if the CPU lacks it. */
  setSimd(level: SimdLevel | 'auto'): void;
  /** Sets the number of threads (1..64) used by later calls. */
  setThreads(n: number): void;
  /** Tuning: the per-step work below which the time loop stays on one thread (tests set 0 to
   * exercise the multi-threaded path on small cases). */
  setMinParallelWork(macsPerStep: number): void;
  /** Tuning: the largest fraction of nonzero input elements for which the input projection and the
   * kernel gradient multiply only the nonzeros (0: always dense; tests compare both paths). */
  setMaxSparseInputDensity(density: number): void;
  /** What the row ranges of the threaded loops by rows did since the process started: ranges taken over
   * from a thread that had not started them, and ranges split for a thread that was done. */
  rowRangeCounts(): { takeovers: number; splits: number };
  /** Tests only: every thread but the caller waits this many microseconds (0-10000) before each step of a
   * loop by rows, so that the caller finishes first and splits the others' ranges. 0 (the default): off. */
  setRowStepLag(microseconds: number): void;
  /** Memory one call may use, in bytes (0: the machine's physical memory; Infinity: no limit of its own). */
  setMemoryLimit(bytes: number): void;
  workspaceSize(cell: CellKind, batch: number, time: number, features: number, units: number, resetAfter: boolean): number;
  /** The argument order of forward, backward and step (field names of spec.ts). */
  readonly requestFields: { forward: readonly string[]; backward: readonly string[]; step: readonly string[] };
  forward(...fields: unknown[]): ForwardResult;
  backward(...fields: unknown[]): BackwardResult;
  /** One timestep in place, the fields of a StepRequest (spec.ts) in the order of STEP_REQUEST_FIELDS,
   * then optionally what packStepWeights returned for its kernel and recurrentKernel (read instead of them). */
  step(
    cell: CellKind, activation: string, recurrentActivation: string, resetAfter: boolean,
    batch: number, features: number, units: number,
    x: Float32Array, kernel: Float32Array, recurrentKernel: Float32Array, bias: Float32Array | null,
    h: Float32Array, c: Float32Array | null, packedWeights?: PackedStepWeights | null,
  ): void;
  /** A step's kernel and recurrentKernel copied into the order its threads read them (native/step_weights.h),
   * or null when a step would read them no faster (one thread). The copy is freed with the object. */
  packStepWeights(cell: CellKind, features: number, units: number, kernel: Float32Array, recurrentKernel: Float32Array):
    PackedStepWeights | null;
  /** Frees a packed copy now rather than when its object is collected; a step refuses it afterwards. */
  releaseStepWeights(packed: PackedStepWeights): void;
  /** Row-major C = op(A)·op(B), C is [m, n]. A fresh array unless `out` (length m*n) is given. */
  gemm: MatrixProduct;
  /** Returns a result array's pooled memory for reuse now, detaching its buffer first (the array reads
   * as empty afterwards); false, and nothing changed, for an array that is not a pooled result. */
  recycleResult(array: Float32Array): boolean;
  /** The same product rounded bit for bit as TensorFlow.js 4.22's 'cpu' BatchMatMul rounds it. */
  tfjsMatMul: MatrixProduct;
  /** The fused 1-D convolution (conv1d_spec.ts), its request's fields as positional arguments in the
   * order of CONV1D_FORWARD_FIELDS: y [batch, steps, filters]. */
  conv1dForward(...fields: unknown[]): Float32Array;
  /** Its gradients, the fields in the order of CONV1D_BACKWARD_FIELDS. */
  conv1dBackward(...fields: unknown[]): Conv1DBackwardResult;
  /** Row rows[i] of table [tableRows, width] at row i of a fresh [rows.length, width] array (row_ops_spec.ts). */
  gatherRows(table: Float32Array, tableRows: number, width: number, rows: Int32Array): Float32Array;
  /** The softmax of each row of `width` values into `out` (the TypeScript loop's bits; `out` may be `values`). */
  softmaxRows(values: Float32Array, width: number, out: Float32Array): void;
  /** Zeros [tableRows, width], row i of values [rows.length, width] added into row rows[i], i ascending. */
  scatterAddRows(values: Float32Array, rows: Int32Array, tableRows: number, width: number): Float32Array;
  /** 1-D max pooling (row_ops_spec.ts), the fields in the order of MAX_POOL_1D_FIELDS. */
  maxPool1dForward(...fields: unknown[]): Float32Array;
  /** Its gradient dx, the fields in the order of MAX_POOL_1D_BACKWARD_FIELDS. */
  maxPool1dBackward(...fields: unknown[]): Float32Array;
  /** One optimizer rule over one variable's arrays (native/optimizer_update_napi.cc lists each rule's slots and
   * scalars): fresh arrays for the new weights and for each slot the rule keeps, by slot name. */
  optimizerUpdate(
    rule: NativeOptimizerRule,
    gradient: Float32Array, weights: Float32Array,
    slot0: Float32Array | null, slot1: Float32Array | null,
    scalars: Float64Array,
  ): { weights: Float32Array } & Partial<Record<string, Float32Array>>;
}

/** The rules optimizerUpdate runs (the branch-free cases of the optimizers' rules, without clipvalue). */
export type NativeOptimizerRule = 'adam' | 'rmsprop' | 'adagrad' | 'sgd' | 'sgd_momentum' | 'sgd_nesterov';
