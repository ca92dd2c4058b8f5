/**
 * The arguments Dense and Conv1D share: an activation and a kernel with an optional bias, each weight
 * with its initializer, regularizer and constraint. One schema piece and one resolved form, so both
 * layers read, build and serialize them the same way.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getActivation, serializeActivation, type ActivationFn, type ActivationIdentifier } from '../activations/activations';
import { getConstraint, type ConstraintIdentifier } from '../constraints';
import type { Constraint } from '../constraints/constraint';
import type { Layer } from '../engine/layer';
import { activationSchema, constraintSchema, initializerSchema, regularizerSchema } from '../engine/schema_parts';
import { serializeOptional } from '../engine/serialization';
import type { Initializer } from '../initializers/initializer';
import { getInitializer, type InitializerIdentifier } from '../initializers/lookup';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers';
import type { Regularizer } from '../regularizers/regularizer';
import type { LayerVariable } from '../engine/variable';

/** Schema keys of the activation, kernel and bias (spread into a layer's schema). */
export const kernelBiasArgsShape = {
  activation: activationSchema.optional(),
  useBias: z.boolean().optional(),
  kernelInitializer: initializerSchema.optional(),
  biasInitializer: initializerSchema.optional(),
  kernelRegularizer: regularizerSchema.optional(),
  biasRegularizer: regularizerSchema.optional(),
  kernelConstraint: constraintSchema.optional(),
  biasConstraint: constraintSchema.optional(),
};

interface KernelBiasArgs {
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** The resolved activation, kernel and bias options, with Keras's defaults. */
export class KernelBias {
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;

  constructor(a: KernelBiasArgs) {
    this.activation = getActivation(a.activation ?? 'linear');
    this.useBias = a.useBias ?? true;
    this.kernelInitializer = getInitializer(a.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(a.biasInitializer ?? 'zeros');
    this.kernelRegularizer = a.kernelRegularizer ? getRegularizer(a.kernelRegularizer) : null;
    this.biasRegularizer = a.biasRegularizer ? getRegularizer(a.biasRegularizer) : null;
    this.kernelConstraint = a.kernelConstraint ? getConstraint(a.kernelConstraint) : null;
    this.biasConstraint = a.biasConstraint ? getConstraint(a.biasConstraint) : null;
  }

  /** Declares `kernel` (of the given shape) and, with useBias, `bias` [units] on the layer. */
  addWeights(layer: Layer, kernelShape: number[], units: number): { kernel: LayerVariable; bias: LayerVariable | null } {
    const kernel = layer.addWeight('kernel', kernelShape, {
      initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    const bias = this.useBias
      ? layer.addWeight('bias', [units], { initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint })
      : null;
    return { kernel, bias };
  }

  /**
   * y [rows, units] + bias [units]. Its bias gradient (the column sums of dy) is one matrix product
   * ones[1, rows] x dy: tfjs's Sum over axis 0 first transposes dy element by element, which for a
   * convolution's batch*steps rows costs more than the product.
   */
  static addBias(y: tf.Tensor, bias: tf.Tensor): tf.Tensor {
    const add = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [value, b] = args as [tf.Tensor, tf.Tensor];
      return {
        value: tf.add(value, b),
        gradFunc: (dy: tf.Tensor) => [dy, tf.matMul(tf.ones([1, dy.shape[0] as number]), dy).reshape(b.shape)],
      };
    });
    return add(y, bias);
  }

  /** The camelCase config entries. */
  getConfig(): Record<string, unknown> {
    return {
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
