import * as tf from '@tensorflow/tfjs';
import { MeanSquaredError } from './regression';
import { BinaryCrossentropy, SparseCategoricalCrossentropy } from './crossentropy';

const mse = new MeanSquaredError();
const scalar = (t: tf.Tensor) => t.dataSync()[0];

describe('loss reduction with sample weights and masks (Keras sum_over_batch_size)', () => {
  // Values per sample: squared errors 1, 4, 9.
  const yTrue = tf.zeros([3, 1]);
  const yPred = tf.tensor2d([[1], [2], [3]]);

  it('per-sample weights multiply the values; the divisor stays the batch size', () => {
    expect(scalar(mse.compute(yTrue, yPred))).toBeCloseTo(14 / 3, 5);
    expect(scalar(mse.compute(yTrue, yPred, { sampleWeight: tf.tensor1d([1, 0, 2]) }))).toBeCloseTo((1 + 0 + 18) / 3, 5);
    expect(scalar(mse.compute(yTrue, yPred, { sampleWeight: tf.tensor2d([[1], [0], [2]]) }))).toBeCloseTo(19 / 3, 5);
  });

  // Sequences [B=2, T=3, 1]: squared errors [[1, 4, 81], [9, 81, 81]], valid steps [[1, 1, 0], [1, 0, 0]].
  const seqTrue = tf.zeros([2, 3, 1]);
  const seqPred = tf.tensor3d([[[1], [2], [9]], [[3], [9], [9]]]);
  const mask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]);

  it('a mask averages over valid steps only', () => {
    expect(scalar(mse.compute(seqTrue, seqPred, { mask }))).toBeCloseTo((1 + 4 + 9) / 3, 5);
    expect(scalar(mse.compute(seqTrue, seqPred, { mask: mask.cast('bool') }))).toBeCloseTo(14 / 3, 5);
  });

  it('a padded batch gives the loss of the unpadded steps', () => {
    const unpadded = mse.compute(tf.zeros([1, 2, 1]), tf.tensor3d([[[1], [2]]]));
    const padded = mse.compute(tf.zeros([1, 5, 1]), tf.tensor3d([[[1], [2], [7], [8], [9]]]), { mask: tf.tensor2d([[1, 1, 0, 0, 0]]) });
    expect(scalar(padded)).toBeCloseTo(scalar(unpadded), 6);
    expect(scalar(unpadded)).toBeCloseTo(2.5, 6);
  });

  it('per-timestep and per-sample weights combine with the mask', () => {
    const stepWeights = tf.tensor2d([[2, 1, 1], [0.5, 1, 1]]);
    expect(scalar(mse.compute(seqTrue, seqPred, { mask, sampleWeight: stepWeights }))).toBeCloseTo((2 + 4 + 4.5) / 3, 5);
    expect(scalar(mse.compute(seqTrue, seqPred, { mask, sampleWeight: tf.tensor1d([2, 0.5]) }))).toBeCloseTo((2 + 8 + 4.5) / 3, 5);
    // Without a mask a per-step weight simply weights each of the 6 steps.
    expect(scalar(mse.compute(seqTrue, seqPred, { sampleWeight: stepWeights }))).toBeCloseTo((2 + 4 + 81 + 4.5 + 81 + 81) / 6, 4);
  });

  it('[B, T] targets against [B, T, 1] outputs keep one value per step, so the mask applies', () => {
    const flatTargets = tf.zeros([2, 3]);
    expect(scalar(mse.compute(flatTargets, seqPred, { mask }))).toBeCloseTo(14 / 3, 5);
    const bce = new BinaryCrossentropy().compute(tf.tensor2d([[1, 1]]), tf.tensor3d([[[0.5], [0.9]]]), { mask: tf.tensor2d([[1, 0]]) });
    expect(scalar(bce)).toBeCloseTo(Math.log(2), 5);
  });

  it('a per-timestep mask on per-sample values is explained', () => {
    expect(() => mse.compute(yTrue, yPred, { mask: tf.ones([3, 4]) })).toThrow(/the mask of shape \[3,4\].*drop the mask/);
  });

  it('an all-masked batch has zero loss, not NaN', () => {
    expect(scalar(mse.compute(seqTrue, seqPred, { mask: tf.zeros([2, 3]) }))).toBe(0);
  });

  it('combines the output mask with an ignored class', () => {
    const loss = new SparseCategoricalCrossentropy({ ignoreClass: 0 });
    const labels = tf.tensor2d([[1, 0, 1]]);
    const probs = tf.tensor3d([[[0.5, 0.5], [0.5, 0.5], [0.8, 0.2]]]);
    // Step 2 is masked by the model, step 1 by the ignored class: only step 0 counts.
    expect(scalar(loss.compute(labels, probs, { mask: tf.tensor2d([[1, 1, 0]]) }))).toBeCloseTo(Math.log(2), 5);
  });

  it('rejects weights that fit neither samples nor timesteps', () => {
    expect(() => mse.compute(seqTrue, seqPred, { sampleWeight: tf.ones([3]) })).toThrow(/per sample/);
  });

  it("reduction 'sum' and 'none'", () => {
    expect(scalar(new MeanSquaredError({ reduction: 'sum' }).compute(yTrue, yPred))).toBeCloseTo(14, 5);
    expect(Array.from(new MeanSquaredError({ reduction: 'none' }).compute(yTrue, yPred).dataSync())).toEqual([1, 4, 9]);
    expect(() => new MeanSquaredError({ reduction: 'mean' as never })).toThrow(/unknown reduction/);
  });
});
