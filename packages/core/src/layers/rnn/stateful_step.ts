/**
 * A stateful recurrent layer fed one timestep in inference (a generator calling `predict` once per
 * token): the fused kernel's one-step entry (`stepArrays`) on plain arrays, the new state written over a
 * copy of the carried one, instead of the tfjs op with its six inputs and four outputs. The results are
 * the bits the op gives (the step is the forward at time 1, bit for bit).
 */
import * as tf from '@tensorflow/tfjs';
import { stepArrays } from '@recurrent/kernels';
import type { Tensor } from '../../engine/types';
import type { BuiltinCell } from './builtin_cell';
import { fusedCellAttributes } from './fused_sequence';

/**
 * Whether `stepStateful` may run this call: one timestep, no mask and no initial state given, nothing
 * recording gradients, no dropout (inference), and a cell the fused kernel runs (`fusedReason` null).
 */
export function canStepStateful(x: Tensor, opts: { fusedReason: string | null; mask: Tensor | null; givenInitialState: boolean; training: boolean }): boolean {
  return opts.fusedReason === null && opts.mask === null && !opts.givenInitialState && !opts.training && x.rank === 3 &&
    x.shape[1] === 1 && !tf.engine().isTapeOn();
}

/**
 * One step from the carried states `holders` ([batch, units] each). Returns new tensors (in the caller's
 * tidy scope): the layer's output ([batch, 1, units] with `returnSequences`, else [batch, units]) and the
 * new states, which the caller assigns to the holders.
 */
export function stepStateful(cell: BuiltinCell, x: Tensor, holders: readonly tf.Variable[], returnSequences: boolean): { output: Tensor; states: Tensor[] } {
  const [batch, , features] = x.shape as number[];
  const units = cell.units;
  const attrs = fusedCellAttributes(cell);
  const w = cell.readWeights();
  // Copies: the holders' arrays belong to their tensors, which other tensors may share.
  const h = (holders[0].dataSync() as Float32Array).slice();
  const c = holders.length > 1 ? (holders[1].dataSync() as Float32Array).slice() : null;
  stepArrays({
    cell: attrs.cell,
    activation: attrs.activation,
    recurrentActivation: attrs.recurrentActivation ?? 'sigmoid',
    resetAfter: attrs.resetAfter ?? false,
    batch,
    features,
    units,
    x: x.dataSync() as Float32Array,
    kernel: w.kernel.dataSync() as Float32Array,
    recurrentKernel: w.recurrentKernel.dataSync() as Float32Array,
    bias: w.bias ? (w.bias.dataSync() as Float32Array) : null,
    h,
    c,
  });
  const states = c ? [tf.tensor2d(h, [batch, units]), tf.tensor2d(c, [batch, units])] : [tf.tensor2d(h, [batch, units])];
  // The output gets an array of its own: a caller may write into its data (a sampler rescaling the
  // scores in place), which must not reach the state the holder keeps.
  const output = tf.tensor(h.slice(), returnSequences ? [batch, 1, units] : [batch, units], 'float32');
  return { output, states };
}
