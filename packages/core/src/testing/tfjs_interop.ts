/**
 * TensorFlow.js interoperability, both ways: a model saved here for tfjs (the 'tfjs' dialect, the files
 * saveModel writes) loads with tf.loadLayersModel and predicts what it predicts here; a model tfjs builds
 * and saves (as tfjs-node's file:// handler writes it) loads here and predicts what tfjs predicts. Test
 * support: not shipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { singleOrList, toList, type Tensor } from '../engine/types';
import type { Model } from '../models/model';
import { loadModelSync } from '../saving/load_model';
import { saveModel } from '../saving/save_model';
import { expectTensorsClose } from './tensor_checks';
import { withTempDir } from './temp_dir';

/** Largest difference allowed between the two libraries' predictions. */
export const TFJS_TOLERANCE = 1e-5;

/** A tensor as plain values, so that a check prepared now does not depend on tensors the test may dispose. */
interface Captured {
  values: tf.TypedArray | string[];
  shape: number[];
  dtype: tf.DataType;
}

const capture = (t: Tensor): Captured => ({ values: t.dataSync().slice(), shape: [...t.shape], dtype: t.dtype });
const revive = (c: Captured): Tensor => tf.tensor(c.values, c.shape, c.dtype);

/** The folder saveModel writes for tfjs, read back into what tf.io.fromMemory takes. */
function savedForTfjs(model: Model): tf.io.ModelArtifacts {
  return withTempDir((dir) => {
    void saveModel(model, dir, { dialect: 'tfjs' }); // a folder is written before saveModel returns
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const groups = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    const bytes = Buffer.concat(groups.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
    return {
      modelTopology: json.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    };
  });
}

/**
 * Saves `model` for tfjs and predicts `xs` with it now (a stateful model from its initial states); the
 * returned function loads the files with tf.loadLayersModel and fails, naming `what`, unless tfjs
 * predicts the same within TFJS_TOLERANCE.
 */
export function prepareTfjsCheck(model: Model, xs: Tensor[], what: string): () => Promise<void> {
  const artifacts = savedForTfjs(model);
  if (model.stateful && model.resetStates) model.resetStates();
  const ours = toList(model.predict(singleOrList(xs)));
  const expected = ours.map(capture);
  tf.dispose(ours);
  const inputs = xs.map(capture);
  return async () => {
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = inputs.map(revive);
    const want = expected.map(revive);
    try {
      const got = toList(theirs.predict(singleOrList(x)) as Tensor | Tensor[]);
      try {
        expectTensorsClose(got, want, TFJS_TOLERANCE, `${what} saved for TensorFlow.js, as tf.loadLayersModel predicts it`);
      } finally {
        tf.dispose(got);
      }
    } finally {
      tf.dispose([...x, ...want]);
      theirs.dispose();
    }
  };
}

/** Saves for tfjs, loads with tf.loadLayersModel, and compares the predictions within TFJS_TOLERANCE. */
export async function expectTfjsPredictsTheSame(model: Model, xs: Tensor[]): Promise<void> {
  await prepareTfjsCheck(model, xs, `model '${model.name}'`)();
}

/** Saves a tfjs model as tfjs-node's file:// handler does, loads it here, and compares the predictions within TFJS_TOLERANCE. */
export async function expectLoadedFromTfjs(theirs: tf.LayersModel, xs: Tensor[]): Promise<Model> {
  const files = new Map<string, Buffer>();
  await theirs.save(tf.io.withSaveHandler(async (artifacts) => {
    files.set('weights.bin', Buffer.from(artifacts.weightData as ArrayBuffer));
    files.set('model.json', Buffer.from(JSON.stringify({
      modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
    })));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const ours = withTempDir((dir) => {
    files.forEach((bytes, name) => fs.writeFileSync(path.join(dir, name), bytes));
    return loadModelSync(dir);
  });
  const expected = toList(theirs.predict(singleOrList(xs)) as Tensor | Tensor[]);
  const actual = toList(ours.predict(singleOrList(xs)));
  try {
    expectTensorsClose(actual, expected, TFJS_TOLERANCE, `tfjs model '${theirs.name}' loaded here`);
  } finally {
    tf.dispose([...expected, ...actual].filter((t) => !xs.includes(t)));
  }
  return ours;
}
