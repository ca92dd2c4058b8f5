/** The broadcast walk merges dimensions as intended and agrees with tfjs on which shapes broadcast. */
import * as tf from '@tensorflow/tfjs';
import { broadcastShape, planBroadcastWalk } from './broadcast_walk';

describe('broadcastShape', () => {
  test.each([
    [[128, 60], [128, 1], [128, 60]],
    [[4, 1, 3], [5, 1], [4, 5, 3]],
    [[], [2, 3], [2, 3]],
    [[0, 3], [1], [0, 3]],
    [[1, 0], [4, 1], [4, 0]],
  ])('%j with %j gives %j, as tfjs', (a, b, out) => {
    expect(broadcastShape(a, b)).toEqual(out);
    expect(tf.backend_util.assertAndGetBroadcastShape(a, b)).toEqual(out);
  });

  test.each([
    [[2, 3], [4]],
    [[0], [2]],
    [[3, 2, 5], [3, 5]],
  ])('%j with %j is incompatible (tfjs throws too)', (a, b) => {
    expect(broadcastShape(a, b)).toBeNull();
    expect(() => tf.backend_util.assertAndGetBroadcastShape(a, b)).toThrow();
  });
});

describe('planBroadcastWalk', () => {
  test('equal shapes merge into one run', () => {
    expect(planBroadcastWalk([2, 3, 4], [2, 3, 4], [2, 3, 4])).toEqual({ dims: [24], aStrides: [1], bStrides: [1] });
  });

  test('a trailing vector repeats over the merged outer dimensions', () => {
    expect(planBroadcastWalk([5, 7, 60], [60], [5, 7, 60])).toEqual({ dims: [35, 60], aStrides: [60, 1], bStrides: [0, 1] });
  });

  test('a column repeats one element along each row', () => {
    expect(planBroadcastWalk([128, 60], [128, 1], [128, 60])).toEqual({ dims: [128, 60], aStrides: [60, 1], bStrides: [1, 0] });
  });

  test('an outer product walks rows of the row operand', () => {
    expect(planBroadcastWalk([4, 1], [1, 6], [4, 6])).toEqual({ dims: [4, 6], aStrides: [1, 0], bStrides: [0, 1] });
  });

  test('size-1 output dimensions vanish and alternating broadcasts stay separate', () => {
    expect(planBroadcastWalk([2, 1, 3, 1, 5], [1, 1, 3, 4, 1], [2, 1, 3, 4, 5])).toEqual({
      dims: [2, 3, 4, 5],
      aStrides: [15, 5, 0, 1],
      bStrides: [0, 4, 1, 0],
    });
  });
});
