/**
 * Crafted model configs: a valid Sequential and functional config with one value replaced by a
 * prototype name, a huge list, a deep nesting, a long string or any JSON value. Whatever the change,
 * reading the config either builds a model or throws one ConfigError of bounded size; never another
 * error, and never a crash or a hang (the test's timeout bounds the time).
 */
import fc from 'fast-check';
import '../layers';
import { ConfigError, ISSUE_LIMITS } from './config_error';
import { modelFromJSON } from './model_from_json';

type Json = unknown;

const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty', 'isPrototypeOf', 'prototype'];

const sequential = {
  class_name: 'Sequential',
  config: {
    name: 'fuzzed',
    layers: [
      { class_name: 'Embedding', config: { input_dim: 20, output_dim: 4, mask_zero: true, batch_input_shape: [null, 6] } },
      { class_name: 'LSTM', config: { units: 3, return_sequences: true, activation: 'tanh', kernel_initializer: 'glorot_uniform', kernel_regularizer: null } },
      { class_name: 'Bidirectional', config: { layer: { class_name: 'GRU', config: { units: 2 } }, merge_mode: 'concat' } },
      { class_name: 'Dense', config: { units: 2, activation: 'softmax', kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 2 } } } },
    ],
  },
};

const functional = {
  class_name: 'Functional',
  config: {
    name: 'fuzzed_graph',
    layers: [
      { class_name: 'InputLayer', name: 'x', config: { batch_input_shape: [null, 4, 3], name: 'x' }, inbound_nodes: [] },
      { class_name: 'InputLayer', name: 'h', config: { batch_input_shape: [null, 5], name: 'h' }, inbound_nodes: [] },
      { class_name: 'SimpleRNN', name: 'rnn', config: { units: 5, name: 'rnn' }, inbound_nodes: [[['x', 0, 0, {}], ['h', 0, 0, {}]]] },
      { class_name: 'Dense', name: 'out', config: { units: 1, name: 'out' }, inbound_nodes: [[['rnn', 0, 0, {}]]] },
    ],
    input_layers: [['x', 0, 0], ['h', 0, 0]],
    output_layers: [['out', 0, 0]],
  },
};

/** Every path to a value in `doc` (object keys and list indices). */
function paths(doc: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** A deep copy of `doc` with the value at `at` replaced (or, for `asKey`, renamed to that key). */
function replaced(doc: Json, at: (string | number)[], value: Json, asKey: string | null): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  if (at.length === 0) return value;
  let parent = copy as Record<string | number, Json>;
  for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = at[at.length - 1];
  if (asKey !== null && !Array.isArray(parent)) {
    const inner = parent[last];
    delete parent[last];
    Object.defineProperty(parent, asKey, { value: inner, enumerable: true, writable: true, configurable: true });
  } else {
    parent[last] = value;
  }
  return copy;
}

function nested(depth: number, leaf: Json, asObject: boolean): Json {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

const hostile: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom(...PROTOTYPE_NAMES).map((name) => ({ class_name: name, config: {} })),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => new Array<number>(n).fill(0)),
  fc.integer({ min: 1000, max: 50_000 }).map((n) => Array.from({ length: n }, () => ({ class_name: 'Dense', config: { units: -1 } }))),
  fc.tuple(fc.integer({ min: 50, max: 400 }), fc.boolean()).map(([depth, asObject]) => nested(depth, 1, asObject)),
  fc.integer({ min: 1000, max: 1_000_000 }).map((n) => 'x'.repeat(n)),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('fuzzed model configs', () => {
  test('only ConfigErrors, of bounded size', () => {
    const targets = [sequential, functional].flatMap((doc) => paths(doc).map((at) => ({ doc, at })));
    const maxMessage = 2000 + (ISSUE_LIMITS.listed + 1) * (ISSUE_LIMITS.lineChars + 60);
    fc.assert(
      fc.property(fc.constantFrom(...targets), hostile, fc.option(fc.constantFrom(...PROTOTYPE_NAMES), { freq: 4 }), fc.boolean(), ({ doc, at }, value, asKey, asText) => {
        const crafted = replaced(doc, at, value, asKey);
        try {
          modelFromJSON((asText ? JSON.stringify(crafted) : crafted) as object).dispose();
        } catch (e) {
          if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError at ${JSON.stringify(at)}: ${(e as Error).stack}`);
          expect(e.message.length).toBeLessThanOrEqual(maxMessage);
          expect(e.issues.length).toBeLessThanOrEqual(ISSUE_LIMITS.kept);
        }
      }),
      { numRuns: 250, seed: 12 },
    );
  });

  test('a 16 MB config with a batch_input_shape of 8 million zeros fails with one short problem', () => {
    const doc = JSON.stringify(replaced(sequential, ['config', 'layers', 0, 'config', 'batch_input_shape'], new Array(8_000_000).fill(0), null));
    expect(doc.length).toBeGreaterThan(16_000_000);
    let message = '';
    try {
      modelFromJSON(doc);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toBe('model config: 1 problem\n  - layers[0].config.batch_input_shape: expected at most 32 dimensions, got a list of 8000000 items');
  });

  test('a hundred thousand bad layers: at most ISSUE_LIMITS.kept problems are kept, and the rest summed up', () => {
    const doc = replaced(sequential, ['config', 'layers'], Array.from({ length: 100_000 }, () => ({ class_name: 'Dense', config: { units: 0 } })), null);
    try {
      modelFromJSON(doc as object);
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const error = e as ConfigError;
      expect(error.issues).toHaveLength(ISSUE_LIMITS.kept);
      expect(error.message.split('\n')).toHaveLength(2 + ISSUE_LIMITS.listed);
      expect(error.message).toMatch(/^model config: at least 1000 problems \(checking stopped there\)\n/);
      expect(error.message).toMatch(/\n {2}- \.\.\. and 980 more$/);
    }
  });
});
