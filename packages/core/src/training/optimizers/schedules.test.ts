import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay } from './schedules';

describe('learning-rate schedules', () => {
  it('exponential decay, smooth and staircase', () => {
    const smooth = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(smooth.value(0)).toBeCloseTo(0.1, 12);
    expect(smooth.value(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 12);
    expect(smooth.value(20)).toBeCloseTo(0.025, 12);
    const stairs = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect([stairs.value(5), stairs.value(10), stairs.value(25)]).toEqual([0.1, 0.05, 0.025]);
    expect(() => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 0.5 })).toThrow(/decaySteps/);
  });

  it('piecewise constant: values[i] up to and including boundaries[i]', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect([0, 10, 11, 20, 21, 1000].map((x) => s.value(x))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => new PiecewiseConstantDecay({ boundaries: [1], values: [1] })).toThrow(/1 less than/);
  });

  it('cosine decay to alpha, with linear warmup', () => {
    const s = new CosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0.1 });
    expect(s.value(0)).toBeCloseTo(1, 12);
    expect(s.value(5)).toBeCloseTo(0.9 * 0.5 + 0.1, 12);
    expect(s.value(10)).toBeCloseTo(0.1, 12);
    expect(s.value(50)).toBeCloseTo(0.1, 12);
    const w = new CosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 1, warmupSteps: 4 });
    expect(w.value(2)).toBeCloseTo(0.5, 12);
    expect(w.value(4)).toBeCloseTo(1, 12);
    expect(w.value(9)).toBeCloseTo(0.5, 12);
    expect(w.value(100)).toBeCloseTo(0, 12);
  });
});
