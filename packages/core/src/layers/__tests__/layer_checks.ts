/**
 * The checks every layer test runs, in one function (`runLayerChecks`) so that they stay the same for
 * every layer: shapes (symbolic, computed, eager), weight counts, config round trips (getConfig /
 * fromConfig and through the JSON of both written dialects, with the same predictions after), no tensor
 * leaks in inference, training and differentiation, gradients against central finite differences, and
 * optionally the TensorFlow.js round trip (saveModel -> tf.loadLayersModel -> same predictions).
 * `expectLoadedFromTfjs` checks the other direction for a model built by tfjs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import { modelToJSON } from '../../config/model_to_json';
import { input } from '../../engine/input_layer';
import type { Layer, LayerClass } from '../../engine/layer';
import type { SymbolicTensor } from '../../engine/symbolic';
import type { Shape, Tensor } from '../../engine/types';
import { Model } from '../../models/model';
import { loadModelSync } from '../../saving/load_model';
import { saveModel } from '../../saving/save_model';

export interface LayerCheckSpec {
  /** A new layer of the configuration under test (called several times). */
  make: () => Layer;
  /** The input shapes without the batch dimension; several for layers that take a list. */
  inputShapes: Shape[];
  /** Concrete inputs (their shapes must fit `inputShapes`); default seeded normal values, batch 2. */
  inputs?: () => Tensor[];
  /** The symbolic output shape, batch dimension (null) included. */
  expectedOutputShape: Shape;
  expectedTrainableWeights?: number;
  expectedNonTrainableWeights?: number;
  /** Central finite differences (wrt the inputs and the trainable weights); false to skip (random layers). */
  gradients?: false | { training?: boolean; eps?: number; atol?: number; rtol?: number; samples?: number };
  /** The dialects whose JSON round trip must give the same layer and predictions (default both). */
  dialects?: ('tfjs' | 'keras3')[];
  /** Save in the tfjs dialect and load with tf.loadLayersModel: same predictions within 1e-5. */
  tfjsInterop?: boolean;
  /** What happens to a mask over all but the last input axis: it 'passes' through unchanged or is 'dropped' (Keras 3). */
  mask?: 'passes' | 'dropped';
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function defaultInputs(shapes: Shape[]): Tensor[] {
  return shapes.map((s, i) => tf.randomNormal([2, ...s.map((d) => d ?? 5)], 0, 1, 'float32', 101 + i));
}

/** A functional model around one call of the layer. */
export function modelAround(layer: Layer, inputShapes: Shape[]): Model {
  const inputs = inputShapes.map((shape) => input({ shape }));
  const outputs = layer.apply(inputs.length === 1 ? inputs[0] : inputs) as SymbolicTensor;
  return new Model({ inputs, outputs });
}

function applyTo(layer: Layer, xs: Tensor[], training = false): Tensor {
  return layer.apply(xs.length === 1 ? xs[0] : xs, { training }) as Tensor;
}

function expectClose(actual: Tensor, expected: Tensor, tol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const b = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

/** Disposes results, except those that are the inputs themselves (an identity layer returns its input). */
function disposeResults(results: Tensor[], inputs: Tensor[]): void {
  tf.dispose(results.filter((t) => !inputs.includes(t)));
}

/** Leaves no tensor behind: runs `fn` once to create lazy state, then checks a second run. */
export function expectNoLeak(fn: () => Tensor | Tensor[] | void): void {
  tf.dispose(fn() ?? []);
  const before = tf.memory().numTensors;
  tf.dispose(fn() ?? []);
  expect(tf.memory().numTensors).toBe(before);
}

/** sum(output * weights) in float64, the loss the gradient check differentiates. */
function weightedLoss(out: Tensor, weights: Float32Array): number {
  const values = out.dataSync();
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] * weights[i];
  return total;
}

/**
 * Compares tf.grads of sum(layer(xs) * R) wrt the inputs and trainable weights with central finite
 * differences at `samples` evenly spread entries of each.
 */
