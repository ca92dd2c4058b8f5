/**
 * Assets of a Keras 3 `.keras` archive: an adapted TextVectorization or StringLookup keeps its vocabulary
 * there, not in config.json (Keras writes a vocabulary given as an argument into the config, an adapted one
 * as `assets/<the layer's path>/vocabulary.txt`, one entry per line, special tokens first; see
 * keras/src/layers/preprocessing/index_lookup.py save_assets). The layer's path is the one its weights use
 * (weight_paths.ts). A lookup layer whose vocabulary is in neither place is built without one and says so
 * when called.
 */
import type { IssueCollector } from '../../config/config_error';
import type { Layer } from '../../engine/layer';
import { StringLookup } from '../../layers/preprocessing/string_lookup';
import { TextVectorization } from '../../layers/preprocessing/text_vectorization';
import { keras3Layout } from './weight_paths';
import type { ZipArchive } from './zip_reader';

/** Python's str.splitlines() boundaries, which Keras's load_assets uses to read the file back. */
const PYTHON_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** The entries of a vocabulary.txt as Keras reads them: lines, trailing empty lines dropped. */
export function vocabularyLines(text: string): string[] {
  const lines = text.split(PYTHON_LINE_BREAK);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isLookupLayer(layer: Layer): layer is StringLookup | TextVectorization {
  return layer instanceof StringLookup || layer instanceof TextVectorization;
}

/** Gives each lookup layer without a vocabulary the one its archive holds in assets; problems go to `issues`. */
export function restoreKerasAssets(model: Layer, zip: ZipArchive, issues: IssueCollector): void {
  for (const { path, layer } of keras3Layout(model).objects) {
    if (!isLookupLayer(layer) || layer.hasVocabulary()) continue;
    const entry = `assets/${path}/vocabulary.txt`;
    if (!zip.has(entry)) continue;
    if (layer.outputMode === 'tf_idf') {
      issues.add(entry, `a tf_idf vocabulary kept in assets is not supported (its idf weights are stored apart from it); in Keras, pass the vocabulary and idf_weights to '${layer.name}' as arguments and save again`);
      continue;
    }
    try {
      layer.setVocabulary(vocabularyLines(zip.get(entry).toString('utf8')));
    } catch (e) {
      issues.add(entry, (e as Error).message);
    }
  }
}
