import * as tf from '@tensorflow/tfjs';
import { getLoss } from './get_loss';
import { AutoCrossentropy } from './auto_crossentropy';

describe('getLoss', () => {
  it('accepts Keras and camelCase names', () => {
    expect(getLoss('categorical_crossentropy').className).toBe('CategoricalCrossentropy');
    expect(getLoss('sparseCategoricalCrossentropy').className).toBe('SparseCategoricalCrossentropy');
    expect(getLoss('mse').className).toBe('MeanSquaredError');
    expect(getLoss('MAE').className).toBe('MeanAbsoluteError');
    expect(getLoss('huber_loss').className).toBe('Huber');
    expect(getLoss({ className: 'Huber', config: { delta: 2 } }).getConfig()).toMatchObject({ delta: 2 });
  });

  it('wraps functions and suggests close names', () => {
    const loss = getLoss((t, p) => p.sub(t).abs().sum(-1));
    expect(loss.compute(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, -2]])).dataSync()[0]).toBe(3);
    expect(() => getLoss('mean_squared_eror')).toThrow(/did you mean 'mean_squared_error'/);
  });

  it("'crossentropy' picks binary, sparse or categorical from the shapes", () => {
    const probs = tf.tensor2d([[0.25, 0.75]]);
    const sparse = new AutoCrossentropy().compute(tf.tensor1d([1]), probs);
    const onehot = new AutoCrossentropy().compute(tf.tensor2d([[0, 1]]), probs);
    const binary = new AutoCrossentropy().compute(tf.tensor2d([[1]]), tf.tensor2d([[0.75]]));
    expect(sparse.dataSync()[0]).toBeCloseTo(-Math.log(0.75), 5);
    expect(onehot.dataSync()[0]).toBeCloseTo(-Math.log(0.75), 5);
    expect(binary.dataSync()[0]).toBeCloseTo(-Math.log(0.75), 5);
  });
});
