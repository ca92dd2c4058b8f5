/**
 * The checks every layer passes (Keras's `run_layer_test`): built from its config, called eagerly and
 * on symbolic tensors, output shapes against `computeOutputShape`, the config through both Keras JSON
 * dialects, save -> load -> the same output, weights in count and order, mask propagation, no tensor
 * left behind by a call or a gradient, gradients against finite differences, and the TensorFlow.js
 * round trip (saved for tfjs, read by tf.loadLayersModel, the same predictions). A layer's own test
 * calls it once per interesting configuration and keeps its specific assertions beside it. Test
 * support: not shipped.
 */
import * as tf from '@tensorflow/tfjs';
import type { WriteDialect } from '../config/layer_to_json';
import { modelFromJSON } from '../config/model_from_json';
import { modelToJSON } from '../config/model_to_json';
import { input } from '../engine/input_layer';
import type { Layer } from '../engine/layer';
import { getSeed, setSeed } from '../engine/random';
import { deserializeLayer } from '../engine/registry';
import type { SymbolicTensor } from '../engine/symbolic';
import { isShapeList, type Shape, type Tensor, type TensorDType } from '../engine/types';
import { model, type Model } from '../models/model';
import { loadModelSync } from '../saving/load_model';
import { checkAfterTest } from './after_test';
import { checkLayerGradients, floatInputs, type GradientCheckOptions } from './gradient_check';
import { expectNoLeak, expectTensorsClose } from './tensor_checks';
import { withTempDir } from './temp_dir';
import { prepareTfjsCheck } from './tfjs_interop';

/** What one layer configuration must do. */
export interface LayerTestCase<L extends Layer = Layer> {
  /** A fresh layer (the test builds several: Keras's `layer_cls(**init_kwargs)`). */
  make: () => L;
  /** Data to call the layer on, batch first: one tensor, or a list for a layer of several inputs. */
  input: Tensor | Tensor[];
  /** Call in training mode (dropout, ...) for the eager and gradient checks; predictions are always inference. */
  training?: boolean;
  /**
   * Plain call options given to every call, eager and symbolic, and to computeOutputShape (e.g.
   * `{ returnAttentionScores: true }`); `training` and `mask` are the checks' own.
   */
  callArgs?: Record<string, unknown>;
  /** The eager output shape(s), batch included. */
  expectedOutputShape?: Shape | Shape[];
  /** The expected output of an inference call, compared within `tolerance`. */
  expectedOutput?: Tensor | Tensor[];
  /** The weights once built, in order, named without the `<layer name>/` prefix. */
  expectedWeights?: string[];
  /** How many of them are non-trainable (default 0). */
  expectedNonTrainableWeights?: number;
  /** Whether the layer passes masks on (`supportsMasking`). */
  supportsMasking?: boolean;
  /**
   * A mask for the (first) input, and the mask the layer then outputs (a list for several outputs):
   * 'input' for the same mask, a tensor for a mask the layer computes, null for none.
   */
  mask?: { input: Tensor | null; expected: MaskExpectation | MaskExpectation[] };
  /** Dialects the layer cannot be written in, with the error that says so; every other dialect must round-trip. */
  unsupportedDialects?: Partial<Record<WriteDialect, RegExp>>;
  /** Largest difference allowed between outputs that should agree (default 1e-5). */
  tolerance?: number;
  /**
   * Gradients with respect to the float inputs and the trainable weights against central finite
   * differences (checkLayerGradients), in the mode `training` says. On wherever something is
   * differentiable into a float output; settings tune it (its mode, step, tolerances, which inputs);
   * `{ skip: 'why' }` turns it off. Give inputs away from the kinks of relu or max pooling.
   */
  gradientCheck?: GradientCheckSettings | Skip;
  /**
   * The model around the layer saved for TensorFlow.js, read back by tf.loadLayersModel, predicts the
   * same within 1e-5. On unless `unsupportedDialects.tfjs` says the layer cannot be written for tfjs;
   * `{ skip: 'why' }` turns it off (a class tfjs does not have). tfjs loads asynchronously: the check is
   * prepared during the call and finishes when the test ends (after_test.ts).
   */
  tfjsInterop?: true | Skip;
}

