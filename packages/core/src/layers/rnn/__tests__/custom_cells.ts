import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { LayerArgs } from '../../../engine/layer';
import { registerLayer } from '../../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../../../engine/schema_parts';
import { isShapeList, type Shape } from '../../../engine/types';
import type { LayerVariable } from '../../../engine/variable';
import { getInitializer } from '../../../initializers/lookup';
import { RandomNormal } from '../../../initializers/random_initializers';
import { RNNCell } from '../rnn_cell';

function stepInputFeatures(inputShape: Shape | Shape[]): number {
  const shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
  return shape[shape.length - 1] as number;
}

const minimalGatedCellArgsSchema = baseLayerArgsSchema.pick({ name: true, trainable: true, dtype: true }).extend({ units: positiveInt() }).strict();

/**
 * A minimal gated unit (Zhou et al., 2016) written as a user cell: one forget gate f, candidate
 * tanh(x·Wh + (f*h)·Uh + bh), h' = (1-f)*h + f*candidate. Its weights are declared with addWeight, so
 * the RNN layer lists, trains and saves them; registered with its argument schema, it can be written
 * to a config and read back like a built-in cell.
 */
export class MinimalGatedCell extends RNNCell {
  static override className = 'MinimalGatedCell';
  static argsSchema = minimalGatedCellArgsSchema;
  readonly stateSize: number;
  private readonly units: number;
  private readonly w = new Map<string, LayerVariable>();

  constructor(args: z.input<typeof minimalGatedCellArgsSchema>) {
    const a = parseLayerArgs('MinimalGatedCell', minimalGatedCellArgsSchema, args);
    super(a);
    this.units = a.units;
    this.stateSize = a.units;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units };
  }

  override build(inputShape: Shape | Shape[]): void {
    const features = stepInputFeatures(inputShape);
    const u = this.units;
    const zeros = getInitializer('zeros');
    const orthogonal = getInitializer('orthogonal');
    this.w.set('wf', this.addWeight('forget_kernel', [features, u]));
    this.w.set('uf', this.addWeight('forget_recurrent_kernel', [u, u], { initializer: orthogonal }));
    this.w.set('bf', this.addWeight('forget_bias', [u], { initializer: zeros }));
    this.w.set('wh', this.addWeight('kernel', [features, u]));
    this.w.set('uh', this.addWeight('recurrent_kernel', [u, u], { initializer: orthogonal }));
    this.w.set('bh', this.addWeight('bias', [u], { initializer: zeros }));
  }

  step(x: tf.Tensor, [h]: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const w = (key: string): tf.Tensor => this.w.get(key)!.read();
    const f = tf.sigmoid(tf.add(tf.add(tf.matMul(x, w('wf')), tf.matMul(h, w('uf'))), w('bf')));
    const candidate = tf.tanh(tf.add(tf.add(tf.matMul(x, w('wh')), tf.matMul(tf.mul(f, h), w('uh'))), w('bh')));
    const next = tf.add(tf.mul(tf.sub(1, f), h), tf.mul(f, candidate));
    return [next, [next]];
  }
}

registerLayer(MinimalGatedCell);

/**
 * A peephole LSTM (Gers & Schmidhuber, 2000) written as a user cell with two states and weights of its
 * own drawn from seeded normal distributions: the gates also see the cell state through diagonal
 * peephole weights.
 */
export class PeepholeCell extends RNNCell {
  readonly stateSize: number[];
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  peepholes: LayerVariable | null = null;

  constructor(private readonly units: number, private readonly seed = 1, args: LayerArgs = {}) {
    super(args);
    this.stateSize = [units, units];
  }

  override build(inputShape: Shape | Shape[]): void {
    const features = stepInputFeatures(inputShape);
    const u = this.units;
    const normal = (stddev: number, seed: number) => ({ initializer: new RandomNormal({ mean: 0, stddev, seed }) });
    this.kernel = this.addWeight('kernel', [features, 4 * u], normal(0.3, this.seed));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 4 * u], normal(0.3, this.seed + 1));
    this.bias = this.addWeight('bias', [4 * u], normal(0.01, this.seed + 2));
    this.peepholes = this.addWeight('peepholes', [3, u], normal(0.1, this.seed + 3));
  }

  step(x: tf.Tensor, [h, c]: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const z = tf.add(tf.add(tf.matMul(x, this.kernel!.read()), tf.matMul(h, this.recurrentKernel!.read())), this.bias!.read());
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    const [pi, pf, po] = tf.unstack(this.peepholes!.read(), 0);
    const i = tf.sigmoid(tf.add(zi, tf.mul(c, pi)));
    const f = tf.sigmoid(tf.add(zf, tf.mul(c, pf)));
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(zc)));
    const o = tf.sigmoid(tf.add(zo, tf.mul(cNext, po)));
    const hNext = tf.mul(o, tf.tanh(cNext));
    return [hNext, [hNext, cNext]];
  }
}
