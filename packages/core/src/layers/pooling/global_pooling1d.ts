import { z } from 'zod';
import { Layer } from '../../engine/layer';
import { baseLayerArgsSchema } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import { dropDefaultKey, type TfjsConfigProblem } from '../tfjs_dialect';

export const globalPooling1DArgsSchema = baseLayerArgsSchema.extend({
  dataFormat: z.enum(['channels_last', 'channels_first']).nullish(),
  /** Keep the pooled time axis with size 1. */
  keepdims: z.boolean().optional(),
}).strict();

export type GlobalPooling1DArgs = z.input<typeof globalPooling1DArgsSchema>;

/** Shared shape logic of the global 1-D poolings: reduce the time axis of [batch, time, features]. */
export abstract class GlobalPooling1D extends Layer {
  readonly dataFormat: 'channels_last' | 'channels_first';
  readonly keepdims: boolean;

  constructor(args: z.output<typeof globalPooling1DArgsSchema>) {
    super(args);
    this.dataFormat = args.dataFormat ?? 'channels_last';
    this.keepdims = args.keepdims ?? false;
    // Masks are consumed here (they select the steps to pool), and none comes out.
    this.supportsMasking = true;
  }

  /** The time axis: 1 for channels_last, 2 for channels_first. */
  protected get stepsAxis(): number {
    return this.dataFormat === 'channels_last' ? 1 : 2;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 3) throw new Error(`${this.describe()}: expects [batch, time, features] inputs, got ${formatShape(shape)}.`);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...(inputShape as Shape)];
    if (this.keepdims) {
      shape[this.stepsAxis] = 1;
      return shape;
    }
    shape.splice(this.stepsAxis, 1);
    return shape;
  }

  override computeMask(): Tensor | null {
    return null;
  }

  /** The mask [batch, time] as float, shaped to broadcast against the input. */
  protected maskFor(mask: Tensor, x: Tensor): Tensor {
    return mask.cast(x.dtype).expandDims(this.dataFormat === 'channels_last' ? 2 : 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }

  /** TensorFlow.js's global 1-D poolings read neither key: they always pool axis 1 and drop it. */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    return [
      ...dropDefaultKey(config, 'dataFormat', 'channels_last', "TensorFlow.js's global 1-D poolings are channels_last only"),
      ...dropDefaultKey(config, 'keepdims', false, "TensorFlow.js's global 1-D poolings have no keepdims"),
    ];
  }
}