/** The gradient check's settings. */
export interface GradientCheckSettings extends Omit<GradientCheckOptions, 'callArgs'> {
  /** The mode of its calls (default the test case's `training`): false checks a dropout layer tested in training mode where it is deterministic. */
  training?: boolean;
}

/** An explicit opt-out of a check that would otherwise run, with the reason the reader needs. */
export interface Skip {
  skip: string;
}

function isSkip(option: object | true | undefined, name: string): option is Skip {
  if (option === undefined || option === true || !('skip' in option)) return false;
  if (typeof option.skip !== 'string' || option.skip.trim() === '') throw new Error(`runLayerTest: ${name}.skip must give the reason the check does not apply.`);
  return true;
}

/** An output mask as expected: the input's mask passed on, a mask of the layer's own, or none. */
export type MaskExpectation = 'input' | Tensor | null;

const DIALECTS: readonly WriteDialect[] = ['keras3', 'tfjs'];

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const one = <T>(xs: T[]): T | T[] => (xs.length === 1 ? xs[0] : xs);

/** Names of a layer's weights, without the layer's own prefix. */
function relativeWeightNames(layer: Layer): string[] {
  const prefix = `${layer.name}/`;
  return layer.weights.map((w) => (w.name.startsWith(prefix) ? w.name.slice(prefix.length) : w.name));
}

/** The dtype of a model input fed with `x` (raw strings stay strings). */
function inputDType(x: Tensor): TensorDType {
  return x.dtype === 'int32' || x.dtype === 'string' ? x.dtype : 'float32';
}

/** The layer called on symbolic inputs shaped like the data (a fixed batch for stateful layers). */
function symbolicCall(layer: Layer, data: Tensor[], callArgs: Record<string, unknown>): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
  const inputs = data.map((x) => (layer.stateful
    ? input({ batchShape: [...x.shape], dtype: inputDType(x) })
    : input({ shape: x.shape.slice(1), dtype: inputDType(x) })));
  const outputs = list(layer.apply(one(inputs), callArgs) as SymbolicTensor | SymbolicTensor[]);
  return { inputs, outputs };
}

/** Stateful layers start every compared run from zero states. */
function restart(layer: Layer): Layer {
  if (layer.stateful && layer.resetStates) layer.resetStates();
  return layer;
}

function predict(m: Model, data: Tensor[]): Tensor[] {
  restart(m);
  return list(m.predict(one(data)));
}

/** A fixed seed for runs that set none: the same initial weights every run, so the numerical checks are reproducible. */
const DEFAULT_SEED = 1337;

/**
 * Runs every check on one layer configuration; throws (through `expect`) at the first that fails. The
 * layers are built under the test's seed, or DEFAULT_SEED when it set none (cleared again after).
 */
export function runLayerTest<L extends Layer>(spec: LayerTestCase<L>): L {
  if (getSeed() !== null) return runChecks(spec);
  setSeed(DEFAULT_SEED);
  try {
    return runChecks(spec);
  } finally {
    setSeed(null);
  }
}

