import { z } from 'zod';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations/activations';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { activationSchema, baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';

export const activationArgsSchema = baseLayerArgsSchema.extend({
  activation: activationSchema,
}).strict();

export type ActivationArgs = z.input<typeof activationArgsSchema>;

/** Applies an activation function to its input. */
export class Activation extends Layer {
  static override className = 'Activation';
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    const a = parseLayerArgs('Activation', activationArgsSchema, args);
    super(a);
    this.activation = getActivation(a.activation);
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return this.activation.apply(Array.isArray(inputs) ? inputs[0] : inputs);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: serializeActivation(this.activation) };
  }
}

registerLayer(Activation);
