import * as tf from '@tensorflow/tfjs';
import { layers } from '../../layers';
import { Sequential } from '../../models/sequential';
import { getLoss } from './get_loss';
import { targetDomainProblem } from './target_domain';

describe('targets a cross-entropy can learn from', () => {
  test('binary and categorical cross-entropy take [0, 1]; sparse takes class ids; others take anything', () => {
    expect(targetDomainProblem(getLoss('binary_crossentropy'), [0, 1, 0.25])).toBeNull();
    expect(targetDomainProblem(getLoss('binary_crossentropy'), [-1.4, 0.7])).toMatch(/the targets range from -1\.4 to 0\.7, but binary_crossentropy needs targets in \[0, 1\]/);
    expect(targetDomainProblem(getLoss('categorical_crossentropy'), [0, 2])).toMatch(/categorical_crossentropy needs targets in \[0, 1\]/);
    expect(targetDomainProblem(getLoss('sparse_categorical_crossentropy'), [0, 3, 7])).toBeNull();
    expect(targetDomainProblem(getLoss('sparse_categorical_crossentropy'), [0, 1.5])).toMatch(/\(1\.5 is not a whole number\), but sparse_categorical_crossentropy needs class ids/);
    expect(targetDomainProblem(getLoss('crossentropy'), [0, 4])).toBeNull();
    expect(targetDomainProblem(getLoss('crossentropy'), [-0.3, 0.2])).toMatch(/crossentropy needs 0\/1 labels, probabilities or class ids/);
    expect(targetDomainProblem(getLoss('binary_crossentropy'), [0, NaN])).toMatch(/NaN or infinite/);
    expect(targetDomainProblem(getLoss('mse'), [-5, 1e6])).toBeNull();
  });

  test('fit refuses z-scored targets for a sigmoid head with binary cross-entropy, before training', async () => {
    const m = new Sequential();
    m.add(layers.simpleRNN({ units: 2, inputShape: [3, 1] }));
    m.add(layers.dense({ units: 1, activation: 'sigmoid' }));
    m.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const x = tf.ones([4, 3, 1]);
    const zscored = tf.tensor2d([[-1], [1], [-1], [1]]);
    const before = m.getWeights().map((t) => Array.from(t.dataSync()));
    await expect(m.fit(x, zscored, { epochs: 1, verbose: 0 })).rejects.toThrow(/^fit: y: the targets range from -1 to 1, but binary_crossentropy needs targets in \[0, 1\]/);
    expect(m.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(before);
    const labels = tf.tensor2d([[0], [1], [0], [1]]);
    await m.fit(x, labels, { epochs: 1, verbose: 0 });
    tf.dispose([x, zscored, labels]);
    m.dispose();
  });
});
