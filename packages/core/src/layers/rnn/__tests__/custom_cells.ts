import * as tf from '@tensorflow/tfjs';
import type { LayerVariable } from '../../../engine/variable';
import { getInitializer } from '../../../initializers/lookup';
import type { RecurrentCell } from '../cell_protocol';

/**
 * A minimal gated unit (Zhou et al., 2016) written as a plain object: one forget gate f,
 * candidate tanh(x·Wh + (f*h)·Uh + bh), h' = (1-f)*h + f*candidate. Its weights come from the
 * layer's weight factory, so the RNN layer owns them.
 */
export function minimalGatedCell(units: number): RecurrentCell {
  const w: Record<string, LayerVariable> = {};
  return {
    stateSize: units,
    build(inputShape, addWeight) {
      const features = inputShape[inputShape.length - 1] as number;
      const zeros = getInitializer('zeros');
      w.wf = addWeight('forget_kernel', [features, units]);
      w.uf = addWeight('forget_recurrent_kernel', [units, units], { initializer: getInitializer('orthogonal') });
      w.bf = addWeight('forget_bias', [units], { initializer: zeros });
      w.wh = addWeight('kernel', [features, units]);
      w.uh = addWeight('recurrent_kernel', [units, units], { initializer: getInitializer('orthogonal') });
      w.bh = addWeight('bias', [units], { initializer: zeros });
    },
    call(x, [h]) {
      const f = tf.sigmoid(tf.add(tf.add(tf.matMul(x, w.wf.read()), tf.matMul(h, w.uf.read())), w.bf.read()));
      const candidate = tf.tanh(tf.add(tf.add(tf.matMul(x, w.wh.read()), tf.matMul(tf.mul(f, h), w.uh.read())), w.bh.read()));
      const next = tf.add(tf.mul(tf.sub(1, f), h), tf.mul(f, candidate));
      return [next, [next]];
    },
  };
}

/**
 * A peephole LSTM (Gers & Schmidhuber, 2000) written as a class that creates its own tf.Variables:
 * the gates also see the cell state through diagonal peephole weights.
 */
export class PeepholeCell implements RecurrentCell {
  readonly stateSize: number[];
  private vars: tf.Variable[] = [];

  constructor(private readonly units: number, private readonly seed = 1) {
    this.stateSize = [units, units];
  }

  get trainableWeights(): tf.Variable[] {
    return this.vars;
  }

  build(inputShape: (number | null)[]): void {
    const features = inputShape[inputShape.length - 1] as number;
    const u = this.units;
    const make = (shape: number[], scale: number, seed: number): tf.Variable => {
      const init = tf.randomNormal(shape, 0, scale, 'float32', seed);
      const v = tf.variable(init, true);
      init.dispose();
      return v;
    };
    this.vars = [
      make([features, 4 * u], 0.3, this.seed), make([u, 4 * u], 0.3, this.seed + 1), make([4 * u], 0.01, this.seed + 2),
      make([3, u], 0.1, this.seed + 3),
    ];
  }

  call(x: tf.Tensor, [h, c]: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const [kernel, recurrent, bias, peep] = this.vars;
    const z = tf.add(tf.add(tf.matMul(x, kernel), tf.matMul(h, recurrent)), bias);
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    const [pi, pf, po] = tf.unstack(peep, 0);
    const i = tf.sigmoid(tf.add(zi, tf.mul(c, pi)));
    const f = tf.sigmoid(tf.add(zf, tf.mul(c, pf)));
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(zc)));
    const o = tf.sigmoid(tf.add(zo, tf.mul(cNext, po)));
    const hNext = tf.mul(o, tf.tanh(cNext));
    return [hNext, [hNext, cNext]];
  }
}
