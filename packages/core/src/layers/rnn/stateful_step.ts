/**
 * A stateful recurrent layer fed one timestep in inference (a generator calling `predict` once per
 * token): the fused kernel's one-step entry (`stepArrays`) on plain arrays that carry the states from
 * step to step (the layer writes them to its state holders only when something reads those), instead
 * of the tfjs op with its six inputs and four outputs and two new state tensors per step. The results
 * are the bits the op gives (the step is the forward at time 1, bit for bit).
 */
import { freshCopy, stepArrays } from '@recurrent/kernels';
import { makeTensor, tfEngine } from '../../engine/tf_direct';
import type { Tensor } from '../../engine/types';
import type { BuiltinCell, CellWeights } from './builtin_cell';
import type { FusedCellAttributes } from './fused_sequence';

/**
 * Whether `stepStateful` may run this call of a cell the fused kernel runs: one timestep, no mask and no
 * initial state given, nothing recording gradients, no dropout (inference).
 */
export function canStepStateful(x: Tensor, mask: Tensor | null, givenInitialState: boolean, training: boolean): boolean {
  return mask === null && !givenInitialState && !training && x.rank === 3 && x.shape[1] === 1 && !tfEngine().isTapeOn();
}

/**
 * One step, with the cell's kernel attributes `attrs`, from the carried states `states` ([batch, units] each, plain arrays the layer owns), which
 * receive the new states in place. Returns the layer's output as a new tensor (in the caller's tidy
 * scope), [batch, 1, units] with `returnSequences`, else [batch, units].
 */
export function stepStateful(
  cell: BuiltinCell, attrs: FusedCellAttributes, x: Tensor, states: readonly Float32Array[], returnSequences: boolean,
): Tensor {
  const [batch, , features] = x.shape as [number, number, number];
  const h = states[0];
  stepCellInPlace(cell, attrs, cell.readWeights(), batch, features, x.dataSync() as Float32Array, h, states.length > 1 ? states[1] : null);
  // The output gets an array of its own: a caller may write into its data (a sampler rescaling the
  // scores in place), which must not reach the carried state. A fresh one, not h.slice(): Node's
  // allocation of a 1 KB array costs about a tenth of the step itself.
  return makeTensor(freshCopy(h), returnSequences ? [batch, 1, cell.units] : [batch, cell.units], 'float32');
}

/**
 * One timestep of a built-in cell with its weights `w`: `h` (and `c` for an LSTM), [batch, units],
 * are overwritten with the new state. Shared by the stateful one-step call and SequenceStepper.
 */
export function stepCellInPlace(
  cell: BuiltinCell, attrs: FusedCellAttributes, w: CellWeights, batch: number, features: number,
  x: Float32Array, h: Float32Array, c: Float32Array | null,
): void {
  // One literal of a fixed shape, not a spread of the attributes: the addon's arguments are read
  // from it fastest.
  stepArrays({
    cell: attrs.cell,
    activation: attrs.activation,
    recurrentActivation: attrs.recurrentActivation ?? 'sigmoid',
    resetAfter: attrs.resetAfter ?? false,
    batch,
    features,
    units: cell.units,
    x,
    kernel: w.kernel.dataSync() as Float32Array,
    recurrentKernel: w.recurrentKernel.dataSync() as Float32Array,
    bias: w.bias ? (w.bias.dataSync() as Float32Array) : null,
    h,
    c,
  });
}
