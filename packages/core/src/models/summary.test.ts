import { input } from '../engine/input_layer';
import { resetNameCounters } from '../engine/names';
import type { SymbolicTensor } from '../engine/symbolic';
import { Dense } from '../layers/core/dense';
import { Embedding } from '../layers/core/embedding';
import { Concatenate } from '../layers/merging/concatenate';
import { GlobalAveragePooling1D } from '../layers/pooling/global_average_pooling1d';
import { model } from './model';
import { sequential } from './sequential';

const sym = (t: unknown) => t as SymbolicTensor;

function capture(f: (print: (line: string) => void) => void): string {
  const lines: string[] = [];
  f((l) => lines.push(l));
  return lines.join('\n');
}

describe('summary', () => {
  beforeEach(() => resetNameCounters());

  test('functional model: Keras table with Connected to and totals', () => {
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const joined = new Concatenate().apply([sym(new Dense({ units: 2 }).apply(a)), sym(new Dense({ units: 2 }).apply(b))]);
    const m = model({ inputs: [a, b], outputs: sym(new Dense({ units: 1 }).apply(sym(joined))), name: 'two_inputs' });
    m.getLayer('dense_1').trainable = false;
    expect(capture((p) => m.summary(undefined, p))).toBe([
      'Model: "two_inputs"',
      '_'.repeat(98),
      ' Layer (type)                   Output Shape         Param #     Connected to',
      '='.repeat(98),
      ' a (InputLayer)                 (None, 4)            0',
      '',
      ' b (InputLayer)                 (None, 3)            0',
      '',
      ' dense (Dense)                  (None, 2)            10          a[0][0]',
      '',
      ' dense_1 (Dense)                (None, 2)            8           b[0][0]',
      '',
      ' concatenate (Concatenate)      (None, 4)            0           dense[0][0]',
      '                                                                 dense_1[0][0]',
      '',
      ' dense_2 (Dense)                (None, 1)            5           concatenate[0][0]',
      '='.repeat(98),
      'Total params: 23',
      'Trainable params: 15',
      'Non-trainable params: 8',
      '_'.repeat(98),
    ].join('\n'));
  });

  test('Sequential: no input row, no Connected to, long names wrap, thousands separators', () => {
    const s = sequential({ layers: [
      new Embedding({ inputDim: 1000, outputDim: 16, inputLength: 10 }), new GlobalAveragePooling1D(), new Dense({ units: 1 }),
    ] });
    expect(capture((p) => s.summary(undefined, p))).toBe([
      'Model: "sequential"',
      '_'.repeat(65),
      ' Layer (type)                Output Shape              Param #',
      '='.repeat(65),
      ' embedding (Embedding)       (None, 10, 16)            16000',
      '',
      ' global_average_pooling1d    (None, 16)                0',
      ' (GlobalAveragePooling1D)',
      '',
      ' dense (Dense)               (None, 1)                 17',
      '='.repeat(65),
      'Total params: 16,017',
      'Trainable params: 16,017',
      'Non-trainable params: 0',
      '_'.repeat(65),
    ].join('\n'));
  });

  test('a chain built with the functional API shows its input layer; lineLength is honoured', () => {
    const x = input({ shape: [2], name: 'x' });
    const m = model({ inputs: x, outputs: sym(new Dense({ units: 1 }).apply(x)) });
    const text = capture((p) => m.summary(80, p));
    expect(text).toContain(' x (InputLayer)');
    expect(text).not.toContain('Connected to');
    expect(text.split('\n')[1]).toBe('_'.repeat(80));
  });

  test('models with several outputs list them', () => {
    const x = input({ shape: [2], name: 'x' });
    const shared = new Dense({ units: 3, name: 'shared' });
    const m = model({ inputs: x, outputs: [sym(shared.apply(x)), sym(new Dense({ units: 1 }).apply(x))] });
    const text = capture((p) => m.summary(undefined, p));
    expect(text).toContain(' shared (Dense)                 (None, 3)            9           x[0][0]');
  });
});
