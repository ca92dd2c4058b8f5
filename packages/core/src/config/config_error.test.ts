import '../layers';
import { modelFromJSON } from './model_from_json';
import { ConfigError, formatIssue } from './config_error';

/** The issue lines of the ConfigError thrown by reading `doc`. */
function problems(doc: unknown): string[] {
  try {
    modelFromJSON(doc as object);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.issues.map(formatIssue);
  }
  throw new Error('expected a ConfigError');
}

const sequential = (...layers: unknown[]) => ({ class_name: 'Sequential', config: { layers } });
const input = { class_name: 'InputLayer', config: { batch_input_shape: [null, 5, 3] } };

describe('error messages', () => {
  test('path, expectation and finding in one line', () => {
    const lines = problems(sequential(input, { class_name: 'LSTM', config: { units: 4 } }, { class_name: 'Dense', config: { units: -3 } }));
    expect(lines).toEqual(['layers[2].config.units: expected a positive integer, got -3']);
  });

  test('an unknown key names the nearest known one, in snake_case', () => {
    const lines = problems(sequential(input, { class_name: 'LSTM', config: { units: 4, return_sequence: true } }));
    expect(lines).toEqual(["layers[1].config.return_sequence: unknown key for LSTM (did you mean 'return_sequences'?)"]);
  });

  test('an unknown class names the nearest registered one', () => {
    expect(problems(sequential(input, { class_name: 'LTSM', config: { units: 4 } }))).toEqual([
      "layers[1].class_name: unknown layer class \"LTSM\" (did you mean 'LSTM'?)",
    ]);
  });

  test('an unknown activation names the nearest one', () => {
    expect(problems(sequential(input, { class_name: 'Dense', config: { units: 2, activation: 'sigmod' } }))).toEqual([
      "layers[1].config.activation: unknown activation \"sigmod\" (did you mean 'sigmoid'?)",
    ]);
  });

  test('all problems of a config are reported at once', () => {
    const lines = problems(sequential(
      input,
      { class_name: 'GRU', config: { units: 0, dropout: 2, go_backward: true } },
      { class_name: 'Dense', config: { units: 'ten' } },
      { class_name: 'Dnse', config: {} },
    ));
    expect(lines).toEqual(expect.arrayContaining([
      "layers[1].config.go_backward: unknown key for GRU (did you mean 'go_backwards'?)",
      'layers[1].config.units: expected a positive integer, got 0',
      'layers[1].config.dropout: expected a number in [0, 1], got 2',
      'layers[2].config.units: expected a positive integer, got "ten"',
      "layers[3].class_name: unknown layer class \"Dnse\" (did you mean 'Dense'?)",
    ]));
    expect(lines).toHaveLength(5);
  });

  test('the error message lists every problem under the source name', () => {
    expect(() => modelFromJSON(sequential(input, { class_name: 'Dense', config: { units: -1 } }), { source: 'experiment.json' }))
      .toThrow(/^experiment\.json: 1 problem\n {2}- layers\[1\]\.config\.units: expected a positive integer, got -1$/);
  });

  test('a wrong value inside a wrapped layer carries the nested path', () => {
    const lines = problems(sequential(input, { class_name: 'Bidirectional', config: { layer: { class_name: 'LSTM', config: { units: -2 } } } }));
    expect(lines).toEqual(['layers[1].config.layer.config.units: expected a positive integer, got -2']);
  });
});

describe('valid Keras features that are not supported', () => {
  test('Lambda layers name the layer and say why', () => {
    expect(problems(sequential(input, { class_name: 'Lambda', config: { name: 'scale', function: 'gASV...' } }))).toEqual([
      "layers[1].class_name: Lambda (layer 'scale') is not supported: a Lambda layer holds Python code, which cannot be loaded here; replace it with built-in layers",
    ]);
  });

  test('time_major=true, ragged inputs and mixed precision', () => {
    const lines = problems(sequential(
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 5, 3], ragged: true } },
      { class_name: 'LSTM', config: { name: 'encoder', units: 4, time_major: true } },
      { class_name: 'Dense', config: { name: 'head', units: 1, dtype: { class_name: 'DTypePolicy', config: { name: 'mixed_float16' } } } },
    ));
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^layers\[0\]\.config\.ragged: .*ragged inputs are not supported/),
      "layers[1].config.time_major: LSTM 'encoder': time_major=true (time-first inputs) is not supported; transpose the inputs to [batch, time, features]",
      "layers[2].config.dtype: Dense 'head': the mixed-precision policy \"mixed_float16\" is not supported; layers compute in float32",
    ]));
  });

  test('Keras 2 keys that change nothing are accepted (time_major=false, implementation, unroll)', () => {
    const model = modelFromJSON(sequential(input, { class_name: 'LSTM', config: { units: 4, time_major: false, implementation: 1, unroll: false } }));
    expect(model.layers.at(-1)!.className).toBe('LSTM');
  });

  test('out-of-scope Keras layers are named as not supported rather than unknown', () => {
    expect(problems(sequential(input, { class_name: 'Conv2D', config: { filters: 3, kernel_size: [2, 2] } }))[0]).toMatch(/Conv2D is not supported/);
  });
});

describe('functional configs', () => {
  const layer = (class_name: string, name: string, config: Record<string, unknown>, nodes: unknown[]) => ({ class_name, name, config: { name, ...config }, inbound_nodes: nodes });
  const doc = (layers: unknown[], inputs: unknown, outputs: unknown) => ({ class_name: 'Functional', config: { name: 'f', layers, input_layers: inputs, output_layers: outputs } });

  test('references to missing layers and calls are reported with their node paths', () => {
    const lines = problems(doc([
      layer('InputLayer', 'x', { batch_input_shape: [null, 4, 2] }, []),
      layer('LSTM', 'lstm', { units: 3 }, [[['x', 0, 0, {}]]]),
      layer('Dense', 'out', { units: 1 }, [[['lsmt', 0, 0, {}]], [['lstm', 3, 0, {}]]]),
    ], [['x', 0, 0]], [['out', 0, 0]]));
    expect(lines).toEqual([
      'layers[2].inbound_nodes[0][0]: refers to a layer named "lsmt", which is not in layers',
      'layers[2].inbound_nodes[1][0]: refers to call 3 of layer "lstm", which is called only 1 time(s)',
    ]);
  });

  test('duplicate names and non-input model inputs', () => {
    const lines = problems(doc([
      layer('InputLayer', 'x', { batch_input_shape: [null, 4, 2] }, []),
      layer('Dense', 'd', { units: 3 }, [[['x', 0, 0, {}]]]),
      layer('Dense', 'd', { units: 1 }, [[['x', 0, 0, {}]]]),
    ], [['d', 0, 0]], [['d', 0, 0]]));
    expect(lines).toEqual(expect.arrayContaining([
      'layers[2].name: the name "d" is used by two layers; layer names must be unique',
      'input_layers[0]: "d" is a Dense; model inputs must be InputLayer layers',
    ]));
  });
});
