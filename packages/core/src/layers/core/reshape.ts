import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, boundedShape, parseLayerArgs } from '../../engine/schema_parts';
import { describeValue } from '../../config/describe_value';
import { formatShape, type Shape, type Tensor } from '../../engine/types';

const targetDim = z.number().refine((v) => (Number.isInteger(v) && v > 0) || v === -1, {
  error: (iss) => `expected positive integers and at most one -1, got ${describeValue(iss.input)}`,
});

export const reshapeArgsSchema = baseLayerArgsSchema.extend({
  /** Target shape without the batch dimension; one entry may be -1 (inferred). */
  targetShape: boundedShape(targetDim).refine((s) => s.filter((d) => d === -1).length <= 1, {
    error: 'at most one dimension may be -1',
  }),
}).strict();

export type ReshapeArgs = z.input<typeof reshapeArgsSchema>;

/** Reshapes every sample to `targetShape` (batch dimension kept). */
export class Reshape extends Layer {
  static override className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    const a = parseLayerArgs('Reshape', reshapeArgsSchema, args);
    super(a);
    this.targetShape = [...a.targetShape];
  }

  /** The target shape with -1 resolved from the number of elements per sample (when known). */
  private resolve(sampleShape: Shape): Shape {
    const target: Shape = [...this.targetShape];
    const known = sampleShape.every((d) => d != null);
    const unknownAt = this.targetShape.indexOf(-1);
    const fixed = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (known) {
      const total = (sampleShape as number[]).reduce((a, b) => a * b, 1);
      if (unknownAt >= 0 ? total % fixed !== 0 : total !== fixed) {
        throw new Error(`${this.describe()}: cannot reshape samples of shape ${formatShape(sampleShape)} (${total} values) to [${this.targetShape.join(', ')}].`);
      }
      if (unknownAt >= 0) target[unknownAt] = total / fixed;
    } else if (unknownAt >= 0) {
      target[unknownAt] = null;
    }
    return target;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const target = this.resolve(x.shape.slice(1)) as number[];
    return x.reshape([x.shape[0], ...target]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0], ...this.resolve(shape.slice(1))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

registerLayer(Reshape);
