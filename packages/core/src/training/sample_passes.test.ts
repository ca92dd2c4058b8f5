import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../engine/random';
import { compileModel } from './compile_args';
import { fitModel } from './fit';
import { SGD } from './optimizers/sgd';
import { disposeBatch, type IndexedData, type SampleRows } from './data_adapter';
import { sampleSource } from './sample_passes';
import { LinearModel } from './__tests__/fake_models';

/** Rows whose batches record the sample indices they hold. */
function recordingRows(n: number, seen: number[][]): SampleRows {
  return {
    numSamples: n,
    take: (start, stop, indices) => {
      seen.push(indices ? Array.from(indices) : Array.from({ length: stop - start }, (_, i) => start + i));
      return { xs: [], ys: [], sampleWeights: [], size: stop - start, owned: [] };
    },
  };
}

async function epoch(source: ReturnType<typeof sampleSource>, done = 0): Promise<void> {
  for await (const batch of source.epoch(done)) disposeBatch(batch);
}

describe('sample passes', () => {
  it('shuffle each pass with a seed from the global generator; a restored position continues the same order', async () => {
    setSeed(3);
    const seen: number[][] = [];
    const source = sampleSource(recordingRows(10, seen), 4, true, null);
    await epoch(source);
    await epoch(source);
    expect(seen.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2]);
    expect(seen.slice(0, 3).flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen[0]).not.toEqual(seen[3]);

    // Stop after the first batch of a third epoch; a new source restored there takes the same next batches.
    const it = source.epoch();
    await it.next();
    const position = source.position()!;
    const later: number[][] = [];
    while (!(await it.next()).done) later.push(seen[seen.length - 1]);
    const resumedSeen: number[][] = [];
    const resumed = sampleSource(recordingRows(10, resumedSeen), 4, true, null);
    resumed.restore(position);
    await epoch(resumed, 1);
    expect(resumedSeen).toEqual(later);
    expect(() => resumed.restore({ ...position, numSamples: 11 })).toThrow(/belongs to 11 samples in batches of 4, but fit has 10 samples/);
  });

  it('with stepsPerEpoch: an epoch continues the pass, and one that runs out ends early (Keras 3)', async () => {
    const seen: number[][] = [];
    const source = sampleSource(recordingRows(10, seen), 4, false, 2);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (let e = 0; e < 3; e++) await epoch(source);
    expect(seen.map((b) => b[0])).toEqual([0, 4, 8, 0, 4]);
    expect(warn.mock.calls.some(([m]) => /ran out after 1 of stepsPerEpoch=2 batches/.test(String(m)))).toBe(true);
    warn.mockRestore();
  });
});

describe('fit on IndexedData', () => {
  it('trains exactly as on the same arrays, making each batch on demand', async () => {
    const x = Array.from({ length: 20 }, (_, i) => [i / 20]);
    const y = x.map(([v]) => [3 * v - 1]);
    const train = async (data: 'arrays' | 'indexed') => {
      setSeed(9);
      const model = new LinearModel([[0]], [0]);
      compileModel(model, { optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
      const taken: number[] = [];
      const indexed: IndexedData = {
        numSamples: 20,
        takeSamples: (indices) => {
          taken.push(indices.length);
          return { xs: tf.tensor2d(Array.from(indices, (i) => x[i])), ys: tf.tensor2d(Array.from(indices, (i) => y[i])) };
        },
      };
      const before = tf.memory().numTensors;
      const history = data === 'arrays' ? await fitModel(model, x, y, { epochs: 3, batchSize: 6, verbose: 0 }) : await fitModel(model, indexed, { epochs: 3, batchSize: 6, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return { loss: history.history.loss, weights, taken, leaked: tf.memory().numTensors - before };
    };
    const arrays = await train('arrays');
    const indexed = await train('indexed');
    expect(indexed.weights).toEqual(arrays.weights);
    expect(indexed.loss).toEqual(arrays.loss);
    expect(indexed.taken).toEqual([6, 6, 6, 2, 6, 6, 6, 2, 6, 6, 6, 2]);
    expect(indexed.leaked).toBeLessThanOrEqual(arrays.leaked);
  });

  it('refuses what cannot go with it', async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    const indexed: IndexedData = { numSamples: 4, takeSamples: (i) => ({ xs: tf.zeros([i.length, 1]), ys: tf.zeros([i.length, 1]) }) };
    await expect(fitModel(model, indexed, [[1]], { verbose: 0 })).rejects.toThrow(/y must be omitted when x is IndexedData/);
    await expect(fitModel(model, indexed, { verbose: 0, validationSplit: 0.5 })).rejects.toThrow(/validationSplit needs in-memory data/);
    const short: IndexedData = { numSamples: 4, takeSamples: () => ({ xs: tf.zeros([1, 1]), ys: tf.zeros([1, 1]) }) };
    await expect(fitModel(model, short, { verbose: 0 })).rejects.toThrow(/takeSamples was asked for 4 samples and returned 1/);
    model.dispose();
  });
});
