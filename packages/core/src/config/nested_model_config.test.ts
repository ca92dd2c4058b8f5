/**
 * Models used as layers inside another model: written into the config as nested
 * {"class_name": "Sequential" | "Functional", "config": {...}} entries and read back (configs and saved
 * folders), with problems inside the nested model reported at their full path.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { setSeed } from '../engine/random';
import { layers } from '../layers';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { loadModelSync } from '../saving/load_model';
import { saveModel } from '../saving/save_model';
import { ConfigError } from './config_error';
import { modelFromJSON } from './model_from_json';
import { modelToJSON } from './model_to_json';

type Sym = ReturnType<typeof input>;

function encoder(): Sequential {
  const enc = new Sequential({ name: 'encoder' });
  enc.add(layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }));
  enc.add(layers.gru({ units: 3 }));
  return enc;
}

/** Sequential inside Sequential. */
function stacked(): Sequential {
  const m = new Sequential({ name: 'outer' });
  m.add(encoder());
  m.add(layers.dense({ units: 2, activation: 'softmax' }));
  return m;
}

/** Sequential inside Functional, applied to an Input. */
function functional(): Model {
  const x = input({ shape: [5, 3], name: 'x' });
  const h = encoder().apply(x) as Sym;
  return new Model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(h) as Sym, name: 'outer_fn' });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('nested models in configs', () => {
  const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3);
  afterAll(() => x.dispose());

  test.each([['Sequential in Sequential', stacked], ['Sequential in Functional', functional]] as const)('%s: the config round trip keeps the structure and, with the weights, the predictions', (_label, build) => {
    setSeed(7);
    const original = build();
    const json = modelToJSON(original);
    const doc = JSON.parse(json);
    const layersOf = (d: { config: { layers: Array<{ class_name: string }> } }) => d.config.layers.map((l) => l.class_name);
    expect(layersOf(doc)).toContain('Sequential');
    const copy = modelFromJSON(json);
    expect(JSON.parse(modelToJSON(copy))).toEqual(doc);
    copy.setWeights(original.getWeights());
    const a = original.predict(x) as tf.Tensor, b = copy.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(copy.countParams()).toBe(original.countParams());
    tf.dispose([a, b]);
    original.dispose();
    copy.dispose();
  });

  test.each([['Sequential in Sequential', stacked], ['Sequential in Functional', functional]] as const)('%s: saveModel then loadModel predicts the same', (_label, build) => {
    setSeed(11);
    const original = build();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-nested-'));
    dirs.push(dir);
    saveModel(original, dir);
    const loaded = loadModelSync(dir);
    const a = original.predict(x) as tf.Tensor, b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    original.dispose();
    loaded.dispose();
  });

  test('a problem inside the nested model is reported at its full path', () => {
    const doc = JSON.parse(modelToJSON(stacked()));
    doc.config.layers[0].config.layers[1].config.units = 'three';
    doc.config.layers[0].config.layers[0].class_name = 'LSTMM';
    let error: unknown;
    try {
      modelFromJSON(doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/layers\[0\]\.config\.layers\[0\]\.class_name: unknown layer class "LSTMM".*did you mean 'LSTM'/);
    expect(message).toMatch(/layers\[0\]\.config\.layers\[1\]\.config\.units/);
  });
});
