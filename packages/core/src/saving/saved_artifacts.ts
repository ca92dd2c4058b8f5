/** What a model directory holds, built in memory before any file is written. */
import { createHash } from 'crypto';
import type { FileToWrite } from './atomic_write';
import { encodeWeights, type WeightToEncode } from './weight_codec';
import { EXTENDED_TRAINING_CONFIG, INTEGRITY_KEY } from './read_model_files';
import { tfjsCanReadTrainingConfig } from './training_state';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const OPTIMIZER_JSON = 'optimizer.json';
export const OPTIMIZER_BIN = 'optimizer.bin';

/** `generatedBy` of the files we write. */
export const GENERATED_BY = 'recurrent 0.1.0';

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The model config as written, its dialect, and why TensorFlow.js cannot read it (empty when it can). */
export interface Topology {
  config: Record<string, unknown>;
  dialect: 'tfjs' | 'keras3';
  tfjsProblems: string[];
}

/** Key of model.json saying which software reads the file. */
export const READABLE_BY = 'readableBy';

/** The `readableBy` note of a model.json. */
function readableBy(topology: Topology): string {
  if (topology.dialect === 'tfjs') return 'recurrent (loadModel) and @tensorflow/tfjs (loadLayersModel)';
  const why = topology.tfjsProblems.length > 0 ? topology.tfjsProblems.join('; ') : 'it is written in the Keras 3 dialect';
  return `recurrent (loadModel) only; @tensorflow/tfjs cannot load it: ${why}`;
}

export interface ArtifactsInput {
  topology: Topology;
  weights: WeightToEncode[];
  trainingConfig: Record<string, unknown> | null;
  /** Optimizer class/config and state, or null to save none. */
  optimizer: { config: Record<string, unknown>; weights: WeightToEncode[] } | null;
}

/**
 * model.json + weights.bin, and optimizer.json + optimizer.bin when the optimizer state is saved. The
 * optimizer state is kept out of weights.bin on purpose: TensorFlow.js would try to load an 'optimizer'
 * group into its own optimizer, whose variables are named and ordered differently. model.json lists the
 * size and SHA-256 of every other file, so files from two different saves are never mixed silently.
 * model.json comes last in the returned list: it is renamed last, as the commit point of the save.
 */
export function buildModelFiles(input: ArtifactsInput): FileToWrite[] {
  const files: FileToWrite[] = [];
  const integrity: Record<string, { bytes: number; sha256: string }> = {};
  const add = (name: string, data: Buffer | string) => {
    files.push({ name, data });
    integrity[name] = { bytes: Buffer.byteLength(data), sha256: sha256(data) };
  };
  const { specs, data } = encodeWeights(input.weights);
  add(WEIGHTS_BIN, data);
  if (input.optimizer) {
    const opt = encodeWeights(input.optimizer.weights);
    add(OPTIMIZER_BIN, opt.data);
    const optimizerJson = {
      format: 'optimizer-state',
      generatedBy: GENERATED_BY,
      optimizer: input.optimizer.config,
      weightsManifest: [{ paths: [OPTIMIZER_BIN], weights: opt.specs }],
      [INTEGRITY_KEY]: { [OPTIMIZER_BIN]: integrity[OPTIMIZER_BIN] },
    };
    add(OPTIMIZER_JSON, `${JSON.stringify(optimizerJson)}\n`);
  }
  const modelJson: Record<string, unknown> = {
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    [READABLE_BY]: readableBy(input.topology),
    modelTopology: input.topology.config,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
  };
  if (input.trainingConfig) modelJson[tfjsCanReadTrainingConfig(input.trainingConfig) ? 'trainingConfig' : EXTENDED_TRAINING_CONFIG] = input.trainingConfig;
  modelJson[INTEGRITY_KEY] = integrity;
  files.push({ name: MODEL_JSON, data: `${JSON.stringify(modelJson)}\n` });
  return files;
}
