/**
 * Keras model files as ModelSources:
 * - `.keras` (Keras 3, and Keras 2.13+): a zip archive of config.json (the serialized model, with its
 *   `compile_config`), metadata.json (`keras_version`, `date_saved`) and model.weights.h5 (Keras 3 layout);
 * - `.h5` (Keras 2 `model.save`, tf.keras, Keras 3's legacy format): an HDF5 file whose root attributes hold
 *   `model_config` and `training_config` (JSON text) and whose `model_weights` group holds the weights.
 * A weights-only file (`.weights.h5`, or an `.h5` from save_weights) has no config to build a model from;
 * loadWeights(model, file) reads it into a model built otherwise.
 */
import { ConfigError, IssueCollector } from '../../config/config_error';
import { parseJsonSafely } from '../../config/safe_json';
import type { ModelSource } from '../model_source';
import { fileProblem, type ReadLimits } from '../read_model_files';
import { readRegularFile } from '../safe_files';
import { Hdf5Reader, type Hdf5Limits } from './hdf5_reader';
import { matchKeras2Weights, matchKeras3Weights } from './h5_weights';
import { restoreKerasAssets } from './keras_assets';
import { KERAS_CONFIG, KERAS_METADATA, KERAS_WEIGHTS, kerasFileKind } from './keras_format';
import { ZipArchive, type ZipLimits } from './zip_reader';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Compressed HDF5 data may expand this many times over the file's size; Keras writes none. */
const MAX_HDF5_RATIO = 100;
/** An archive entry above 1 MiB may expand this many times; weights barely compress, JSON about tenfold. */
const MAX_ZIP_RATIO = 200;

export function hdf5Limits(limits: ReadLimits): Hdf5Limits {
  return { maxDatasetBytes: limits.maxWeightBytes, maxCompressionRatio: MAX_HDF5_RATIO };
}

function zipLimits(limits: ReadLimits): ZipLimits {
  return { maxEntries: 10_000, maxEntryBytes: Math.max(limits.maxWeightBytes, limits.maxJsonBytes), maxTotalBytes: limits.maxWeightBytes + 2 * limits.maxJsonBytes, maxRatio: MAX_ZIP_RATIO };
}

/** The largest Keras file read at all: the weights and the JSON documents. */
export function kerasFileBound(limits: ReadLimits): number {
  return limits.maxWeightBytes + 2 * limits.maxJsonBytes;
}

/**
 * The whole of a Keras file the user named, through the one safe opening (safe_files.ts): a regular file
 * (a link is followed, to a regular file only; a FIFO is refused without blocking), its size checked on the
 * opened descriptor against the bound, read in bounded pieces. A refusal is a ConfigError naming the file.
 */
function readKerasFile(file: string, limits: ReadLimits, what: string): Buffer {
  try {
    return readRegularFile(file, { maxBytes: kerasFileBound(limits), links: 'follow', what });
  } catch (e) {
    fileProblem(e, file);
  }
}

/** A JSON document from `text`, or undefined after reporting why not under `where`. */
function parseJson(text: string, where: string, limits: ReadLimits, issues: IssueCollector): unknown {
  try {
    return parseJsonSafely(text, where, { maxLength: limits.maxJsonBytes, maxDepth: limits.maxJsonDepth });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const i of e.issues) issues.add(i.path === '' ? where : `${where}: ${i.path}`, i.message);
    return undefined;
  }
}

/** An HDF5 reader, or null after reporting why the bytes cannot be opened. */
async function openHdf5(bytes: Uint8Array, source: string, where: string, limits: ReadLimits, issues: IssueCollector): Promise<Hdf5Reader | null> {
  try {
    return await Hdf5Reader.open(bytes, source, hdf5Limits(limits));
  } catch (e) {
    issues.add(where, (e as Error).message.replace(`${source}: `, ''));
    return null;
  }
}

async function openKerasArchive(file: string, limits: ReadLimits, issues: IssueCollector): Promise<ModelSource> {
  const zip = ZipArchive.read(readKerasFile(file, limits, 'the Keras .keras archive'), file, zipLimits(limits));
  let config: unknown;
  if (zip.has(KERAS_CONFIG)) config = parseJson(zip.get(KERAS_CONFIG).toString('utf8'), KERAS_CONFIG, limits, issues);
  else issues.add(KERAS_CONFIG, `missing: not a Keras model archive (expected ${KERAS_CONFIG}, ${KERAS_METADATA} and ${KERAS_WEIGHTS})`);
  if (config !== undefined && !isObj(config)) issues.add(KERAS_CONFIG, 'expected the serialized model {"class_name", "config", ...}');
  const metadata = zip.has(KERAS_METADATA) ? parseJson(zip.get(KERAS_METADATA).toString('utf8'), KERAS_METADATA, limits, issues) : undefined;
  let reader: Hdf5Reader | null = null;
  if (zip.has(KERAS_WEIGHTS)) {
    reader = await openHdf5(zip.get(KERAS_WEIGHTS), `${file}: ${KERAS_WEIGHTS}`, KERAS_WEIGHTS, limits, issues);
  } else if (zip.has('model.weights.npz')) {
    issues.add('model.weights.npz', "weights saved as .npz are not supported; save with Keras's default weights format (h5)");
  } else {
    issues.add(KERAS_WEIGHTS, 'missing: the archive holds no weights');
  }
  const model = isObj(config) ? config : null;
  const kerasVersion = isObj(metadata) && typeof metadata.keras_version === 'string' ? metadata.keras_version : undefined;
  return {
    file,
    topology: model ? { keras_version: kerasVersion, model_config: model } : null,
    trainingConfig: model && isObj(model.compile_config) ? model.compile_config : null,
    weightsUsable: reader !== null,
    restoreAssets: (m, into) => restoreKerasAssets(m, zip, into),
    matchWeights: (m, into) => matchKeras3Weights(m, reader!, into, KERAS_WEIGHTS),
    close: () => reader?.close(),
  };
}

