import * as tf from '@tensorflow/tfjs';

/** One recurrent step: (input at t, states after t-1) -> (output at t, states after t). */
export type StepFunction = (input: tf.Tensor, states: tf.Tensor[]) => [tf.Tensor, tf.Tensor[]];

export interface StepLoopOptions {
  /** [batch, time] (bool or 0/1 numbers), in time order; null = every step valid. */
  mask?: tf.Tensor | null;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
  /** Stack every step's output (return_sequences); otherwise only the last output is kept. */
  returnAllOutputs: boolean;
}

export interface StepLoopResult {
  lastOutput: tf.Tensor;
  /** [batch, time, ...] in processing order (reversed when goBackwards), or null. */
  outputs: tf.Tensor | null;
  states: tf.Tensor[];
}

/**
 * The generic recurrent loop, with the semantics of Keras's TensorFlow backend (`backend.rnn`):
 * - steps run t = 0..T-1, or T-1..0 with goBackwards, and outputs are kept in processing order;
 * - at a masked step every state keeps its previous value, and the output is zero when
 *   zeroOutputForMask, else the previously emitted output, which starts as zeros (so leading
 *   masked steps emit zeros, not the initial state).
 * Gradients flow through tf.where, so a masked step passes no gradient to its input.
 * Call it inside tf.tidy (or tf.grad): it creates per-step intermediates.
 */
export function runStepLoop(
  step: StepFunction,
  inputs: tf.Tensor,
  initialStates: tf.Tensor[],
  options: StepLoopOptions,
): StepLoopResult {
  if (inputs.rank < 3) {
    throw new Error(
      `runStepLoop: inputs must have shape [batch, time, ...features], got rank ${inputs.rank} ` +
        `(shape [${inputs.shape.join(', ')}]); add a time axis.`,
    );
  }
  const timesteps = inputs.shape[1] as number;
  if (timesteps === 0) {
    throw new Error('runStepLoop: the input has 0 timesteps; a recurrent layer needs at least one step.');
  }
  // Time-major first: slices along the leading axis are contiguous, which tfjs copies much faster
  // than slices along axis 1.
  const stepInputs = tf.unstack(tf.transpose(inputs, [1, 0, ...Array.from({ length: inputs.rank - 2 }, (_, i) => i + 2)]), 0);
  const stepMasks = options.mask ? unstackMask(options.mask, inputs.shape[0], timesteps) : null;
  const order = [...Array(timesteps).keys()];
  if (options.goBackwards) order.reverse();

  let states = initialStates;
  let previousOutput: tf.Tensor | null = null;
  const outputs: tf.Tensor[] = [];
  for (const t of order) {
    // One tidy per step frees the step's intermediates (gate activations...) as soon as it is done;
    // inside tf.grad the tape keeps what the backward pass needs.
    const [output, ...nextStates] = tf.tidy(() => {
      const [stepOutput, stepStates] = step(stepInputs[t], states);
      if (stepStates.length !== states.length) {
        throw new Error(
          `RNN cell step: the cell returned ${stepStates.length} state(s) but its stateSize declares ` +
            `${states.length}; return one new state per declared state.`,
        );
      }
      if (!stepMasks) return [stepOutput, ...stepStates];
      const valid = stepMasks[t];
      const fallback: tf.Tensor = options.zeroOutputForMask || previousOutput === null
        ? tf.zerosLike(stepOutput)
        : previousOutput;
      return [
        tf.where(broadcastableMask(valid, stepOutput.rank), stepOutput, fallback),
        ...stepStates.map((next, i) => tf.where(broadcastableMask(valid, next.rank), next, states[i])),
      ];
    });
    states = nextStates;
    previousOutput = output;
    if (options.returnAllOutputs) outputs.push(output);
  }
  return {
    lastOutput: previousOutput as tf.Tensor,
    outputs: options.returnAllOutputs ? tf.stack(outputs, 1) : null,
    states,
  };
}

function unstackMask(mask: tf.Tensor, batch: number, timesteps: number): tf.Tensor[] {
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== timesteps) {
    throw new Error(
      `RNN mask: expected shape [${batch}, ${timesteps}] (batch, time), got [${mask.shape.join(', ')}].`,
    );
  }
  const asBool = mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
  return tf.unstack(tf.transpose(asBool), 0);
}

/** [batch] -> [batch, 1, ...] so that tf.where broadcasts it over a tensor of the given rank. */
function broadcastableMask(valid: tf.Tensor, rank: number): tf.Tensor {
  return valid.reshape([valid.shape[0], ...Array(rank - 1).fill(1)]);
}
