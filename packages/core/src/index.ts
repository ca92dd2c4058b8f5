// `import = require`: the module object itself, so `tf === require('@tensorflow/tfjs')` holds.
import tf = require('@tensorflow/tfjs');

export * from './engine';
export * from './activations';
export * from './initializers';
export * from './regularizers';
export * from './constraints';
export * from './layers';
export * from './models';
export * from './data';
export * from './config';
export * from './saving';
export * from './training';

/**
 * The TensorFlow.js the layers compute with: a peer dependency, so a program's own
 * `require('@tensorflow/tfjs')` is this same instance (its tensors go into fit and predict, and
 * tf.grad sees the layers' variables). `import { tf } from '@recurrent/core'` needs no second import.
 */
export { tf };
/** Which kernels run (native or TypeScript, and where the addon came from), and the switch between them. */
export { info, setImplementation, type KernelsInfo } from '@recurrent/kernels';
