import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations/activations';
import { getConstraint } from '../../constraints';
import type { Constraint } from '../../constraints/constraint';
import type { Initializer } from '../../initializers/initializer';
import type { Regularizer } from '../../regularizers/regularizer';
import { getInitializer } from '../../initializers/lookup';
import { getRegularizer } from '../../regularizers';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import {
  activationSchema, baseLayerArgsSchema, constraintSchema, initializerSchema, parseLayerArgs, positiveInt, regularizerSchema,
} from '../../engine/schema_parts';
import { serializeOptional } from '../../engine/serialization';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';

export const denseArgsSchema = baseLayerArgsSchema.extend({
  units: positiveInt(),
  activation: activationSchema.optional(),
  useBias: z.boolean().optional(),
  kernelInitializer: initializerSchema.optional(),
  biasInitializer: initializerSchema.optional(),
  kernelRegularizer: regularizerSchema.optional(),
  biasRegularizer: regularizerSchema.optional(),
  kernelConstraint: constraintSchema.optional(),
  biasConstraint: constraintSchema.optional(),
}).strict();

export type DenseArgs = z.input<typeof denseArgsSchema>;

/** `activation(x · kernel + bias)` on the last axis; a 3-D input is handled step by step in one matmul. */
export class Dense extends Layer {
  static override className = 'Dense';
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: DenseArgs) {
    const a = parseLayerArgs('Dense', denseArgsSchema, args);
    super(a);
    this.units = a.units;
    this.activation = getActivation(a.activation ?? 'linear');
    this.useBias = a.useBias ?? true;
    this.kernelInitializer = getInitializer(a.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(a.biasInitializer ?? 'zeros');
    this.kernelRegularizer = a.kernelRegularizer ? getRegularizer(a.kernelRegularizer) : null;
    this.biasRegularizer = a.biasRegularizer ? getRegularizer(a.biasRegularizer) : null;
    this.kernelConstraint = a.kernelConstraint ? getConstraint(a.kernelConstraint) : null;
    this.biasConstraint = a.biasConstraint ? getConstraint(a.biasConstraint) : null;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const inputDim = shape[shape.length - 1];
    if (shape.length < 2 || inputDim == null) {
      throw new Error(`${this.describe()}: needs an input of rank >= 2 with a known last dimension, got ${formatShape(shape)}.`);
    }
    this.kernel = this.addWeight('kernel', [inputDim, this.units], {
      initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], {
        initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint,
      });
    }
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const kernel = this.kernel!.read();
    const inputDim = kernel.shape[0];
    if (x.shape[x.rank - 1] !== inputDim) {
      throw new Error(`${this.describe()}: was built for inputs with last dimension ${inputDim}, got shape [${x.shape.join(', ')}].`);
    }
    return tf.tidy(() => {
      const flat = x.rank === 2 ? x : x.reshape([-1, inputDim]);
      let y = tf.matMul(flat.dtype === 'float32' ? flat : flat.cast('float32'), kernel);
      if (this.bias) y = y.add(this.bias.read());
      y = this.activation.apply(y);
      return x.rank === 2 ? y : y.reshape([...x.shape.slice(0, -1), this.units]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: serializeOptional(this.kernelRegularizer),
      biasRegularizer: serializeOptional(this.biasRegularizer),
      kernelConstraint: serializeOptional(this.kernelConstraint),
      biasConstraint: serializeOptional(this.biasConstraint),
    };
  }
}

registerLayer(Dense);
