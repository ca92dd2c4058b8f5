import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_DATASETS, Logs, formatLogs } from '@recurrent/core';
import { indexedExamples } from '../data/example_set';
import { encodeWithState } from '../data/prepare';
import { readPreprocessingState } from '../data/preprocessing_state';
import { DataSource } from '../data/sources';
import { UsageError } from '../errors';
import { loadModelWithState } from '../library';
import { Output } from '../output';
import { modelDir } from './model_source';

/** A --data argument: a file, or a bundled dataset as `dataset:<name>` (or its bare name). */
export function dataSource(data: string): DataSource {
  const name = data.startsWith('dataset:') ? data.slice('dataset:'.length) : null;
  if (name !== null) return { dataset: name };
  const file = path.resolve(data);
  if (fs.existsSync(file)) return { path: file };
  if (BUNDLED_DATASETS.some((d) => d.name === data)) return { dataset: data };
  throw new UsageError(`data file not found: ${file}`, 'give a data file in the format the model was trained on, or dataset:<name> for a bundled dataset');
}

/** `recurrent evaluate`: loss and metrics of a trained model on other data of the same format. */
export async function runEvaluate(dir: string, options: { data: string; batchSize?: number; json?: boolean }, output: Output): Promise<void> {
  const folder = modelDir(dir);
  const state = readPreprocessingState(folder);
  const source = dataSource(options.data);
  const model = loadModelWithState(folder, state, true);
  try {
    const examples = encodeWithState(state, source);
    if (examples.size === 0) {
      throw new UsageError(`${options.data} gives no examples to evaluate on`, 'give a data file with examples in the format the model was trained on');
    }
    const logs = (await model.evaluate(indexedExamples(examples), undefined, { batchSize: options.batchSize ?? 64, verbose: 0, returnDict: true })) as Logs;
    if (options.json) output.out(JSON.stringify({ examples: examples.size, ...logs }) + '\n');
    else output.out(`${examples.size} examples${formatLogs(logs)}\n`);
  } finally {
    model.dispose();
  }
}