/** Whether an HDF5 file holds only weights: Keras 2's save_weights (layer_names at the root) or Keras 3's. */
export function isWeightsOnly(reader: Hdf5Reader): boolean {
  return reader.attribute('/', 'model_config') === undefined;
}

/** A root attribute holding text (h5py stores bytes and str alike as strings here). */
function textAttribute(reader: Hdf5Reader, name: string): string | undefined {
  const v = reader.attribute('/', name);
  if (v === undefined) return undefined;
  return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v);
}

async function openLegacyH5(file: string, limits: ReadLimits, issues: IssueCollector): Promise<ModelSource> {
  const bytes = readKerasFile(file, limits, 'the Keras .h5 file');
  let reader: Hdf5Reader;
  try {
    reader = await Hdf5Reader.open(bytes, file, hdf5Limits(limits));
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: (e as Error).message.replace(`${file}: `, '') }]);
  }
  try {
    if (isWeightsOnly(reader)) {
      issues.add('', 'holds only weights, no model config (a save_weights file); build the model (from its JSON, or in code) and call loadWeights(model, file)');
      reader.close();
      return { file, topology: null, trainingConfig: null, weightsUsable: false, matchWeights: () => [] };
    }
    const kerasVersion = textAttribute(reader, 'keras_version');
    const backend = textAttribute(reader, 'backend');
    if (kerasVersion !== undefined && /^1\./.test(kerasVersion)) issues.add('keras_version', `Keras ${kerasVersion} files are not supported (their weights need conversions); load the model in Keras 2 and save it again`);
    const config = parseJson(textAttribute(reader, 'model_config') ?? '', 'model_config', limits, issues);
    const trainingText = textAttribute(reader, 'training_config');
    const training = trainingText === undefined ? undefined : parseJson(trainingText, 'training_config', limits, issues);
    const usable = reader.kind('/model_weights') === 'group';
    if (!usable) issues.add('model_weights', 'missing: the file holds no weights');
    const open = reader;
    return {
      file,
      topology: config === undefined ? null : { keras_version: kerasVersion, backend, model_config: config },
      trainingConfig: isObj(training) ? training : null,
      weightsUsable: usable,
      matchWeights: (m, into) => matchKeras2Weights(m, open, '/model_weights', into, 'model_weights'),
      close: () => open.close(),
    };
  } catch (e) {
    reader.close();
    throw asConfigError(file, e);
  }
}

/** An HDF5 error met while reading a file's structure, as a problem of that file. */
function asConfigError(file: string, e: unknown): ConfigError {
  if (e instanceof ConfigError) return e;
  return new ConfigError(file, [{ path: '', message: `cannot be read (a damaged file?): ${(e as Error).message.replace(`${file}: `, '')}` }]);
}

/** Opens a .keras or .h5 file; problems of its contents go to `issues`, an unreadable file throws. */
export async function openKerasFileSource(file: string, limits: ReadLimits, issues: IssueCollector): Promise<ModelSource> {
  return kerasFileKind(file) === '.keras' ? openKerasArchive(file, limits, issues) : openLegacyH5(file, limits, issues);
}

/** The weights of any Keras file, for loadWeights: matched against a model built elsewhere. */
export interface KerasWeightsSource {
  matchWeights: ModelSource['matchWeights'];
  close(): void;
}

/**
 * Opens the weights of a `.keras` archive, a Keras 2 `.h5` model or weights file, or a Keras 3 `.weights.h5`
 * (told apart by their contents: Keras 2 lists `layer_names`, Keras 3 has `vars` groups).
 */
export async function openKerasWeights(file: string, limits: ReadLimits): Promise<KerasWeightsSource> {
  if (kerasFileKind(file) === '.keras') {
    const issues = new IssueCollector();
    const source = await openKerasArchive(file, limits, issues);
    if (!source.weightsUsable) {
      source.close?.();
      issues.throwIfAny(file);
    }
    return { matchWeights: source.matchWeights, close: () => source.close?.() };
  }
  let reader: Hdf5Reader;
  try {
    reader = await Hdf5Reader.open(readKerasFile(file, limits, 'the Keras weights file'), file, hdf5Limits(limits));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(file, [{ path: '', message: (e as Error).message.replace(`${file}: `, '') }]);
  }
  const open = reader;
  let keras2Group: string | null;
  try {
    keras2Group = open.kind('/model_weights') === 'group' ? '/model_weights' : open.attribute('/', 'layer_names') !== undefined || open.attribute('/', 'layer_names0') !== undefined ? '/' : null;
  } catch (e) {
    open.close();
    throw asConfigError(file, e);
  }
  return {
    matchWeights: (model, into) => (keras2Group === null
      ? matchKeras3Weights(model, open, into, 'weights')
      : matchKeras2Weights(model, open, keras2Group, into, keras2Group === '/' ? 'weights' : 'model_weights')),
    close: () => open.close(),
  };
}
