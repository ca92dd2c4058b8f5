import { z } from 'zod';
import {
  activationSchema, baseLayerArgsSchema, constraintSchema, initializerSchema, positiveInt, regularizerSchema, seedSchema,
} from '../../engine/schema_parts';

/** A dropout fraction. Keras accepts [0, 1] and applies dropout only strictly between 0 and 1. */
const dropoutRate = () =>
  z.number({ error: (iss) => `expected a number in [0, 1], got ${JSON.stringify(iss.input)}` })
    .refine((v) => v >= 0 && v <= 1, { error: (iss) => `expected a number in [0, 1], got ${JSON.stringify(iss.input)}` });

/** Arguments shared by SimpleRNNCell, LSTMCell and GRUCell (and so by their layers). */
export const cellCommonArgsSchema = baseLayerArgsSchema.extend({
  units: positiveInt(),
  activation: activationSchema.optional(),
  useBias: z.boolean().optional(),
  kernelInitializer: initializerSchema.optional(),
  recurrentInitializer: initializerSchema.optional(),
  biasInitializer: initializerSchema.optional(),
  kernelRegularizer: regularizerSchema.optional(),
  recurrentRegularizer: regularizerSchema.optional(),
  biasRegularizer: regularizerSchema.optional(),
  kernelConstraint: constraintSchema.optional(),
  recurrentConstraint: constraintSchema.optional(),
  biasConstraint: constraintSchema.optional(),
  dropout: dropoutRate().optional(),
  recurrentDropout: dropoutRate().optional(),
  seed: seedSchema().optional(),
});

/** LSTM and GRU: a gate activation, and Keras's `implementation` (1 or 2; accepted, same math). */
export const gatedCellArgsSchema = cellCommonArgsSchema.extend({
  recurrentActivation: activationSchema.optional(),
  implementation: z.union([z.literal(1), z.literal(2)], { error: 'expected 1 or 2' }).optional(),
});

/**
 * How a built-in recurrent layer runs: 'auto' (default) uses the fused kernel whenever the
 * configuration allows it, false always runs the step-by-step cell loop, true demands the fused
 * kernel and throws when the configuration is not supported. Like Keras's `use_cudnn`, it is a
 * run-time choice and not part of the config.
 */
export const useFusedSchema = z.union([z.literal('auto'), z.boolean()], { error: "expected 'auto', true or false" });
export type UseFused = z.output<typeof useFusedSchema>;

/** Arguments of the RNN base layer (besides the cell). */
export const rnnLayerArgsShape = {
  returnSequences: z.boolean().optional(),
  returnState: z.boolean().optional(),
  goBackwards: z.boolean().optional(),
  stateful: z.boolean().optional(),
  unroll: z.boolean().optional(),
  zeroOutputForMask: z.boolean().optional(),
  useFused: useFusedSchema.optional(),
};
