import { getLayerClass, layerClassNames } from '../engine/registry';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { Dense, layers } from './index';

describe('layer registry and factories', () => {
  test('every layer of this package is registered under its Keras class name', () => {
    const names = layerClassNames();
    for (const name of ['InputLayer', 'Dense', 'Embedding', 'Masking', 'Dropout', 'SpatialDropout1D', 'Activation', 'Flatten',
      'Reshape', 'RepeatVector', 'TimeDistributed', 'Concatenate', 'Add', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D',
      'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'ZeroPadding1D', 'Cropping1D', 'UpSampling1D', 'Dot', 'Multiply', 'Subtract',
      'Average', 'Maximum', 'Minimum', 'Permute', 'LayerNormalization', 'BatchNormalization', 'Softmax', 'ReLU', 'LeakyReLU',
      'PReLU', 'ELU', 'GaussianNoise', 'GaussianDropout', 'ActivityRegularization', 'Functional', 'Model', 'Sequential']) {
      expect(names).toContain(name);
    }
    expect(getLayerClass('Dense')).toBe(Dense);
    expect(getLayerClass('Functional')).toBe(Model);
    expect(getLayerClass('Sequential')).toBe(Sequential);
    expect(getLayerClass('GlobalAvgPool1D')).toBe(getLayerClass('GlobalAveragePooling1D'));
    expect(getLayerClass('MaxPool1D')).toBe(getLayerClass('MaxPooling1D'));
    expect(getLayerClass('AvgPool1D')).toBe(getLayerClass('AveragePooling1D'));
    expect(getLayerClass('Convolution1D')).toBe(getLayerClass('Conv1D'));
  });

  test('factories build the classes', () => {
    expect(layers.dense({ units: 2 })).toBeInstanceOf(Dense);
    expect(layers.globalMaxPooling1d().className).toBe('GlobalMaxPooling1D');
    expect(layers.timeDistributed({ layer: layers.dense({ units: 1 }) }).className).toBe('TimeDistributed');
    expect(layers.spatialDropout1d({ rate: 0.1 }).className).toBe('SpatialDropout1D');
    const made = [
      layers.conv1d({ filters: 2, kernelSize: 3 }), layers.maxPooling1d(), layers.averagePooling1d(), layers.zeroPadding1d(),
      layers.cropping1d(), layers.upSampling1d(), layers.dot({ axes: 1 }), layers.multiply(), layers.subtract(), layers.average(),
      layers.maximum(), layers.minimum(), layers.permute({ dims: [1] }), layers.layerNormalization(), layers.batchNormalization(),
      layers.softmax(), layers.reLU(), layers.leakyReLU(), layers.prelu(), layers.elu(), layers.gaussianNoise({ stddev: 0.1 }),
      layers.gaussianDropout({ rate: 0.1 }), layers.activityRegularization(),
    ];
    expect(made.map((l) => l.className)).toEqual([
      'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'ZeroPadding1D', 'Cropping1D', 'UpSampling1D', 'Dot', 'Multiply', 'Subtract', 'Average',
      'Maximum', 'Minimum', 'Permute', 'LayerNormalization', 'BatchNormalization', 'Softmax', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU',
      'GaussianNoise', 'GaussianDropout', 'ActivityRegularization',
    ]);
  });
});
