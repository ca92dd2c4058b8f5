import type { z } from 'zod';
import { resetNameCounters } from '../../engine/names';
import { GRU, gruArgsSchema } from './gru';
import { gruCellArgsSchema } from './gru_cell';
import { LSTM, lstmArgsSchema } from './lstm';
import { LSTMCell, lstmCellArgsSchema } from './lstm_cell';
import { RNN, rnnArgsSchema, rnnOptionsShape } from './rnn';
import { SimpleRNN, simpleRNNArgsSchema } from './simple_rnn';
import { simpleRNNCellArgsSchema } from './simple_rnn_cell';

beforeEach(() => resetNameCounters());

/** Counts the validations each schema performs while `fn` runs. */
function countValidations(schemas: z.ZodType[], fn: () => void): number[] {
  const spies = schemas.map((s) => jest.spyOn(s, 'safeParse'));
  try {
    fn();
    return spies.map((spy) => spy.mock.calls.length);
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

const BUILT_INS = [
  { name: 'SimpleRNN', make: (a: Record<string, unknown>) => new SimpleRNN(a as never), layer: simpleRNNArgsSchema, cell: simpleRNNCellArgsSchema },
  { name: 'LSTM', make: (a: Record<string, unknown>) => new LSTM(a as never), layer: lstmArgsSchema, cell: lstmCellArgsSchema },
  { name: 'GRU', make: (a: Record<string, unknown>) => new GRU(a as never), layer: gruArgsSchema, cell: gruCellArgsSchema },
];

describe.each(BUILT_INS)('$name arguments', ({ make, layer, cell }) => {
  test('are validated once, by the layer schema, where the layer is constructed', () => {
    const counts = countValidations([layer, cell, rnnArgsSchema], () => make({ units: 3, returnSequences: true, dropout: 0.1 }));
    expect(counts).toEqual([1, 0, 0]);
  });

  test('the layer schema is the cell schema plus the RNN options, nothing hand-copied', () => {
    const layerKeys = Object.keys(layer.shape).sort();
    const expected = [...new Set([...Object.keys(cell.shape), ...Object.keys(rnnArgsSchema.shape).filter((k) => k !== 'cell')])].sort();
    expect(layerKeys).toEqual(expected);
  });

  test('the cell gets its own keys and the layer name; the layer keeps the rest', () => {
    const built = make({ units: 3, name: 'seq', returnSequences: true, goBackwards: true, inputShape: [4, 2], activityRegularizer: 'l2', seed: 3 });
    expect(built.cell.name).toBe('seq');
    const cellConfig = built.cell.getConfig();
    expect(Object.keys(cellConfig).every((k) => k in cell.shape)).toBe(true);
    expect(cellConfig).toMatchObject({ units: 3, seed: 3 });
    for (const key of Object.keys(rnnOptionsShape)) expect(cellConfig).not.toHaveProperty(key);
    expect(cellConfig).not.toHaveProperty('activityRegularizer');
    expect(built.returnSequences).toBe(true);
    expect(built.goBackwards).toBe(true);
    expect(built.batchInputShape).toEqual([null, 4, 2]);
    expect(built.activityRegularizer).not.toBeNull();
  });

  test('a bad argument is reported once, under the layer name', () => {
    expect(() => make({ units: 0 })).toThrow(/^[A-Za-z]+: units: expected a positive integer, got 0$/);
    expect(() => make({ units: 2, returnSequences: 'yes' })).toThrow(/^[A-Za-z]+: returnSequences: .*expected boolean, received string$/);
  });
});

describe('cells and RNN on their own', () => {
  test('a cell built by hand and an RNN built by hand validate their arguments once each', () => {
    let cell: LSTMCell | undefined;
    expect(countValidations([lstmCellArgsSchema], () => { cell = new LSTMCell({ units: 2 }); })).toEqual([1]);
    expect(countValidations([rnnArgsSchema, lstmCellArgsSchema], () => new RNN({ cell: cell!, returnState: true }))).toEqual([1, 0]);
  });

  test('a cell does not take the layer-only arguments', () => {
    expect(() => new LSTMCell({ units: 2, returnSequences: true } as never)).toThrow(/unknown argument "returnSequences"/);
    expect(() => new LSTMCell({ units: 2, inputShape: [3, 2] } as never)).toThrow(/unknown argument "inputShape"/);
  });
});
