/**
 * The IMDB-style front end (Embedding -> Conv1D -> MaxPooling1D -> LSTM -> Dense) as Keras 2 wrote it
 * (tf.keras 2.13 and standalone Keras 2.2.4 files): loads, summarizes, trains a step, round-trips
 * through both written dialects, and predicts the same in TensorFlow.js. And the other way: models that
 * TensorFlow.js builds and saves with these layers load here and predict what tfjs predicts.
 */
import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { compileModel } from '../../training/compile_args';
import { trainOnBatch } from '../../training/batch_methods';
import { expectLoadedFromTfjs, expectNoLeak, expectTfjsPredictsTheSame } from '../../testing';
import tfKeras213 from '../__tests__/fixtures/keras2_conv_lstm.json';
import keras224 from '../__tests__/fixtures/keras224_conv_lstm.json';

const tokens = () => tf.randomUniform([6, 40], 0, 500, 'int32', 4).cast('float32');
const labels = () => tf.tensor2d([[1], [0], [1], [1], [0], [0]]);

describe('Keras 2 Embedding -> Conv1D -> MaxPooling1D -> LSTM -> Dense', () => {
  for (const [label, doc] of [['tf.keras 2.13', tfKeras213], ['Keras 2.2.4', keras224]] as const) {
    test(`${label}: loads with the shapes and parameter counts Keras reports`, () => {
      const m = modelFromJSON(doc);
      expect(m.layers.map((l) => l.className)).toEqual(['Embedding', 'Conv1D', 'MaxPooling1D', 'LSTM', 'Dense']);
      expect(m.layers.map((l) => l.countParams())).toEqual([8000, 648, 0, 760, 11]);
      const lines: string[] = [];
      m.summary(undefined, (line) => lines.push(line));
      const text = lines.join('\n');
      expect(text).toMatch(/conv1d(_1)? \(Conv1D\)\s+\(None, 36, 8\)\s+648/);
      expect(text).toMatch(/max_pooling1d(_1)?\s+\(None, 9, 8\)\s+0\s*\n\s+\(MaxPooling1D\)/);
      expect(text).toMatch(/Total params: 9,419/);
      m.dispose();
    });

    test(`${label}: trains a step without leaking, round-trips in both dialects, and tfjs predicts the same`, async () => {
      const m = modelFromJSON(doc);
      compileModel(m, { optimizer: 'adam', loss: 'binary_crossentropy' });
      const x = tokens();
      const y = labels();
      const before = m.getWeights();
      const loss = trainOnBatch(m, x, y) as number;
      expect(Number.isFinite(loss)).toBe(true);
      const after = m.getWeights();
      // Every weight moved (the convolution's kernel and bias included).
      after.forEach((w, i) => expect(tf.max(tf.abs(tf.sub(w, before[i]))).dataSync()[0]).toBeGreaterThan(0));
      expectNoLeak('a training step', () => {
        trainOnBatch(m, x, y);
      });
      for (const dialect of ['tfjs', 'keras3'] as const) {
        const back = modelFromJSON(modelToJSON(m, { dialect }));
        // Keras 3's spelling moves the input shape into an InputLayer (and has no input_length).
        const configs = (model: typeof m) => model.layers.map((l) => {
          const { batchInputShape, inputLength, ...config } = l.getConfig();
          void batchInputShape;
          void inputLength;
          return config;
        });
        expect({ dialect, configs: configs(back) }).toEqual({ dialect, configs: configs(m) });
        const weights = m.getWeights();
        back.setWeights(weights);
        const p = m.predict(x) as Tensor;
        const q = back.predict(x) as Tensor;
        expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
        tf.dispose([...weights, p, q]);
        back.dispose();
      }
      await expectTfjsPredictsTheSame(m, [x]);
      tf.dispose([x, y, ...before, ...after]);
      m.dispose();
    });
  }
});

describe('models saved by TensorFlow.js with these layers load here and predict the same', () => {
  test('a Sequential of tfjs convolution, pooling, normalization and activation layers', async () => {
    const theirs = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 50, outputDim: 6, inputLength: 12 }),
        tf.layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'tanh' }),
        tf.layers.batchNormalization({ momentum: 0.8, movingMeanInitializer: 'randomNormal', movingVarianceInitializer: 'ones' }),
        tf.layers.leakyReLU({ alpha: 0.2 }),
        tf.layers.maxPooling1d({ poolSize: 2 }),
        tf.layers.prelu({ alphaInitializer: 'glorotUniform', sharedAxes: [1] }),
        tf.layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
        tf.layers.layerNormalization({ betaInitializer: 'randomNormal' }),
        tf.layers.elu(),
        tf.layers.gaussianNoise({ stddev: 0.2 }),
        tf.layers.gaussianDropout({ rate: 0.3 }),
        tf.layers.reLU({ maxValue: 0.8 }),
        tf.layers.permute({ dims: [2, 1] }),
        tf.layers.softmax({ axis: -1 }),
      ],
    });
    const x = tf.randomUniform([3, 12], 0, 50, 'int32', 5).cast('float32');
    const ours = await expectLoadedFromTfjs(theirs, [x]);
    expect((ours.layers.find((l) => l.className === 'LeakyReLU') as unknown as { negativeSlope: number }).negativeSlope).toBeCloseTo(0.2, 6);
    tf.dispose(x);
    theirs.dispose();
    ours.dispose();
  });

  test('a functional tfjs model with Dot, Multiply, Average, Maximum and Minimum', async () => {
    const a = tf.input({ shape: [4, 3] });
    const b = tf.input({ shape: [4, 3] });
    const product = tf.layers.multiply().apply([a, b]) as tf.SymbolicTensor;
    const mean = tf.layers.average().apply([product, a]) as tf.SymbolicTensor;
    const most = tf.layers.maximum().apply([mean, b]) as tf.SymbolicTensor;
    const least = tf.layers.minimum().apply([most, a]) as tf.SymbolicTensor;
    const scores = tf.layers.dot({ axes: [2, 2], normalize: true }).apply([least, b]) as tf.SymbolicTensor;
    const theirs = tf.model({ inputs: [a, b], outputs: scores });
    const xs = [tf.randomNormal([2, 4, 3], 0, 1, 'float32', 1), tf.randomNormal([2, 4, 3], 0, 1, 'float32', 2)];
    const ours = await expectLoadedFromTfjs(theirs, xs);
    tf.dispose(xs);
    theirs.dispose();
    ours.dispose();
  });
});