export function checkGradients(layer: Layer, xs: Tensor[], opts: { training?: boolean; eps?: number; atol?: number; rtol?: number; samples?: number } = {}): void {
  const { training = false, eps = 1e-2, atol = 2e-3, rtol = 2e-2, samples = 12 } = opts;
  const probe = applyTo(layer, xs, training);
  const weightsR = tf.randomNormal(probe.shape, 0, 1, 'float32', 7);
  const R = weightsR.dataSync() as Float32Array;
  disposeResults([probe], xs);
  const loss = (inputs: Tensor[]) => tf.sum(tf.mul(applyTo(layer, inputs, training), weightsR)) as tf.Scalar;
  const inputGrads = tf.grads((...inputs: Tensor[]) => loss(inputs))(xs);
  const variables = layer.trainableWeights;
  const grads: Record<string, Tensor> = {};
  if (variables.length > 0) {
    const result = tf.variableGrads(() => loss(xs), variables.map((w) => w.val));
    result.value.dispose();
    Object.assign(grads, result.grads);
  }
  const numericLoss = (inputs: Tensor[]) => tf.tidy(() => weightedLoss(applyTo(layer, inputs, training), R));

  const compare = (label: string, analytic: Tensor, size: number, perturb: (i: number, delta: number) => number) => {
    const a = analytic.dataSync();
    const stride = Math.max(1, Math.floor(size / samples));
    for (let i = 0; i < size; i += stride) {
      const numeric = (perturb(i, eps) - perturb(i, -eps)) / (2 * eps);
      const ok = Math.abs(a[i] - numeric) <= atol + rtol * Math.abs(numeric);
      if (!ok) throw new Error(`gradient of ${label}[${i}]: analytic ${a[i]}, finite differences ${numeric}`);
    }
  };
  xs.forEach((x, k) => {
    const base = x.dataSync().slice();
    compare(`input ${k}`, inputGrads[k], base.length, (i, delta) => {
      const values = base.slice();
      values[i] += delta;
      const moved = tf.tensor(values, x.shape);
      const result = numericLoss(xs.map((other, j) => (j === k ? moved : other)));
      moved.dispose();
      return result;
    });
  });
  variables.forEach((w) => {
    const original = w.read().clone();
    const base = original.dataSync().slice();
    compare(w.name, grads[w.val.name], base.length, (i, delta) => {
      const values = base.slice();
      values[i] += delta;
      tf.tidy(() => w.write(tf.tensor(values, w.shape)));
      const result = numericLoss(xs);
      w.write(original);
      return result;
    });
    original.dispose();
  });
  tf.dispose([weightsR, ...inputGrads, ...Object.values(grads)]);
}

/** Reads a folder written by saveModel into tf.loadLayersModel (what tfjs-node's file:// would do). */
async function loadWithTfjs(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const manifest = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  const bytes = Buffer.concat(manifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: manifest.flatMap((group) => group.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  }));
}

