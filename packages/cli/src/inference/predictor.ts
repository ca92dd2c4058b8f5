import * as tf from '@tensorflow/tfjs';

/** A model's forward pass on a batch: inputs in the model's input order, outputs in its output order. */
export type Predictor = (xs: tf.Tensor[]) => tf.Tensor[];
