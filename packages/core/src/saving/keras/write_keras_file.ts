/**
 * Writing Keras 3 files, in the layout of keras/src/saving/saving_lib.py, so that Keras (any backend) loads
 * them with `keras.saving.load_model` / `model.load_weights`:
 * - `.keras`: a zip archive (stored entries) of metadata.json, config.json (the model in the Keras 3
 *   dialect, with `compile_config` when the model is compiled) and model.weights.h5;
 * - `.weights.h5`: the weights alone.
 * The weights file has, for every layer (and the model itself), a `vars` group with the layer's name as
 * its `name` attribute, holding the layer's own variables as datasets 0..n (weight_paths.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { modelToKerasConfig } from '../../config/model_to_json';
import type { Layer } from '../../engine/layer';
import type { Model } from '../../models/model';
import { warn } from '../../training/logs';
import { replaceFile } from '../atomic_write';
import { captureTrainingState } from '../training_state';
import { writeHdf5, type Hdf5DatasetToWrite } from './hdf5_writer';
import { keras3CompileConfig } from './keras3_compile_config';
import { KERAS_CONFIG, KERAS_METADATA, KERAS_WEIGHTS } from './keras_format';
import { keras3Layout } from './weight_paths';
import { writeZip } from './zip_writer';

/**
 * The `keras_version` written in metadata.json. Readers (this library among them) take it as the dialect of
 * config.json, whose spelling and numbers are Keras 3's from its first release on.
 */
export const KERAS3_FORMAT_VERSION = '3.0.0';

/** Keras's `date_saved` format, `%Y-%m-%d@%H:%M:%S`. */
function dateSaved(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** model.weights.h5 of a model (also a .weights.h5 file). */
export async function kerasWeightsFile(model: Layer): Promise<Uint8Array> {
  const layout = keras3Layout(model);
  if (layout.unknown.length > 0) {
    const names = layout.unknown.map((l) => `'${l.name}' (${l.className})`).join(', ');
    throw new Error(`cannot write Keras weights: ${names} ${layout.unknown.length === 1 ? 'holds' : 'hold'} other layers whose place in a Keras weights file is not known`);
  }
  const groups = layout.objects.map((o) => ({ path: o.path === '' ? '/vars' : `/${o.path}/vars`, attributes: { name: o.layer.name } }));
  const datasets: Hdf5DatasetToWrite[] = layout.weights.map(({ path: p, variable }) => ({
    path: `/${p}`,
    shape: [...variable.shape],
    values: (variable.read().dataSync() as Float32Array | Int32Array).slice(),
  }));
  return writeHdf5(groups, datasets);
}

/** config.json of a .keras archive: the model in the Keras 3 dialect, with how it was compiled. */
function kerasConfig(model: Model): Record<string, unknown> {
  const config: Record<string, unknown> = modelToKerasConfig(model, { dialect: 'keras3' });
  const state = captureTrainingState(model, false);
  if (state) {
    const compiled = keras3CompileConfig(state.trainingConfig);
    if (compiled.config) config.compile_config = compiled.config;
    else warn(`saving '${model.name}' as .keras without its compile settings: Keras has no ${compiled.lacking.join(', ')}; compile the model again after loading it in Keras.`);
  }
  return config;
}

/**
 * Writes `data` as `file` (its folder created if needed) in one atomic step (atomic_write.ts: a temporary
 * beside it, flushed, renamed over it): a failure or a kill leaves the earlier file whole, or the new one.
 * `caller` names the function in errors.
 */
function replaceKerasFile(file: string, data: Uint8Array, caller: string): void {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new Error(`${caller}: cannot write ${resolved}: its folder ${dir} cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: a file is in the way?).`);
  }
  const current = fs.lstatSync(resolved, { throwIfNoEntry: false });
  if (current !== undefined && !current.isFile()) {
    throw new Error(`${caller}: cannot write ${resolved}: it is ${current.isDirectory() ? 'a folder' : 'not a regular file (a link or a device)'}; choose another path, or remove it first.`);
  }
  replaceFile(dir, path.basename(resolved), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/** Writes a Keras 3 `.keras` archive, atomically (a failure leaves any earlier file as it was). */
export async function writeKerasArchive(model: Model, file: string, now = new Date()): Promise<void> {
  const config = kerasConfig(model);
  const weights = await kerasWeightsFile(model);
  const metadata = { keras_version: KERAS3_FORMAT_VERSION, date_saved: dateSaved(now) };
  const archive = writeZip([
    { name: KERAS_METADATA, data: Buffer.from(JSON.stringify(metadata)) },
    { name: KERAS_CONFIG, data: Buffer.from(JSON.stringify(config)) },
    { name: KERAS_WEIGHTS, data: weights },
  ], { modified: now });
  replaceKerasFile(file, archive, 'saveModel');
}

/** Writes a Keras 3 `.weights.h5` file (the weights alone), atomically. */
export async function writeKerasWeights(model: Layer, file: string): Promise<void> {
  const data = await kerasWeightsFile(model);
  replaceKerasFile(file, data, 'saveWeights');
}
