/**
 * Property-based tests: random mutations of valid Keras configs only ever produce a model or a ConfigError,
 * never another exception or a hang.
 */
import fc from 'fast-check';
import '../layers';
import { modelFromJSON } from './model_from_json';
import { ConfigError } from './config_error';
import keras2Sequential from './fixtures/keras2_sequential_lstm.json';
import keras3Sequential from './fixtures/keras3_sequential_lstm.json';
import keras2Seq2seq from './fixtures/keras2_functional_seq2seq.json';
import keras3Seq2seq from './fixtures/keras3_functional_seq2seq.json';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a document. */
function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out);
  return out;
}

type Mutation = { kind: 'set'; value: Json } | { kind: 'delete' } | { kind: 'rename'; suffix: string };

function mutate(doc: Json, path: (string | number)[], m: Mutation): Json {
  if (path.length === 0) return m.kind === 'set' ? m.value : null;
  const copy = structuredClone(doc) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (m.kind === 'set') parent[last] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (!Array.isArray(parent)) {
    parent[`${String(last)}${m.suffix}`] = parent[last];
    delete parent[last];
  }
  return copy;
}

const values: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e9, 0.5, NaN as unknown as Json, '', 'LSTM', 'hard_sigmoid', 'relu', [], {}, [null, 3], ['x', 0, 0], { class_name: 'Dense', config: {} }),
  fc.integer({ min: -5, max: 100 }),
  fc.string({ maxLength: 8 }),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constant(null)), { maxLength: 4 }),
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  values.map((value) => ({ kind: 'set' as const, value })),
  fc.constant({ kind: 'delete' as const }),
  fc.constantFrom('s', '_x', 'X').map((suffix) => ({ kind: 'rename' as const, suffix })),
);

const documents: Json[] = [keras2Sequential, keras3Sequential, keras2Seq2seq, keras3Seq2seq] as unknown as Json[];

function onlyConfigErrors(doc: Json): void {
  try {
    const model = modelFromJSON(doc as object);
    model.dispose();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError: ${(e as Error).stack}`);
    expect(e.issues.length).toBeGreaterThan(0);
  }
}

describe('mutated configs', () => {
  test('one to three random mutations give a model or a ConfigError', () => {
    const arb = fc.integer({ min: 0, max: documents.length - 1 }).chain((d) => {
      const all = paths(documents[d]);
      return fc.tuple(fc.constant(d), fc.array(fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), mutationArb), { minLength: 1, maxLength: 3 }));
    });
    fc.assert(fc.property(arb, ([d, mutations]) => {
      let doc = documents[d];
      for (const [index, m] of mutations) {
        const all = paths(doc);
        doc = mutate(doc, all[index % all.length], m);
      }
      onlyConfigErrors(doc);
    }), { numRuns: 150, seed: 42 });
  });

  test('arbitrary JSON values are refused with a ConfigError', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => {
      expect(() => modelFromJSON(doc as object)).toThrow(ConfigError);
    }), { numRuns: 100, seed: 7 });
  });
});
