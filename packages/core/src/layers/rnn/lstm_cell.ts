import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { LayerDType, Tensor } from '../../engine/types';
import { Initializer } from '../../initializers/initializer';
import { affine, GatedCell, gatedCellArgsSchema, type GateBlocks } from './builtin_cell';

export const lstmCellArgsSchema = gatedCellArgsSchema.extend({
  unitForgetBias: z.boolean().optional(),
}).strict();
export type LSTMCellArgs = z.input<typeof lstmCellArgsSchema>;

/**
 * Keras's unit_forget_bias: the bias starts as [init(U), ones(U), init(2U)], i.e. a forget-gate bias
 * of 1, so the cell remembers by default early in training (Jozefowicz et al., 2015).
 */
class UnitForgetBias extends Initializer {
  static override className = 'UnitForgetBias';
  constructor(private readonly base: Initializer, private readonly units: number) {
    super();
  }
  apply(shape: number[], dtype: LayerDType = 'float32', seed?: number): tf.Tensor {
    const u = this.units;
    if (shape.length !== 1 || shape[0] !== 4 * u) {
      throw new Error(`LSTMCell: the unit-forget bias initializer expects shape [${4 * u}], got [${shape.join(', ')}].`);
    }
    return tf.tidy(() => tf.concat([
      this.base.apply([u], dtype, seed),
      tf.ones([u], dtype),
      this.base.apply([2 * u], dtype, seed === undefined ? undefined : seed + 1),
    ]));
  }
}

/**
 * One LSTM step (Keras LSTMCell), gate blocks i, f, c, o:
 * `z = (x*dm)·K + (h_prev*rdm)·R + b`; `i = ra(z_i)`, `f = ra(z_f)`, `c = f*c_prev + i*act(z_c)`,
 * `o = ra(z_o)`, `h = o*act(c)`. States are [h, c]; the output is h.
 */
export class LSTMCell extends GatedCell {
  static override className = 'LSTMCell';
  readonly kind = 'lstm' as const;
  protected readonly gates = 4;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs) {
    const a = parseLayerArgs('LSTMCell', lstmCellArgsSchema, args);
    super(a);
    this.unitForgetBias = a.unitForgetBias ?? true;
  }

  get stateSize(): number[] {
    return [this.units, this.units];
  }

  protected override biasInitializerForBuild(): Initializer {
    return this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, this.units) : this.biasInitializer;
  }

  protected stepMath(input: Tensor, states: Tensor[], hDropped: Tensor, w: GateBlocks): [Tensor, Tensor[]] {
    const cPrev = states[1];
    const [zi, zf, zc, zo] = [0, 1, 2, 3].map((g) =>
      tf.add(affine(input, w.kernel[g], w.inputBias?.[g]), tf.matMul(hDropped, w.recurrentKernel[g])));
    const i = this.recurrentActivation.apply(zi);
    const f = this.recurrentActivation.apply(zf);
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, this.activation.apply(zc)));
    const o = this.recurrentActivation.apply(zo);
    const h = tf.mul(o, this.activation.apply(c));
    return [h, [h, c]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.commonConfig(),
      unitForgetBias: this.unitForgetBias,
    };
  }
}

registerLayer(LSTMCell);
