import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { baseLayerArgsSchema } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import {
  checkWindowFits, dataFormatSchema, oneDimension, swapChannels, unwrapOne, windowOutputLength, windowPadding, windowTaps,
  type DataFormat, type WindowSpec,
} from '../convolutional/conv_utils';
import type { TfjsConfigProblem } from '../tfjs_dialect';

export const pooling1DArgsSchema = baseLayerArgsSchema.extend({
  poolSize: oneDimension().optional(),
  /** Step between windows; null or absent means poolSize (non-overlapping windows). */
  strides: oneDimension().nullish(),
  padding: z.enum(['valid', 'same'], { error: (iss) => `expected "valid" or "same", got ${JSON.stringify(iss.input)}` }).optional(),
  dataFormat: dataFormatSchema.nullish(),
}).strict();

export type Pooling1DArgs = z.input<typeof pooling1DArgsSchema>;

/**
 * Shared part of MaxPooling1D and AveragePooling1D: windows of `poolSize` steps every `strides`
 * steps over the time axis, combined by the subclass's `pool` from the window's taps (whole-tensor
 * maxima or sums). Masks are not propagated (Keras 3's poolings drop them).
 */
export abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  constructor(args: z.output<typeof pooling1DArgsSchema>) {
    super(args);
    this.poolSize = unwrapOne(args.poolSize ?? 2);
    this.strides = unwrapOne(args.strides ?? this.poolSize);
    this.padding = args.padding ?? 'valid';
    this.dataFormat = args.dataFormat ?? 'channels_last';
  }

  protected get window(): WindowSpec {
    return { kernel: this.poolSize, stride: this.strides, dilation: 1, padding: this.padding };
  }

  private get stepsAxis(): number {
    return this.dataFormat === 'channels_last' ? 1 : 2;
  }

  /** Combines the taps of the windows of x [batch, steps, channels] into [batch, out, channels]. */
  protected abstract pool(x: Tensor): Tensor;

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 3) throw new Error(`${this.describe()}: expects inputs [batch, steps, channels], got ${formatShape(shape)}.`);
    checkWindowFits(this.describe(), shape, this.stepsAxis, this.window);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x.rank !== 3) throw new Error(`${this.describe()}: expects inputs [batch, steps, channels], got shape [${x.shape.join(', ')}].`);
    checkWindowFits(this.describe(), [...x.shape], this.stepsAxis, this.window);
    return tf.tidy(() => {
      const pooled = this.pool(this.dataFormat === 'channels_last' ? x : swapChannels(x));
      return this.dataFormat === 'channels_last' ? pooled : swapChannels(pooled);
    });
  }

  /** The window taps of x, padded with `padValue` where 'same' padding reaches past the sequence. */
  protected taps(x: Tensor, padValue: number): Tensor[] {
    return windowTaps(x, this.window, padValue);
  }

  /** For 'same' padding, how many real (not padding) steps each output window covers. */
  protected stepsPerWindow(length: number): number[] {
    const out = windowOutputLength(length, this.window) as number;
    const [before] = windowPadding(length, this.window);
    return Array.from({ length: out }, (_, t) => {
      const start = t * this.strides - before;
      return Math.min(start + this.poolSize, length) - Math.max(start, 0);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...(inputShape as Shape)];
    shape[this.stepsAxis] = windowOutputLength(shape[this.stepsAxis], this.window);
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [this.poolSize], padding: this.padding, strides: [this.strides], dataFormat: this.dataFormat };
  }

  /** tfjs's 1-D poolings are channels_last only and have no data_format. */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    const format = config.dataFormat;
    delete config.dataFormat;
    return format === 'channels_first' ? [{ key: 'dataFormat', reason: "TensorFlow.js's 1-D poolings are channels_last only" }] : [];
  }
}
