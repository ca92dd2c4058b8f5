import { getLayerClass, layerClassNames } from '../engine/registry';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { Dense, layers } from './index';

describe('layer registry and factories', () => {
  test('every layer of this package is registered under its Keras class name', () => {
    const names = layerClassNames();
    for (const name of ['InputLayer', 'Dense', 'Embedding', 'Masking', 'Dropout', 'SpatialDropout1D', 'Activation', 'Flatten',
      'Reshape', 'RepeatVector', 'TimeDistributed', 'Concatenate', 'Add', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D',
      'Functional', 'Model', 'Sequential']) {
      expect(names).toContain(name);
    }
    expect(getLayerClass('Dense')).toBe(Dense);
    expect(getLayerClass('Functional')).toBe(Model);
    expect(getLayerClass('Sequential')).toBe(Sequential);
    expect(getLayerClass('GlobalAvgPool1D')).toBe(getLayerClass('GlobalAveragePooling1D'));
  });

  test('factories build the classes', () => {
    expect(layers.dense({ units: 2 })).toBeInstanceOf(Dense);
    expect(layers.globalMaxPooling1d().className).toBe('GlobalMaxPooling1D');
    expect(layers.timeDistributed({ layer: layers.dense({ units: 1 }) }).className).toBe('TimeDistributed');
    expect(layers.spatialDropout1d({ rate: 0.1 }).className).toBe('SpatialDropout1D');
  });
});
