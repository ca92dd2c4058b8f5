import { writeOutputFile } from '../output_paths';
import { readPreprocessingState } from '../data/preprocessing_state';
import { UsageError } from '../errors';
import { inputRecords, inputTable, outputFormat, rowsToCsv, rowsToJsonl } from '../inference/predict_io';
import { predictClassification, predictSeq2Seq, predictTagging, predictText, predictTimeSeries } from '../inference/predict_records';
import { loadModelWithState, predictor } from '../library';
import { Output } from '../output';
import { modelDir } from './model_source';

export interface PredictOptions {
  input: string;
  output?: string;
  inputFormat?: string;
  outputFormat?: string;
  batchSize?: number;
  top?: number;
}

/** `recurrent predict`: raw records in (JSON Lines or CSV), predictions out, one row per input row or window. */
export function runPredict(dir: string, options: PredictOptions, output: Output): void {
  const folder = modelDir(dir);
  const state = readPreprocessingState(folder);
  const model = loadModelWithState(folder, state, false);
  const predict = predictor(model);
  const batchSize = options.batchSize ?? 64;
  let rows: Record<string, unknown>[];
  try {
    switch (state.kind) {
      case 'text':
        rows = predictText(inputRecords(options.input, options.inputFormat), state, predict, batchSize, options.top ?? 5);
        break;
      case 'classification':
        rows = predictClassification(inputRecords(options.input, options.inputFormat), state, predict, batchSize);
        break;
      case 'tagging':
        rows = predictTagging(inputRecords(options.input, options.inputFormat), state, predict, batchSize);
        break;
      case 'seq2seq':
        rows = predictSeq2Seq(inputRecords(options.input, options.inputFormat), state, predict, batchSize);
        break;
      case 'timeseries':
        rows = predictTimeSeries(inputTable(options.input, options.inputFormat), state, predict, batchSize);
        break;
      default:
        throw new UsageError(`unknown data kind in preprocessing.json: ${String((state as { kind: unknown }).kind)}`);
    }
  } finally {
    model.dispose();
  }
  const target = options.output ?? '-';
  const text = outputFormat(target, options.outputFormat) === 'csv' ? rowsToCsv(rows) : rowsToJsonl(rows);
  if (target === '-') output.out(text);
  else writeOutputFile(target, text, '--output');
}