function runChecks<L extends Layer>(spec: LayerTestCase<L>): L {
  const tolerance = spec.tolerance ?? 1e-5;
  const callArgs = spec.callArgs ?? {};
  const data = list(spec.input);
  const shapes: Shape[] = data.map((x) => [...x.shape]);
  const shapeArg: Shape | Shape[] = Array.isArray(spec.input) ? shapes : shapes[0];
  /** The results a call leaves to the caller: not the tensors a layer hands back unchanged (Dropout in inference returns its input). */
  const owned = (results: Tensor | Tensor[] | null): Tensor[] => (results === null ? [] : list(results).filter((t) => !data.includes(t) && t !== spec.mask?.input));
  const release = (results: Tensor | Tensor[] | null): void => tf.dispose(owned(results));
  const layer = spec.make();
  const gradientSettings = isSkip(spec.gradientCheck, 'gradientCheck') ? null : spec.gradientCheck ?? {};
  const tfjsInterop = !isSkip(spec.tfjsInterop, 'tfjsInterop') && spec.unsupportedDialects?.tfjs === undefined;
  if (spec.supportsMasking !== undefined) expect(layer.supportsMasking).toBe(spec.supportsMasking);

  // Built from its config: the same config back, through JSON text and through the layer registry.
  const config = layer.getConfig();
  const cls = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): Layer };
  const fromConfig = cls.fromConfig(JSON.parse(JSON.stringify(config)));
  expect(fromConfig.getConfig()).toEqual(config);
  const fromRegistry = deserializeLayer({ className: layer.className, config: JSON.parse(JSON.stringify(config)) });
  expect(fromRegistry.constructor).toBe(layer.constructor);

  // Eager call: shapes as computeOutputShape says, and as expected.
  const eager = list(layer.apply(spec.input, { ...callArgs, training: spec.training === true }));
  const eagerShapes = eager.map((t) => [...t.shape]);
  const computed = layer.computeOutputShape(shapeArg, callArgs);
  expect(isShapeList(computed) ? computed : [computed]).toEqual(eagerShapes);
  if (spec.expectedOutputShape) expect(eagerShapes).toEqual(isShapeList(spec.expectedOutputShape) ? spec.expectedOutputShape : [spec.expectedOutputShape]);
  release(eager);

  // Weights, in count and order; a copy built from the config computes the same with the same weights.
  if (spec.expectedWeights) expect(relativeWeightNames(layer)).toEqual(spec.expectedWeights);
  expect(layer.nonTrainableWeights).toHaveLength(layer.trainable ? spec.expectedNonTrainableWeights ?? 0 : layer.weights.length);
  const inference = list(restart(layer).apply(spec.input, { ...callArgs, training: false }));
  if (spec.expectedOutput) expectTensorsClose(inference, spec.expectedOutput, tolerance, 'expected output');
  if (layer.weights.length > 0) {
    fromConfig.maybeBuild(shapeArg);
    const values = layer.getWeights();
    fromConfig.setWeights(values);
    tf.dispose(values);
  }
  const copyOutput = list(restart(fromConfig).apply(spec.input, { ...callArgs, training: false }));
  expectTensorsClose(copyOutput, inference, tolerance, 'layer rebuilt from its config');
  release(copyOutput);

  // Symbolic call: the same shapes with the batch left open (fixed for stateful layers).
  const symbolic = symbolicCall(layer, data, callArgs);
  const openBatch = (s: Shape): Shape => (layer.stateful ? s : [null, ...s.slice(1)]);
  expect(symbolic.outputs.map((t) => t.shape)).toEqual(eagerShapes.map(openBatch));
  const m = model({ inputs: one(symbolic.inputs), outputs: one(symbolic.outputs) });
  const predicted = predict(m, data);
  expectTensorsClose(predicted, inference, tolerance, 'model around the layer');
  // Keras's predict returns new tensors the caller owns, even when the layer hands its input back.
  expect({ predictReturnsItsInput: predicted.some((t) => data.includes(t)) }).toEqual({ predictReturnsItsInput: false });

  // The config through each Keras JSON dialect: the same layer config, the same output with the same weights.
  for (const dialect of DIALECTS) {
    const unsupported = spec.unsupportedDialects?.[dialect];
    if (unsupported) {
      expect(() => modelToJSON(m, { dialect })).toThrow(unsupported);
      continue;
    }
    const json = modelToJSON(m, { dialect });
    const rebuilt = modelFromJSON(json);
    // Keras 3 spells every config this project writes; TensorFlow.js may spell a value its own way
    // (an L1 regularizer as L1L2), so there the written document must come back the same.
    if (dialect === 'keras3') expect({ dialect, config: rebuilt.getLayer(layer.name).getConfig() }).toEqual({ dialect, config });
    expect({ dialect, json: modelToJSON(rebuilt, { dialect }) }).toEqual({ dialect, json });
    const values = m.getWeights();
    rebuilt.setWeights(values);
    tf.dispose(values);
    const output = predict(rebuilt, data);
    expectTensorsClose(output, predicted, tolerance, `model read back from ${dialect} JSON`);
    tf.dispose(output);
    rebuilt.dispose();
  }

  // Saved and loaded: the same weights (names, order, values), the same output (run-time choices such
  // as useFused are not saved, so the computation may take the other path: within `tolerance`).
  withTempDir((dir) => {
    m.save(dir);
    const loaded = loadModelSync(dir);
    const loadedLayer = loaded.getLayer(layer.name);
    expect(loadedLayer.weights.map((w) => w.name)).toEqual(layer.weights.map((w) => w.name));
    expectTensorsClose(loadedLayer.weights.map((w) => w.read()), layer.weights.map((w) => w.read()), 0, 'saved and loaded weights');
    const output = predict(loaded, data);
    expectTensorsClose(output, predicted, tolerance, 'saved and loaded model');
    tf.dispose(output);
    loaded.dispose();
  });
  tf.dispose(predicted);

  // Masks: what the layer passes on, and a masked call that runs.
  if (spec.mask) {
    const masks = [spec.mask.input, ...data.slice(1).map(() => null)] as Tensor[];
    const maskArg = data.length === 1 ? spec.mask.input : masks;
    const outputMask = layer.computeMask(spec.input, maskArg);
    const expected = spec.mask.expected;
    const expectedList = Array.isArray(expected) ? expected : [expected];
    const actualList = Array.isArray(expected) ? list(outputMask as (Tensor | null)[]) : [outputMask as Tensor | null];
    expect(actualList).toHaveLength(expectedList.length);
    actualList.forEach((actual, i) => {
      const wanted = expectedList[i] === 'input' ? spec.mask!.input : expectedList[i];
      if (wanted === null) expect({ outputMask: i, mask: actual }).toEqual({ outputMask: i, mask: null });
      else expectTensorsClose(actual as Tensor, wanted, 0, `output mask ${i}`);
    });
    release(actualList.filter((t): t is Tensor => t !== null));
    release(layer.apply(spec.input, { ...callArgs, mask: maskArg, training: false }));
  }

  // No tensor left behind: calls in both modes, training-mode gradients, a prediction.
  const training = spec.training === true;
  expectNoLeak('inference call', () => owned(layer.apply(spec.input, { ...callArgs, training: false })));
  expectNoLeak('training call', () => owned(layer.apply(spec.input, { ...callArgs, training: true })));
  const asGiven = (xs: Tensor[]): Tensor | Tensor[] => (Array.isArray(spec.input) ? xs : xs[0]);
  const floatOutputs = (inputs: Tensor | Tensor[]) => list(layer.apply(inputs, { ...callArgs, training })).filter((o) => o.dtype === 'float32');
  const sumOfOutputs = (inputs: Tensor | Tensor[]) => tf.addN(floatOutputs(inputs).map((o) => tf.sum(o))) as tf.Scalar;
  const hasFloatOutput = inference.some((o) => o.dtype === 'float32');
  const gradientInputs = gradientSettings?.inputs ?? floatInputs(data);
  if (hasFloatOutput && gradientInputs.length > 0) {
    expectNoLeak('input gradient', () => tf.grads((...picked: Tensor[]) => sumOfOutputs(asGiven(data.map((x, i) => (gradientInputs.includes(i) ? picked[gradientInputs.indexOf(i)] : x)))))(
      gradientInputs.map((i) => data[i]),
    ));
  }
  const trainable = layer.trainableWeights.map((w) => w.val);
  if (trainable.length > 0) {
    expectNoLeak('weight gradient', () => {
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const outputs = list(layer.apply(spec.input, { ...callArgs, training })).filter((o) => o.dtype !== 'string');
        return tf.addN(outputs.map((o) => tf.sum(tf.cast(o, 'float32')))) as tf.Scalar;
      }), trainable);
      for (const v of trainable) expect({ weight: v.name, shape: grads[v.name]?.shape }).toEqual({ weight: v.name, shape: v.shape });
      return [value, ...Object.values(grads)];
    });
  }
  expectNoLeak('prediction', () => predict(m, data));

  // Gradients against finite differences, wherever something is differentiable into a float output.
  if (gradientSettings) {
    const applies = hasFloatOutput && (gradientInputs.length > 0 || trainable.length > 0);
    if (applies) checkLayerGradients(layer, spec.input, { ...gradientSettings, callArgs: { ...callArgs, training: gradientSettings.training ?? training } });
    else if (spec.gradientCheck !== undefined) throw new Error(`runLayerTest: gradientCheck settings given, but ${layer.describe()} has nothing differentiable into a float output.`);
  }
  release(inference);

  // TensorFlow.js reads the file saved for it and predicts the same (finishes when the test ends).
  if (tfjsInterop) checkAfterTest(prepareTfjsCheck(m, data, layer.describe()));
  return layer;
}
