import { clippedGradient, decayedWeight } from './fused_rule';

describe('the element helpers of the update rules', () => {
  it('clippedGradient scales, then clamps to [-limit, limit]; NaN stays NaN', () => {
    expect(clippedGradient(3, 0.5, Infinity)).toBe(1.5);
    expect(clippedGradient(3, 1, 2)).toBe(2);
    expect(clippedGradient(-3, 1, 2)).toBe(-2);
    expect(clippedGradient(NaN, 1, 2)).toBeNaN();
    expect(clippedGradient(Infinity, 1, Infinity)).toBe(Infinity);
  });

  it('decayedWeight is w - w * decay, and leaves the weight alone without decay (an infinite one too)', () => {
    expect(decayedWeight(2, 0.25)).toBe(1.5);
    expect(decayedWeight(Infinity, 0)).toBe(Infinity);
    expect(decayedWeight(-0, 0)).toBe(-0);
  });
});
