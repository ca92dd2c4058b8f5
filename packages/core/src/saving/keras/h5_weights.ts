/**
 * Matching the weights stored in a Keras HDF5 file with a model's, in either layout:
 * - Keras 3 (model.weights.h5 in a .keras archive, `.weights.h5`): by object path, `layers/lstm/cell/vars/0`
 *   (weight_paths.ts); files of Keras 2.13-2.15's first `.keras` format name the list
 *   `_layer_checkpoint_dependencies` instead of `layers`, which Keras 3 also reads.
 * - Keras 2 (`.h5` from model.save / save_weights; keras/src/legacy/saving/legacy_h5_format.py): a group per
 *   layer, listed in the attribute `layer_names`, each listing its weights' dataset paths in `weight_names`
 *   (`lstm/lstm_cell/kernel:0`). Keras matches them by position: the file's layers that have weights with the
 *   model's layers that have weights, then each layer's weights in order. So does this.
 * Every mismatch (a missing dataset, a count or a shape that differs) is reported; values are read only
 * when written into the model, after every check passed.
 */
import type { IssueCollector } from '../../config/config_error';
import type { LayerVariable } from '../../engine/variable';
import type { Layer } from '../../engine/layer';
import { weightMismatch, type WeightAssignment } from '../model_source';
import type { Hdf5Reader } from './hdf5_reader';
import { keras3Layout } from './weight_paths';

/** Runs one check; a file HDF5 cannot read there (a damaged one) becomes a problem at `where`. */
function reported(issues: IssueCollector, where: string, reader: Hdf5Reader, check: () => void): void {
  try {
    check();
  } catch (e) {
    issues.add(where, `cannot be read (a damaged file?): ${(e as Error).message.replace(`${reader.source}: `, '')}`);
  }
}

/** A dataset checked against the weight it is for: shape and a numeric type the weight can take. */
function checkDataset(reader: Hdf5Reader, path: string, variable: LayerVariable, where: string, issues: IssueCollector): WeightAssignment | null {
  const as = variable.dtype === 'int32' ? 'int32' : 'float32';
  let info;
  try {
    info = reader.datasetInfo(path);
  } catch (e) {
    issues.add(where, (e as Error).message.replace(`${reader.source}: ${path}: `, ''));
    return null;
  }
  const numeric = as === 'float32' ? /^float(32|64)$/.test(info.dtype) : /^u?int(8|16|32|64)$/.test(info.dtype);
  const problem = numeric
    ? weightMismatch({ name: path, shape: info.shape, dtype: as, storedDtype: info.dtype }, variable)
    : `dtype ${info.dtype} cannot hold the model's '${variable.name}' (${as})`;
  if (problem) {
    issues.add(where, problem);
    return null;
  }
  return { variable, read: () => ({ dtype: as, values: reader.readNumbers(path, as) }) };
}

/** Keras 3 layout, under `root` ('' for a weights file, the archive's model.weights.h5). */
export function matchKeras3Weights(model: Layer, reader: Hdf5Reader, issues: IssueCollector, where: string): WeightAssignment[] {
  const layout = keras3Layout(model);
  for (const layer of layout.unknown) {
    issues.add(where, `layer '${layer.name}' (${layer.className}) holds other layers whose place in a Keras weights file is not known`);
  }
  let legacyList = false;
  reported(issues, where, reader, () => {
    legacyList = reader.kind('/layers') === null && reader.kind('/_layer_checkpoint_dependencies') === 'group';
  });
  const filePath = (p: string) => `/${legacyList ? p.replace(/^layers\//, '_layer_checkpoint_dependencies/') : p}`;
  const assignments: WeightAssignment[] = [];
  for (const { path, variable } of layout.weights) {
    const at = filePath(path);
    reported(issues, `${where}: ${at.slice(1)}`, reader, () => {
      const kind = reader.kind(at);
      if (kind !== 'dataset') {
        issues.add(`${where}: ${at.slice(1)}`, kind === null ? `missing: no value for the model's weight '${variable.name}'` : `expected a dataset for '${variable.name}', found a ${kind}`);
        return;
      }
      const a = checkDataset(reader, at, variable, `${where}: ${at.slice(1)}`, issues);
      if (a) assignments.push(a);
    });
  }
  // Keras refuses a layer whose file holds another number of variables; so does this.
  for (const { path, layer } of layout.objects) {
    const vars = filePath(path === '' ? 'vars' : `${path}/vars`);
    reported(issues, `${where}: ${vars.slice(1)}`, reader, () => {
      if (reader.kind(vars) !== 'group') return;
      const stored = reader.keys(vars).length;
      const expected = layout.weights.filter((w) => w.path.startsWith(`${path === '' ? '' : `${path}/`}vars/`)).length;
      if (stored !== expected) issues.add(`${where}: ${vars.slice(1)}`, `holds ${stored} values, but layer '${layer.name}' (${layer.className}) has ${expected} weights`);
    });
  }
  return assignments;
}

