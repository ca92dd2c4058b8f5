/**
 * Small hand-built models implementing ModelLike, for testing the engine without the real layers:
 * their maths is simple enough to compute losses and gradients by hand.
 */
import * as tf from '@tensorflow/tfjs';
import type { ConstraintLike, LayerLike, ModelLike, WeightLike } from '../model_like';

export class FakeWeight implements WeightLike {
  readonly val: tf.Variable;
  constructor(
    readonly name: string,
    initial: tf.Tensor,
    public constraint: ConstraintLike | null = null,
  ) {
    this.val = tf.variable(initial);
    initial.dispose();
  }
}

abstract class FakeModel implements ModelLike {
  stopTraining = false;
  readonly stateful: boolean = false;
  abstract readonly name: string;
  abstract readonly inputNames: readonly string[];
  abstract readonly outputNames: readonly string[];
  abstract readonly layers: readonly LayerLike[];
  /** Regularization penalties: functions of the weights, evaluated on demand. */
  penalties: (() => tf.Tensor)[] = [];
  /** Every input batch seen by callWithMasks (first input, as arrays), when recording. */
  seen: number[][][] | null = null;

  get trainableWeights(): WeightLike[] {
    return this.layers.flatMap((l) => [...l.trainableWeights]);
  }
  get losses(): tf.Tensor[] {
    return this.penalties.map((p) => p());
  }
  abstract forward(inputs: tf.Tensor[], training: boolean): { outputs: tf.Tensor[]; masks: (tf.Tensor | null)[] };
  callWithMasks(inputs: tf.Tensor[], opts: { training: boolean }) {
    if (this.seen) this.seen.push(inputs[0].arraySync() as number[][]);
    return this.forward(inputs, opts.training);
  }
  resetStates(): void {}
  getWeights(): tf.Tensor[] {
    return this.trainableWeights.map((w) => w.val);
  }
  setWeights(values: tf.Tensor[]): void {
    this.trainableWeights.forEach((w, i) => w.val.assign(values[i]));
  }
  dispose(): void {
    for (const w of this.trainableWeights) w.val.dispose();
  }
}

/** y = x·kernel + bias, one input 'input', one output 'dense'. */
export class LinearModel extends FakeModel {
  readonly name = 'linear';
  readonly inputNames = ['input'];
  readonly outputNames = ['dense'];
  readonly kernel: FakeWeight;
  readonly bias: FakeWeight;
  readonly layers: LayerLike[];
  constructor(kernel: number[][], bias: number[], opts: { name?: string; constraint?: ConstraintLike } = {}) {
    super();
    const layer = opts.name ?? 'dense';
    this.kernel = new FakeWeight(`${layer}/kernel`, tf.tensor2d(kernel), opts.constraint ?? null);
    this.bias = new FakeWeight(`${layer}/bias`, tf.tensor1d(bias));
    this.layers = [{ name: layer, trainableWeights: [this.kernel, this.bias] }];
  }
  forward(inputs: tf.Tensor[]) {
    return { outputs: [tf.add(tf.matMul(inputs[0] as tf.Tensor2D, this.kernel.val as tf.Tensor2D), this.bias.val)], masks: [null] };
  }
}

/** y = softmax(x·kernel + bias): a classifier for the accuracy metrics. */
export class SoftmaxModel extends LinearModel {
  override forward(inputs: tf.Tensor[]) {
    const logits = tf.add(tf.matMul(inputs[0] as tf.Tensor2D, this.kernel.val as tf.Tensor2D), this.bias.val);
    return { outputs: [tf.softmax(logits)], masks: [null] };
  }
}

/**
 * Per-timestep dense on [B, T, F] -> [B, T, U], with the mask of a Masking layer (a step is valid
 * unless all its features are 0), so padded sequences can be compared with unpadded ones.
 */
export class SequenceModel extends FakeModel {
  readonly name = 'sequence';
  readonly inputNames = ['input'];
  readonly outputNames = ['time_distributed'];
  readonly kernel: FakeWeight;
  readonly layers: LayerLike[];
  constructor(kernel: number[][]) {
    super();
    this.kernel = new FakeWeight('time_distributed/kernel', tf.tensor2d(kernel));
    this.layers = [{ name: 'time_distributed', trainableWeights: [this.kernel] }];
  }
  forward(inputs: tf.Tensor[]) {
    const x = inputs[0];
    const [b, t, f] = x.shape;
    const units = this.kernel.val.shape[1] as number;
    const y = tf.matMul(x.reshape([b * t, f]), this.kernel.val as tf.Tensor2D).reshape([b, t, units]);
    const mask = x.abs().sum(-1).greater(0);
    return { outputs: [y], masks: [mask] };
  }
}

/** Two outputs from one input: 'a' = x·ka, 'b' = x·kb. */
export class TwoHeadModel extends FakeModel {
  readonly name = 'two_heads';
  readonly inputNames = ['input'];
  readonly outputNames = ['a', 'b'];
  readonly ka: FakeWeight;
  readonly kb: FakeWeight;
  readonly layers: LayerLike[];
  constructor(ka: number[][], kb: number[][]) {
    super();
    this.ka = new FakeWeight('a/kernel', tf.tensor2d(ka));
    this.kb = new FakeWeight('b/kernel', tf.tensor2d(kb));
    this.layers = [
      { name: 'a', trainableWeights: [this.ka] },
      { name: 'b', trainableWeights: [this.kb] },
    ];
  }
  forward(inputs: tf.Tensor[]) {
    const x = inputs[0] as tf.Tensor2D;
    return { outputs: [tf.matMul(x, this.ka.val as tf.Tensor2D), tf.matMul(x, this.kb.val as tf.Tensor2D)], masks: [null, null] };
  }
}

/**
 * A stateful model: output = x·kernel + state, where the state is the running sum of the previous
 * batches' inputs (kept outside the gradient, like an RNN state between batches).
 */
export class StatefulModel extends FakeModel {
  readonly name = 'stateful';
  override readonly stateful = true;
  readonly inputNames = ['input'];
  readonly outputNames = ['out'];
  readonly kernel: FakeWeight;
  readonly layers: LayerLike[];
  state: tf.Tensor | null = null;
  resets = 0;
  /** The state seen at each call (sum over the batch), to check it carries over. */
  statesSeen: number[] = [];
  constructor(readonly batchSize: number) {
    super();
    this.kernel = new FakeWeight('out/kernel', tf.ones([1, 1]));
    this.layers = [{ name: 'out', trainableWeights: [this.kernel] }];
  }
  forward(inputs: tf.Tensor[]) {
    const x = inputs[0] as tf.Tensor2D;
    if (x.shape[0] !== this.batchSize) throw new Error(`stateful fake: batch of ${x.shape[0]}, expected ${this.batchSize}`);
    const state = this.state ?? tf.zeros([this.batchSize, 1]);
    this.statesSeen.push(state.sum().dataSync()[0]);
    const out = tf.matMul(x, this.kernel.val as tf.Tensor2D).add(state);
    const next = tf.keep(state.add(x));
    this.state?.dispose();
    if (!this.state) state.dispose();
    this.state = next;
    return { outputs: [out], masks: [null] };
  }
  override resetStates(): void {
    this.resets += 1;
    this.state?.dispose();
    this.state = null;
  }
}