/** Saves in the tfjs dialect, loads with tf.loadLayersModel, and compares predictions within 1e-5. */
export async function expectTfjsPredictsTheSame(model: Model, xs: Tensor[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-layer-'));
  tempDirs.push(dir);
  saveModel(model, dir, { dialect: 'tfjs' });
  const theirs = await loadWithTfjs(dir);
  const expected = model.predict(xs.length === 1 ? xs[0] : xs) as Tensor;
  const actual = theirs.predict(xs.length === 1 ? xs[0] : xs) as Tensor;
  expectClose(actual, expected, 1e-5);
  disposeResults([expected, actual], xs);
  theirs.dispose();
}

/** Saves a tfjs model the way tfjs-node's file:// handler does, loads it here, and compares predictions within 1e-5. */
export async function expectLoadedFromTfjs(theirs: tf.LayersModel, xs: Tensor[]): Promise<Model> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-tfjs-layer-'));
  tempDirs.push(dir);
  await theirs.save(tf.io.withSaveHandler(async (artifacts) => {
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const ours = loadModelSync(dir);
  const input = xs.length === 1 ? xs[0] : xs;
  const expected = theirs.predict(input) as Tensor;
  const actual = ours.predict(input) as Tensor;
  expectClose(actual, expected, 1e-5);
  disposeResults([expected, actual], xs);
  return ours;
}

/** The layer of a model built from JSON that corresponds to `layer` (same name). */
function sameLayer(m: Model, layer: Layer): Layer {
  const found = m.layers.find((l) => l.name === layer.name);
  if (!found) throw new Error(`no layer named ${layer.name} after the round trip`);
  return found;
}

export async function runLayerChecks(spec: LayerCheckSpec): Promise<void> {
  const xs = spec.inputs ? spec.inputs() : defaultInputs(spec.inputShapes);
  const layer = spec.make();
  const cls = layer.constructor as unknown as LayerClass;
  const m = modelAround(layer, spec.inputShapes);

  // Shapes: symbolic, computed and eager agree.
  expect((m.outputs[0] as SymbolicTensor).shape).toEqual(spec.expectedOutputShape);
  const batchShapes = spec.inputShapes.map((s) => [null, ...s]);
  expect(layer.computeOutputShape(batchShapes.length === 1 ? batchShapes[0] : batchShapes)).toEqual(spec.expectedOutputShape);
  const y = applyTo(layer, xs);
  spec.expectedOutputShape.forEach((d, i) => {
    if (i === 0) expect(y.shape[0]).toBe(xs[0].shape[0]);
    else if (d != null) expect(y.shape[i]).toBe(d);
  });
  if (spec.expectedTrainableWeights !== undefined) expect(layer.trainableWeights.length).toBe(spec.expectedTrainableWeights);
  if (spec.expectedNonTrainableWeights !== undefined) expect(layer.nonTrainableWeights.length).toBe(spec.expectedNonTrainableWeights);

  // Config: fromConfig inverts getConfig, also through JSON text.
  const config = layer.getConfig();
  expect(cls.fromConfig(config).getConfig()).toEqual(config);
  expect(cls.fromConfig(JSON.parse(JSON.stringify(config))).getConfig()).toEqual(config);

  // Both written dialects read back to the same layer, which predicts the same with the same weights.
  for (const dialect of spec.dialects ?? ['tfjs', 'keras3']) {
    const back = modelFromJSON(modelToJSON(m, { dialect }));
    const twin = sameLayer(back, layer);
    expect({ dialect, config: twin.getConfig() }).toEqual({ dialect, config });
    const weights = m.getWeights();
    back.setWeights(weights);
    const expected = m.predict(xs.length === 1 ? xs[0] : xs) as Tensor;
    const actual = back.predict(xs.length === 1 ? xs[0] : xs) as Tensor;
    expectClose(actual, expected, 1e-6);
    tf.dispose(weights);
    disposeResults([expected, actual], xs);
    back.dispose();
  }

  // No leaks: inference, training, and a gradient.
  const outputOf = (training: boolean) => {
    const out = applyTo(layer, xs, training);
    return xs.includes(out) ? [] : out;
  };
  expectNoLeak(() => outputOf(false));
  expectNoLeak(() => outputOf(true));
  expectNoLeak(() => tf.grads((...inputs: Tensor[]) => tf.sum(applyTo(layer, inputs, true)))(xs));

  if (spec.mask) {
    const masks = xs.map((x) => tf.tidy(() => tf.greater(tf.randomUniform(x.shape.slice(0, -1), 0, 1, 'float32', 3), 0.3)));
    const out = layer.computeMask(xs.length === 1 ? xs[0] : xs, masks.length === 1 ? masks[0] : masks);
    if (spec.mask === 'dropped') expect(out).toBeNull();
    else expect(out).toBe(masks[0]);
    tf.dispose(masks);
  }
  if (spec.gradients !== false) checkGradients(layer, xs, spec.gradients ?? {});
  if (spec.tfjsInterop) await expectTfjsPredictsTheSame(m, xs);
  disposeResults([y], xs);
  tf.dispose(xs);
}
