import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { L1L2 } from '../../regularizers/regularizer';
import { nonNegativeNumber } from '../activations/activation_args';
import { notInTfjs } from '../tfjs_dialect';

export const activityRegularizationArgsSchema = baseLayerArgsSchema.omit({ activityRegularizer: true }).extend({
  /** Factor of the L1 penalty sum(|x|) (default 0). */
  l1: nonNegativeNumber().optional(),
  /** Factor of the L2 penalty sum(x^2) (default 0). */
  l2: nonNegativeNumber().optional(),
}).strict();

export type ActivityRegularizationArgs = z.input<typeof activityRegularizationArgsSchema>;

/**
 * The identity, adding l1 * sum(|x|) + l2 * sum(x^2) of its input to the model's losses on every call
 * (Keras ActivityRegularization: an activity regularizer L1L2(l1, l2) on an identity layer). The mask
 * passes through.
 */
export class ActivityRegularization extends Layer {
  static override className = 'ActivityRegularization';
  static adaptConfigForTfjs = notInTfjs('ActivityRegularization');
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    const a = parseLayerArgs('ActivityRegularization', activityRegularizationArgsSchema, args);
    const l1 = a.l1 ?? 0;
    const l2 = a.l2 ?? 0;
    super({ ...a, activityRegularizer: new L1L2({ l1, l2 }) });
    this.l1 = l1;
    this.l2 = l2;
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }

  override getConfig(): Record<string, unknown> {
    const { activityRegularizer, ...base } = super.getConfig();
    void activityRegularizer;
    return { ...base, l1: this.l1, l2: this.l2 };
  }
}

registerLayer(ActivityRegularization);
