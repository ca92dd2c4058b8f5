import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, rate, seedSchema } from '../../engine/schema_parts';
import type { Shape } from '../../engine/types';
import { Dropout } from './dropout';

export const spatialDropout1DArgsSchema = baseLayerArgsSchema.extend({
  rate: rate(),
  seed: seedSchema().optional(),
}).strict();

export type SpatialDropout1DArgs = z.input<typeof spatialDropout1DArgsSchema>;

/** Drops whole feature channels of a [batch, time, features] input: one mask per sequence, shared by all steps. */
export class SpatialDropout1D extends Dropout {
  static override className = 'SpatialDropout1D';

  constructor(args: SpatialDropout1DArgs) {
    const a = parseLayerArgs('SpatialDropout1D', spatialDropout1DArgsSchema, args);
    super(a);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 3) throw new Error(`${this.describe()}: expects [batch, time, features] inputs, got rank ${shape.length}.`);
  }

  protected override maskShape(inputShape: number[]): number[] {
    return [inputShape[0], 1, inputShape[2]];
  }

  override getConfig(): Record<string, unknown> {
    const { noiseShape, ...config } = super.getConfig();
    void noiseShape;
    return config;
  }
}

registerLayer(SpatialDropout1D);
