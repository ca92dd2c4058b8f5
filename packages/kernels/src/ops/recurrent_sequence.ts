/**
 * recurrentSequence(): a whole SimpleRNN / LSTM / GRU sequence as one fused, differentiable tfjs op
 * (kernel 'RecurrentSequence', gradient via 'RecurrentSequenceGrad').
 */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation } from '../backend/implementation_choice';
import { RECURRENT_SEQUENCE, WORKSPACE_OUTPUT_INDEX, type RecurrentSequenceAttrs } from '../registration/kernel_contract';
import { registerRecurrentKernels } from '../registration/register';
import type { CellKind, KernelActivation } from '../spec';
import { inputMayNeedGradient } from './input_gradient_need';
import { checkActivation, checkCell, checkCoreShapes, checkFlag, checkTensor } from './validate_inputs';

export interface RecurrentSequenceInputs {
  x: tf.Tensor3D;
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias?: tf.Tensor | null;
  initialH?: tf.Tensor2D | null;
  initialC?: tf.Tensor2D | null;
  /** [batch, time], float32 0/1 or bool (int32 0/1 is accepted too). */
  mask?: tf.Tensor2D | null;
  inputDropoutMask?: tf.Tensor2D | null;
  recurrentDropoutMask?: tf.Tensor2D | null;
}

export interface RecurrentSequenceAttributes {
  cell: CellKind;
  activation?: KernelActivation;
  recurrentActivation?: KernelActivation;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
  resetAfter?: boolean;
  /** false: only the output of the last processing step is computed and returned, [batch, units]
   * (a many-to-one layer); the full sequence is then neither written nor kept. Default true. */
  returnSequences?: boolean;
  /** false: the final states are not returned (h and c are null). Default true. */
  returnState?: boolean;
  tag?: string;
}

/** The type of attribute K of A: undefined when A has no such property. */
type Flag<A, K extends PropertyKey> = K extends keyof A ? A[K] : undefined;
/** [batch, time, units] unless returnSequences is false ([batch, units]); either when unknown. */
type OutputsFor<A> = [Flag<A, 'returnSequences'>] extends [false] ? tf.Tensor2D
  : [Flag<A, 'returnSequences'>] extends [true | undefined] ? tf.Tensor3D : tf.Tensor2D | tf.Tensor3D;
/** A state tensor unless returnState is false (null); either when unknown. */
type StateFor<A> = [Flag<A, 'returnState'>] extends [false] ? null
  : [Flag<A, 'returnState'>] extends [true | undefined] ? tf.Tensor2D : tf.Tensor2D | null;

export interface RecurrentSequenceResult<Outputs extends tf.Tensor = tf.Tensor3D, State extends tf.Tensor2D | null = tf.Tensor2D> {
  /** [batch, time, units] in processing order, or the last step's output [batch, units] with returnSequences: false. */
  outputs: Outputs;
  /** Final h [batch, units]; null with returnState: false. */
  h: State;
  /** Final c [batch, units] for lstm, else null. */
  c: State | null;
}

let placeholder: tf.Tensor | undefined;

/** The empty [0] tensor that stands for an absent optional input; one kept tensor serves every call
 * (generation calls the op once per timestep, where creating six tensors per call shows). */
function absentInput(): tf.Tensor {
  if (placeholder === undefined || placeholder.isDisposed) placeholder = tf.keep(tf.zeros([0]));
  return placeholder;
}

