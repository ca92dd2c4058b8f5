import { compileModel } from '../compile_args';
import { fitModel } from '../fit';
import { evaluateModel } from '../evaluate';
import { SGD } from '../optimizers/sgd';
import { ProgbarLogger, formatValue, formatTimePerStep } from './progbar_logger';
import { LinearModel } from '../__tests__/fake_models';

/** A stream that records writes; `now` advances 0.1 s per call so times are deterministic. */
function capture(isTTY: boolean) {
  const chunks: string[] = [];
  let t = 0;
  const bar = new ProgbarLogger({ stream: { isTTY, write: (s: string) => chunks.push(s) }, now: () => (t += 0.1) });
  return { bar, text: () => chunks.join('') };
}

function model() {
  const m = new LinearModel([[1]], [0]);
  compileModel(m, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
  return m;
}

const x = [[1], [2], [3], [4]];
const y = [[0], [0], [0], [0]];

describe('ProgbarLogger', () => {
  it('formats like Keras', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(0.0001234)).toBe('1.2340e-04');
    expect(formatValue(NaN)).toBe('nan');
    expect(formatTimePerStep(0.0123)).toBe('12ms/step');
    expect(formatTimePerStep(2.4)).toBe('2s/step');
    expect(formatTimePerStep(0.0000123)).toBe('12us/step');
  });

  it('prints one line per epoch when the output is not a terminal', async () => {
    const m = model();
    const { bar, text } = capture(false);
    await fitModel(m, x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 1, callbacks: [bar], validationData: [[[1]], [[0]]] });
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^2\/2 ━{20} \d+s \d+ms\/step - loss: 7\.5000 - mae: 2\.5000 - val_loss: 1\.0000 - val_mae: 1\.0000$/);
    expect(lines[2]).toBe('Epoch 2/2');
    expect(text()).not.toContain('\x1b');
    m.dispose();
  });

  it('verbose 2 prints a compact line per epoch', async () => {
    const m = model();
    const { bar, text } = capture(false);
    await fitModel(m, x, y, { epochs: 1, batchSize: 2, verbose: 2, callbacks: [bar] });
    expect(text()).toMatch(/^2\/2 - \d+s - \d+ms\/step - loss: 7\.5000 - mae: 2\.5000\n$/);
    m.dispose();
  });

  it('redraws a coloured bar with an ETA in a terminal', async () => {
    const m = model();
    const { bar, text } = capture(true);
    await fitModel(m, x, y, { epochs: 1, batchSize: 1, shuffle: false, verbose: 1, callbacks: [bar] });
    const out = text();
    expect(out).toContain('\r');
    expect(out).toContain('\x1b[32m');
    // After batch 1 of 4: ETA = 3 steps left at the measured time per step.
    expect(out).toMatch(/1\/4 .*━.* \d+s \d+ms\/step - loss: 1\.0000/);
    expect(out.endsWith('\n')).toBe(true);
    m.dispose();
  });

  it('shows evaluate progress, but not the validation pass inside fit', async () => {
    const m = model();
    const { bar, text } = capture(false);
    await evaluateModel(m, x, y, { batchSize: 2, verbose: 1, callbacks: [bar] });
    expect(text()).toMatch(/^2\/2 ━{20} \d+s \d+ms\/step - loss: 7\.5000 - mae: 2\.5000\n$/);
    m.dispose();
  });

  it('verbose 0 prints nothing', async () => {
    const m = model();
    const { bar, text } = capture(true);
    await fitModel(m, x, y, { epochs: 2, verbose: 0, callbacks: [bar] });
    expect(text()).toBe('');
    m.dispose();
  });
});
