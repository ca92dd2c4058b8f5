/** What a model directory holds, built in memory before any file is written. */
import { createHash } from 'crypto';
import type { FileToWrite } from './atomic_write';
import { encodeWeights, type WeightToEncode } from './weight_codec';
import { EXTENDED_TRAINING_CONFIG, INTEGRITY_KEY } from './read_model_files';
import { tfjsCanReadTrainingConfig } from './training_state';
import type { WeightSpec } from './weights_manifest';

export const MODEL_JSON = 'model.json';

/** The names of the files of one save besides model.json, which names them. */
export interface GenerationNames {
  weights: string;
  optimizerJson: string;
  optimizerBin: string;
}

/** The names a folder's files have once a save is complete. */
export const FINAL_NAMES: GenerationNames = { weights: 'weights.bin', optimizerJson: 'optimizer.json', optimizerBin: 'optimizer.bin' };

/**
 * The names a save writes under while model.json still names the final ones (the previous save's): the new
 * files never overwrite a file the committed model.json uses (see model_folder.ts).
 */
export const STAGING_NAMES: GenerationNames = { weights: 'weights.next.bin', optimizerJson: 'optimizer.next.json', optimizerBin: 'optimizer.next.bin' };

/** Every name of both sets: the files a save owns in a folder. */
export const GENERATION_FILE_NAMES: readonly string[] = [FINAL_NAMES, STAGING_NAMES].flatMap((n) => [n.weights, n.optimizerJson, n.optimizerBin]);

/** Names of an optimizer state file, in the order a loader looks for them in model.json's integrity record. */
export const OPTIMIZER_JSON_NAMES: readonly string[] = [FINAL_NAMES.optimizerJson, STAGING_NAMES.optimizerJson];

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

/** A binary file's bytes with its manifest entries and integrity record, computed once. */
interface EncodedBinary {
  data: Buffer;
  specs: WeightSpec[];
  record: { bytes: number; sha256: string };
}

/** A save encoded: the binary files are computed once, the JSON files for any set of names. */
export interface EncodedArtifacts {
  input: ArtifactsInput;
  weights: EncodedBinary;
  optimizer: EncodedBinary | null;
}

function encodeBinary(weights: WeightToEncode[]): EncodedBinary {
  const { specs, data } = encodeWeights(weights);
  return { data, specs, record: { bytes: data.length, sha256: sha256(data) } };
}

export function encodeArtifacts(input: ArtifactsInput): EncodedArtifacts {
  return { input, weights: encodeBinary(input.weights), optimizer: input.optimizer ? encodeBinary(input.optimizer.weights) : null };
}

/**
 * model.json + the weights file, and the optimizer state files when the optimizer state is saved, under
 * `names`. The optimizer state is kept out of the weights file on purpose: TensorFlow.js would try to load
 * an 'optimizer' group into its own optimizer, whose variables are named and ordered differently.
 * model.json lists the size and SHA-256 of every other file, so files from two different saves are never
 * mixed silently. model.json comes last in the returned list: writing it is the commit point.
 */
export function artifactFiles(encoded: EncodedArtifacts, names: GenerationNames): FileToWrite[] {
  const files: FileToWrite[] = [];
  const integrity: Record<string, { bytes: number; sha256: string }> = {};
  const add = (name: string, data: Buffer | string, record = { bytes: Buffer.byteLength(data), sha256: sha256(data) }) => {
    files.push({ name, data });
    integrity[name] = record;
  };
  add(names.weights, encoded.weights.data, encoded.weights.record);
  if (encoded.optimizer && encoded.input.optimizer) {
    add(names.optimizerBin, encoded.optimizer.data, encoded.optimizer.record);
    const optimizerJson = {
      format: 'optimizer-state',
      generatedBy: GENERATED_BY,
      optimizer: encoded.input.optimizer.config,
      weightsManifest: [{ paths: [names.optimizerBin], weights: encoded.optimizer.specs }],
      [INTEGRITY_KEY]: { [names.optimizerBin]: encoded.optimizer.record },
    };
    add(names.optimizerJson, `${JSON.stringify(optimizerJson)}\n`);
  }
  const modelJson: Record<string, unknown> = {
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    [READABLE_BY]: readableBy(encoded.input.topology),
    modelTopology: encoded.input.topology.config,
    weightsManifest: [{ paths: [names.weights], weights: encoded.weights.specs }],
  };
  const trainingConfig = encoded.input.trainingConfig;
  if (trainingConfig) modelJson[tfjsCanReadTrainingConfig(trainingConfig) ? 'trainingConfig' : EXTENDED_TRAINING_CONFIG] = trainingConfig;
  modelJson[INTEGRITY_KEY] = integrity;
  files.push({ name: MODEL_JSON, data: `${JSON.stringify(modelJson)}\n` });
  return files;
}