/** A list attribute of Keras 2 files, possibly split into `name0`, `name1`... when it outgrew an HDF5 header. */
export function listAttribute(reader: Hdf5Reader, path: string, name: string): string[] | undefined {
  const whole = reader.attribute(path, name);
  if (whole !== undefined) return toStrings(whole);
  const parts: string[] = [];
  for (let i = 0; ; i++) {
    const chunk = reader.attribute(path, `${name}${i}`);
    if (chunk === undefined) return i === 0 ? undefined : parts;
    parts.push(...toStrings(chunk));
  }
}

function toStrings(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (x instanceof Uint8Array ? Buffer.from(x).toString('utf8') : String(x)));
}

/** Keras 2 layout under `group` ('/model_weights' in a model file, '/' in a weights file). */
export function matchKeras2Weights(model: Layer & { layers: Layer[] }, reader: Hdf5Reader, group: string, issues: IssueCollector, where: string): WeightAssignment[] {
  let layerNames: string[] | undefined;
  reported(issues, where, reader, () => {
    layerNames = listAttribute(reader, group, 'layer_names');
  });
  if (layerNames === undefined) {
    issues.add(where, `${group} has no layer_names attribute: not a Keras weights group`);
    return [];
  }
  const base = group === '/' ? '' : group;
  const fileLayers: { name: string; weights: string[] }[] = [];
  for (const name of layerNames) {
    const g = `${base}/${name}`;
    reported(issues, `${where}: ${name}`, reader, () => {
      if (reader.kind(g) !== 'group') {
        issues.add(`${where}: ${name}`, 'listed in layer_names, but the file has no such group');
        return;
      }
      const weights = listAttribute(reader, g, 'weight_names') ?? [];
      if (weights.length > 0) fileLayers.push({ name, weights });
    });
  }
  const modelLayers = model.layers.filter((l) => l.weights.length > 0);
  if (fileLayers.length !== modelLayers.length) {
    issues.add(where, `the file has weights for ${fileLayers.length} layers (${fileLayers.map((l) => l.name).join(', ')}), the model has ${modelLayers.length} layers with weights (${modelLayers.map((l) => l.name).join(', ')})`);
    return [];
  }
  const assignments: WeightAssignment[] = [];
  fileLayers.forEach((stored, k) => {
    const layer = modelLayers[k];
    const variables = layer.weights;
    if (stored.weights.length !== variables.length) {
      issues.add(`${where}: ${stored.name}`, `holds ${stored.weights.length} weights (${stored.weights.join(', ')}), but layer '${layer.name}' has ${variables.length} (${variables.map((v) => v.name).join(', ')})`);
      return;
    }
    stored.weights.forEach((weightName, i) => {
      const path = `${base}/${stored.name}/${weightName}`;
      const at = `${where}: ${stored.name}/${weightName}`;
      reported(issues, at, reader, () => {
        if (reader.kind(path) !== 'dataset') {
          issues.add(at, 'listed in weight_names, but the file has no such dataset');
          return;
        }
        const a = checkDataset(reader, path, variables[i], at, issues);
        if (a) assignments.push(a);
      });
    });
  });
  return assignments;
}
