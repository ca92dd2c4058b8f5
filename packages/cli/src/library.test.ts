import * as tf from '@tensorflow/tfjs';
import { History, Logs, modelFromJSON, numericArray, setSeed } from '@recurrent/core';
import { exampleSet, indexedExamples } from './data/example_set';
import { compile, predictor } from './library';

describe('training a real model on example sets', () => {
  it('learns, and holds no more tensors after the second epoch than after the first', async () => {
    setSeed(4);
    const model = modelFromJSON({
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'GRU', config: { units: 6, dropout: 0.1, batch_input_shape: [null, 5, 3] } }, { class_name: 'Dense', config: { units: 3, activation: 'softmax' } }] },
    });
    compile(model, { optimizer: { class_name: 'Adam', config: { learning_rate: 0.05 } }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] }, 'test');
    // the label is the id of the first step: a sequence rule the GRU must carry over 5 steps
    const ids = numericArray('int32', [60, 5]);
    const labels = numericArray('int32', [60]);
    for (let i = 0; i < 60; i++) {
      for (let t = 0; t < 5; t++) ids.data[i * 5 + t] = t === 0 ? i % 3 : (i * 7 + t) % 3;
      labels.data[i] = i % 3;
    }
    const set = exampleSet([{ array: ids, oneHot: { depth: 3, zeroForPadding: false } }], [{ array: labels }]);
    const counts: number[] = [];
    const history: History = await model.fit(indexedExamples(set), undefined, {
      epochs: 6,
      batchSize: 16,
      verbose: 0,
      validationData: indexedExamples(set),
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    const loss = history.history.loss;
    expect(loss[5]).toBeLessThan(loss[0]);
    expect(counts[5]).toBe(counts[1]);
    const logs = (await model.evaluate(indexedExamples(set), undefined, { batchSize: 16, verbose: 0, returnDict: true })) as Logs;
    expect(logs).toMatchObject({ loss: expect.any(Number), accuracy: expect.any(Number) });
    const x = tf.tidy(() => tf.oneHot(tf.tensor2d([[0, 1, 2, 0, 1]], undefined, 'int32'), 3).cast('float32'));
    const before = tf.memory().numTensors;
    const [y] = predictor(model)([x]);
    expect(y.shape).toEqual([1, 3]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before - 1);
    model.dispose();
  });
});
