/**
 * A functional model that uses every companion layer (convolution front-ends, merges, normalization,
 * activations, regularization), for the config round-trip tests. `forTfjs` leaves out the layers
 * TensorFlow.js does not have, so the model can be written in its dialect.
 */
import { input } from '../../engine/input_layer';
import type { Layer } from '../../engine/layer';
import type { SymbolicTensor } from '../../engine/symbolic';
import { Model } from '../../models/model';
import { layers } from '../index';

export function companionLayersModel(forTfjs = false): Model {
  const a = input({ shape: [12, 4], name: 'signal' });
  const b = input({ shape: [12, 4], name: 'context' });
  const call = (layer: Layer, x: SymbolicTensor | SymbolicTensor[]) => layer.apply(x) as SymbolicTensor;
  const chain = (x: SymbolicTensor, list: Layer[]) => list.reduce((t, layer) => call(layer, t), x);
  let x = chain(a, [
    layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.batchNormalization({ momentum: 0.9 }),
    layers.reLU({ maxValue: 6 }),
    layers.leakyReLU({ negativeSlope: 0.1 }),
    layers.prelu({ sharedAxes: [1] }),
    layers.elu(),
    layers.maxPooling1d({ poolSize: 2 }),
    layers.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }),
  ]);
  if (!forTfjs) {
    x = chain(x, [layers.zeroPadding1d({ padding: [1, 1] }), layers.cropping1d({ cropping: [1, 1] }), layers.upSampling1d({ size: 2 })]);
  } else {
    x = call(layers.conv1d({ filters: 8, kernelSize: 1 }), call(layers.reshape({ targetShape: [12, 4] }), x));
  }
  x = chain(x, [layers.layerNormalization({ epsilon: 1e-5 }), layers.gaussianNoise({ stddev: 0.1 }), layers.gaussianDropout({ rate: 0.1 })]);
  if (!forTfjs) x = call(layers.activityRegularization({ l2: 1e-3 }), x);
  const y = call(layers.conv1d({ filters: 8, kernelSize: 1 }), b);
  const product = call(layers.multiply(), [x, y]);
  const difference = forTfjs ? x : call(layers.subtract(), [x, y]);
  const mean = call(layers.average(), [product, difference]);
  const largest = call(layers.maximum(), [mean, x]);
  const smallest = call(layers.minimum(), [largest, y]);
  const swapped = call(layers.permute({ dims: [2, 1] }), smallest);
  const scores = call(layers.dot({ axes: [2, 2], normalize: true }), [swapped, swapped]);
  return new Model({ inputs: [a, b], outputs: call(layers.softmax({ axis: -1 }), scores), name: 'companions' });
}