export function recurrentSequence<A extends RecurrentSequenceAttributes>(
  inputs: RecurrentSequenceInputs,
  attrs: A,
): RecurrentSequenceResult<OutputsFor<A>, StateFor<A>> {
  if (inputs === null || typeof inputs !== 'object') throw new Error('recurrentSequence: inputs must be an object { x, kernel, recurrentKernel, ... }');
  if (attrs === null || typeof attrs !== 'object') throw new Error("recurrentSequence: attrs must be an object { cell: 'simple_rnn' | 'lstm' | 'gru', ... }");
  const cell = checkCell(attrs.cell);
  const kernelAttrs: RecurrentSequenceAttrs = {
    cell,
    activation: checkActivation('activation', attrs.activation, 'tanh'),
    recurrentActivation: checkActivation('recurrentActivation', attrs.recurrentActivation, 'sigmoid'),
    goBackwards: checkFlag('goBackwards', attrs.goBackwards, false),
    zeroOutputForMask: checkFlag('zeroOutputForMask', attrs.zeroOutputForMask, false),
    resetAfter: checkFlag('resetAfter', attrs.resetAfter, true),
    returnSequences: checkFlag('returnSequences', attrs.returnSequences, true),
    returnState: checkFlag('returnState', attrs.returnState, true),
    tag: attrs.tag === undefined ? cell : String(attrs.tag),
    implementation: activeImplementation().name,
    // Inference (predict, generation) needs no per-step record for BPTT; skipping it saves memory.
    saveWorkspace: tf.engine().isTapeOn(),
    // On the cpu backend a tensor's data id survives tfjs's clone of saved outputs, so the workspace
    // can stay beside tfjs (registration/workspace_handles.ts).
    workspaceHandle: tf.getBackend() === 'cpu',
  };
  const dims = checkCoreShapes(cell, inputs.x, inputs.kernel, inputs.recurrentKernel);
  const { batch: B, time: T, features: F, units: U, gateWidth: GU } = dims;
  const given = (v: tf.Tensor | null | undefined): v is tf.Tensor => v !== null && v !== undefined;
  if (given(inputs.bias)) {
    if (cell === 'gru' && kernelAttrs.resetAfter) checkTensor('bias', inputs.bias, [2, GU], '2, 3*units (gru with resetAfter: input row, recurrent row)');
    else checkTensor('bias', inputs.bias, [GU], cell === 'gru' ? '3*units (gru with resetAfter=false)' : `${GU / U}*units`);
  }
  if (given(inputs.initialH)) checkTensor('initialH', inputs.initialH, [B, U], 'batch, units');
  if (given(inputs.initialC)) {
    if (cell !== 'lstm') throw new Error(`recurrentSequence: initialC is only used by lstm; ${cell} has a single state, pass initialH only`);
    checkTensor('initialC', inputs.initialC, [B, U], 'batch, units');
  }
  if (given(inputs.mask)) checkTensor('mask', inputs.mask, [B, T], 'batch, time', ['float32', 'bool', 'int32']);
  if (given(inputs.inputDropoutMask)) checkTensor('inputDropoutMask', inputs.inputDropoutMask, [B, F], 'batch, features');
  if (given(inputs.recurrentDropoutMask)) checkTensor('recurrentDropoutMask', inputs.recurrentDropoutMask, [B, U], 'batch, units');

  registerRecurrentKernels();
  kernelAttrs.computeInputGradient = inputMayNeedGradient(inputs.x);
  const temporaries: tf.Tensor[] = [];
  const orPlaceholder = (t: tf.Tensor | null | undefined): tf.Tensor => (given(t) ? t : absentInput());
  let mask = inputs.mask;
  if (given(mask) && mask.dtype !== 'float32') {
    mask = tf.cast(mask, 'float32');
    temporaries.push(mask);
  }
  let outs: tf.Tensor[];
  try {
    outs = tf.engine().runKernel(
      RECURRENT_SEQUENCE,
      {
        x: inputs.x,
        kernel: inputs.kernel,
        recurrentKernel: inputs.recurrentKernel,
        bias: orPlaceholder(inputs.bias),
        initialH: orPlaceholder(inputs.initialH),
        initialC: orPlaceholder(cell === 'lstm' ? inputs.initialC : null),
        mask: orPlaceholder(mask),
        inputDropoutMask: orPlaceholder(inputs.inputDropoutMask),
        recurrentDropoutMask: orPlaceholder(inputs.recurrentDropoutMask),
      },
      kernelAttrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
  } finally {
    for (const t of temporaries) t.dispose();
  }
  // The workspace only matters to the gradient, which keeps its own reference while recording; so do
  // the placeholders of the states not asked for.
  outs[WORKSPACE_OUTPUT_INDEX].dispose();
  const wantState = kernelAttrs.returnState !== false;
  if (!wantState) outs[1].dispose();
  if (!wantState || cell !== 'lstm') outs[2].dispose();
  return {
    outputs: outs[0] as OutputsFor<A>,
    h: (wantState ? outs[1] : null) as StateFor<A>,
    c: (wantState && cell === 'lstm' ? outs[2] : null) as StateFor<A> | null,
  };
}
