import { compileModel, getCompileConfig, getCompiled, optimizerOf } from './compile_args';
import { RMSprop } from './optimizers/rmsprop';
import { Adam } from './optimizers/adam';
import { Precision } from './metrics/confusion';
import { LinearModel, TwoHeadModel } from './__tests__/fake_models';

describe('compileModel', () => {
  it('defaults to rmsprop and exposes the optimizer as model.optimizer', () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { loss: 'mse' });
    expect(optimizerOf(model)).toBeInstanceOf(RMSprop);
    expect((model as unknown as { optimizer: unknown }).optimizer).toBe(optimizerOf(model));
    model.dispose();
  });

  it('accepts one loss for every output, a list, or an object by output name', () => {
    const model = new TwoHeadModel([[1]], [[1]]);
    compileModel(model, { loss: 'mse' });
    expect(getCompiled(model, 'test').losses.map((l) => l?.className)).toEqual(['MeanSquaredError', 'MeanSquaredError']);
    compileModel(model, { loss: ['mae', null] });
    expect(getCompiled(model, 'test').losses.map((l) => l?.className ?? null)).toEqual(['MeanAbsoluteError', null]);
    compileModel(model, { loss: { b: 'huber' } });
    expect(getCompiled(model, 'test').losses.map((l) => l?.className ?? null)).toEqual([null, 'Huber']);
    compileModel(model, { loss: { className: 'Huber', config: { delta: 3 } } });
    expect(getCompiled(model, 'test').losses.map((l) => l?.getConfig().delta)).toEqual([3, 3]);
    model.dispose();
  });

  it('metrics: per output by list or name, or shared names for every output', () => {
    const model = new TwoHeadModel([[1]], [[1]]);
    compileModel(model, { loss: 'mse', metrics: { a: ['mae'], b: 'mse' } });
    expect(Object.keys(getCompiled(model, 'test').results())).toEqual(['loss', 'a_loss', 'b_loss', 'a_mae', 'b_mse']);
    compileModel(model, { loss: 'mse', metrics: ['mae'] });
    expect(Object.keys(getCompiled(model, 'test').results())).toEqual(['loss', 'a_loss', 'b_loss', 'a_mae', 'b_mae']);
    expect(() => compileModel(model, { loss: 'mse', metrics: [new Precision()] })).toThrow(/one list per output/);
    model.dispose();
  });

  it('explains mistakes', () => {
    const model = new TwoHeadModel([[1]], [[1]]);
    expect(() => compileModel(model, { loss: 'mse', metric: ['mae'] } as never)).toThrow(/unknown argument\(s\) metric/);
    expect(() => compileModel(model, { loss: ['mse'] })).toThrow(/list of 1 entries but the model has 2 output/);
    expect(() => compileModel(model, { loss: { c: 'mse' } })).toThrow(/not output names; the outputs are a, b/);
    expect(() => compileModel(model, { loss: 'msee' })).toThrow(/loss for output 'a': unknown loss 'msee'.*did you mean 'mse'/);
    expect(() => compileModel(model, { loss: 'mse', lossWeights: [1, NaN] })).toThrow(/lossWeights for output 'b'/);
    expect(() => compileModel(model, { optimizer: 'adamm', loss: 'mse' })).toThrow(/did you mean 'adam'/);
    model.dispose();
  });

  it('keeps a serializable compile config; recompiling with a new optimizer frees the old one', () => {
    const model = new LinearModel([[1]], [0]);
    const adam = new Adam({ learningRate: 0.01 });
    compileModel(model, { optimizer: adam, loss: 'sparse_categorical_crossentropy', metrics: ['acc'] });
    expect(JSON.parse(JSON.stringify(getCompileConfig(model)))).toEqual({
      optimizer: { className: 'Adam', config: expect.objectContaining({ learningRate: 0.01, epsilon: 1e-7 }) },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['acc'],
      weightedMetrics: null,
      lossWeights: null,
    });
    const dispose = jest.spyOn(adam, 'dispose');
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    expect(dispose).toHaveBeenCalled();
    model.dispose();
  });
});
