/**
 * Property-based tests: random mutations of a valid saved model (model.json values, weights bytes) only ever
 * load or fail with a ConfigError, never another exception, and loading never changes the folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { layers } from '../layers';
import { Sequential } from '../models/sequential';
import { setSeed } from '../engine/random';
import { ConfigError } from '../config/config_error';
import { saveModel } from './save_model';
import { loadModelSync } from './load_model';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(doc: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value;
  const copy = structuredClone(doc);
  let parent = copy as Record<string | number, Json>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] = value;
  }
  return copy;
}

const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>(null, -1, 0, 1.5, 1e12, 'int32', 'float16', 'bool', 'string', '../x.bin', 'weights.bin', [], {}, [-3], [1e6, 1e6], ['NaN']),
  fc.integer({ min: -3, max: 40 }),
  fc.string({ maxLength: 6 }),
);

const snapshot = (dir: string) => fs.readdirSync(dir).sort().map((f) => `${f}:${fs.statSync(path.join(dir, f)).size}`);

function loadsOrConfigError(dir: string): void {
  const before = snapshot(dir);
  try {
    loadModelSync(dir).dispose();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError: ${(e as Error).stack}`);
  }
  expect(snapshot(dir)).toEqual(before);
}

describe('mutated model files', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-prop-'));
  let original: { json: Json; bin: Buffer };
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  beforeAll(() => {
    setSeed(2);
    const m = new Sequential({ name: 'prop' });
    m.add(layers.embedding({ inputDim: 6, outputDim: 3, inputShape: [4] }));
    m.add(layers.lstm({ units: 2 }));
    m.add(layers.dense({ units: 1 }));
    saveModel(m, base);
    original = { json: JSON.parse(fs.readFileSync(path.join(base, 'model.json'), 'utf8')), bin: fs.readFileSync(path.join(base, 'weights.bin')) };
  });

  function writeCase(json: Json, bin: Buffer): string {
    const dir = fs.mkdtempSync(path.join(base, 'case-'));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, 'weights.bin'), bin);
    return dir;
  }

  test('model.json values replaced or removed', () => {
    const all = paths(original.json);
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), replacement), { minLength: 1, maxLength: 3 }), (edits) => {
      let json = original.json;
      for (const [index, value] of edits) {
        const current = paths(json);
        json = setAt(json, current[index % current.length], value);
      }
      // Without the integrity record, so the mutated manifest itself is what gets checked.
      if (json && typeof json === 'object' && !Array.isArray(json)) delete (json as Record<string, Json>).weightsIntegrity;
      loadsOrConfigError(writeCase(json, original.bin));
    }), { numRuns: 80, seed: 1 });
  });

  test('weights.bin truncated, extended or with flipped bytes', () => {
    const edit = fc.oneof(
      fc.integer({ min: 0, max: 400 }).map((n) => (b: Buffer) => b.subarray(0, Math.min(n, b.length))),
      fc.integer({ min: 1, max: 64 }).map((n) => (b: Buffer) => Buffer.concat([b, Buffer.alloc(n, 7)])),
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([i, v]) => (b: Buffer) => {
        const c = Buffer.from(b);
        c[i % c.length] = v;
        return c;
      }),
    );
    fc.assert(fc.property(edit, fc.boolean(), (change, keepIntegrity) => {
      const json = structuredClone(original.json) as Record<string, Json>;
      if (!keepIntegrity) delete json.weightsIntegrity;
      loadsOrConfigError(writeCase(json, change(original.bin)));
    }), { numRuns: 60, seed: 3 });
  });
});
