import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Shape, Tensor } from '../../engine/types';
import { dataFormatSchema, type DataFormat } from '../convolutional/conv_utils';
import { notInTfjs } from '../tfjs_dialect';
import { SequenceLayer } from './sequence_layer';
import { beforeAfter, beforeAfterSchema } from './padding_args';

export const zeroPadding1DArgsSchema = baseLayerArgsSchema.extend({
  /** Zero steps added at the start and the end of the time axis (default 1 each). */
  padding: beforeAfterSchema().optional(),
  dataFormat: dataFormatSchema.nullish(),
}).strict();

export type ZeroPadding1DArgs = z.input<typeof zeroPadding1DArgsSchema>;

/** Adds zero steps before and after a sequence (Keras ZeroPadding1D). Masks are not propagated (Keras 3). */
export class ZeroPadding1D extends SequenceLayer {
  static override className = 'ZeroPadding1D';
  static adaptConfigForTfjs = notInTfjs('ZeroPadding1D');
  readonly padding: [number, number];
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding1DArgs = {}) {
    const a = parseLayerArgs('ZeroPadding1D', zeroPadding1DArgsSchema, args);
    super(a);
    this.padding = beforeAfter(a.padding ?? 1);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  private get stepsAxis(): number {
    return this.dataFormat === 'channels_last' ? 1 : 2;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const pads: [number, number][] = [[0, 0], [0, 0], [0, 0]];
    pads[this.stepsAxis] = this.padding;
    return tf.pad(x, pads);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...(inputShape as Shape)];
    const steps = shape[this.stepsAxis];
    shape[this.stepsAxis] = steps == null ? null : steps + this.padding[0] + this.padding[1];
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: [...this.padding], dataFormat: this.dataFormat };
  }
}

registerLayer(ZeroPadding1D);
