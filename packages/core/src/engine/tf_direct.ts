import * as tf from '@tensorflow/tfjs';

/**
 * The tfjs classes and functions of the per-call path of predict (a generator calls it once per token),
 * read from the namespace once. Every `tf.name` in the compiled code goes through two getters, the import
 * helper's and tfjs's re-export of tfjs-core, and each of the two is one function shared by every name,
 * so its lookup is a slow generic one: about a tenth of a small model's predict call went there.
 */
export const { Tensor: TensorClass, Variable: VariableClass, engine: tfEngine, tensor: makeTensor } = tf;
