import * as tf from '@tensorflow/tfjs';
import {
  setOwn,
  CsvTable,
  DataRecord,
  LabelIndex,
  NormalizationStats,
  applyNormalization,
  denormalizeValue,
  encodeInputs,
  numericColumns,
  padSequencesArray,
  recordInput,
  recordText,
  selectStats,
  timeSeriesWindows,
  type Tokenizer,
} from '@recurrent/core';
import { ClassificationData, Seq2SeqData, TaggingData, TextData, TimeSeriesData, isRawText } from '../experiment/data_schema';
import { Feature, featureTensor } from '../data/example_set';
import { PreprocessingState, stateTokenizer } from '../data/preprocessing_state';
import { rawTextFeature } from '../data/sequence_data';
import { seriesColumns } from '../data/time_series_data';
import { UsageError } from '../errors';
import { Predictor } from './predictor';

type Row = Record<string, unknown>;

/** Runs `predict` over rows in batches and collects one output array per row (first output). */
function predictInBatches(features: Feature[], rows: number, predict: Predictor, batchSize: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let start = 0; start < rows; start += batchSize) {
    const indices = Int32Array.from({ length: Math.min(batchSize, rows - start) }, (_, i) => start + i);
    const values = tf.tidy(() => {
      const [y] = predict(features.map((f) => featureTensor(f, indices)));
      return y.dataSync() as Float32Array;
    });
    const width = values.length / indices.length;
    for (let i = 0; i < indices.length; i++) out.push(values.slice(i * width, (i + 1) * width));
  }
  return out;
}

function argmax(values: ArrayLike<number>, from = 0, to = values.length, exclude: ReadonlySet<number> = new Set()): number {
  let best = -1;
  for (let i = from; i < to; i++) if (!exclude.has(i - from) && (best < 0 || values[i] > values[best])) best = i;
  return best - from;
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}

/** The field predictions read text from, for text models: 'text', or the only string field. */
function textOf(record: DataRecord): string {
  if (typeof record.value.text === 'string') return record.value.text;
  const strings = Object.entries(record.value).filter(([, v]) => typeof v === 'string');
  if (strings.length === 1) return strings[0][1] as string;
  return recordText(record, 'text');
}

/** Text models: the most likely next tokens after each input text. */
export function predictText(records: DataRecord[], state: PreprocessingState, predict: Predictor, batchSize: number, top = 5): Row[] {
  const data = state.data as TextData;
  const tokenizer = stateTokenizer(state);
  const sequences = records.map((r) => tokenizer.textToSequence(textOf(r)));
  const x = padSequencesArray(sequences, { maxLen: data.seqLength, padding: 'pre', truncating: 'pre' });
  const feature: Feature = { array: x, oneHot: data.encoding === 'oneHot' ? { depth: state.dims.vocabSize, zeroForPadding: true } : undefined };
  const outputs = predictInBatches([feature], records.length, predict, batchSize);
  const vocabularySize = state.dims.vocabSize;
  return outputs.map((values, i) => {
    // 'shifted' models give a distribution per step; the last one follows the text.
    const last = values.slice(values.length - vocabularySize);
    const ranked = Array.from(last, (p, id) => ({ id, p }))
      .filter((e) => e.id !== 0)
      .sort((a, b) => b.p - a.p)
      .slice(0, top);
    return {
      line: records[i].line,
      next: ranked.map((e) => ({ token: tokenizer.sequenceToTokens([e.id])[0] ?? '', probability: round(e.p) })),
    };
  });
}

/** Records as padded token ids (or one-hot vectors) for a model without its own tokenizer. */
function tokenizedFeature(records: DataRecord[], data: ClassificationData, tokenizer: Tokenizer): Feature {
  const x = encodeInputs(records.map((r) => recordInput(r, data)), tokenizer, data);
  return { array: x, oneHot: data.encoding === 'oneHot' ? { depth: tokenizer.vocabularySize, zeroForPadding: true } : undefined };
}

/** Classification: the label and the probability of every label; raw text goes to the model as it is. */
export function predictClassification(records: DataRecord[], state: PreprocessingState, predict: Predictor, batchSize: number): Row[] {
  const data = state.data as ClassificationData;
  const feature = isRawText(data) ? rawTextFeature(records, data) : tokenizedFeature(records, data, stateTokenizer(state));
  const labels = state.labels ?? [];
  return predictInBatches([feature], records.length, predict, batchSize).map((values, i) => {
    const probabilities = values.length === 1 && labels.length === 2 ? [1 - values[0], values[0]] : Array.from(values);
    const best = argmax(probabilities);
    return {
      line: records[i].line,
      label: labels[best] ?? best,
      probabilities: Object.fromEntries(labels.map((l, k) => [String(l), round(probabilities[k] ?? 0)])),
    };
  });
}

/** Tagging: each kept token with its most likely tag (never the padding tag). */
export function predictTagging(records: DataRecord[], state: PreprocessingState, predict: Predictor, batchSize: number): Row[] {
  const data = state.data as TaggingData;
  const tokenizer = stateTokenizer(state);
  const tags = new LabelIndex(state.labels ?? [], 1);
  const tokens = records.map((r) => tokenizer.tokenize(recordInput(r, data)));
  const x = padSequencesArray(
    tokens.map((ts) => ts.map((t) => tokenizer.tokenToIndex(t) ?? 0)),
    { maxLen: data.maxLen, padding: data.padding, truncating: data.truncating },
  );
  const feature: Feature = { array: x, oneHot: data.encoding === 'oneHot' ? { depth: tokenizer.vocabularySize, zeroForPadding: true } : undefined };
  const numTags = tags.size;
  return predictInBatches([feature], records.length, predict, batchSize).map((values, i) => {
    const all = tokens[i];
    const kept = Math.min(all.length, data.maxLen);
    const keptTokens = data.truncating === 'pre' ? all.slice(all.length - kept) : all.slice(0, kept);
    const firstPosition = data.padding === 'pre' ? data.maxLen - kept : 0;
    const predicted = keptTokens.map((_, t) => {
      const position = firstPosition + t;
      const best = argmax(values, position * numTags, (position + 1) * numTags, new Set([0]));
      return tags.labelOf(best);
    });
    return { line: records[i].line, tokens: keptTokens, tags: predicted, ...(kept < all.length ? { truncated: all.length - kept } : {}) };
  });
}

/**
 * Sequence to sequence: greedy decoding with the trained (teacher-forcing) model itself. The decoder
 * input starts as [start]; at step t the model's prediction at position t is appended, until the end
 * marker or maxTargetLen. Recurrent decoders are causal, so positions after t do not change step t.
 */
export function predictSeq2Seq(records: DataRecord[], state: PreprocessingState, predict: Predictor, batchSize: number): Row[] {
  const data = state.data as Seq2SeqData;
  const sourceTokenizer = stateTokenizer(state);
  const targetTokenizer = stateTokenizer(state, 'targetTokenizer');
  const start = targetTokenizer.wordIndex.get(data.startToken) as number;
  const end = targetTokenizer.wordIndex.get(data.endToken) as number;
  const sources = records.map((r) => recordText(r, data.sourceField));
  const encoderInput = padSequencesArray(sourceTokenizer.textsToSequences(sources), {
    maxLen: data.maxSourceLen,
    padding: 'pre',
    truncating: 'post',
  });
  const steps = data.maxTargetLen;
  const depth = state.dims.targetVocabSize;
  const oneHot = data.encoding === 'oneHot';
  const rows: Row[] = [];
  for (let from = 0; from < records.length; from += batchSize) {
    const n = Math.min(batchSize, records.length - from);
    const encoder: Feature = {
      array: { dtype: 'int32', shape: [n, data.maxSourceLen], data: encoderInput.data.slice(from * data.maxSourceLen, (from + n) * data.maxSourceLen) },
      oneHot: oneHot ? { depth: state.dims.sourceVocabSize, zeroForPadding: true } : undefined,
    };
    const decoderIds = new Int32Array(n * steps);
    for (let i = 0; i < n; i++) decoderIds[i * steps] = start;
    const outputs: number[][] = Array.from({ length: n }, () => []);
    const finished = new Array(n).fill(false);
    for (let t = 0; t < steps && finished.includes(false); t++) {
      const decoder: Feature = { array: { dtype: 'int32', shape: [n, steps], data: decoderIds }, oneHot: oneHot ? { depth, zeroForPadding: true } : undefined };
      const values = tf.tidy(() => predict([featureTensor(encoder), featureTensor(decoder)])[0].dataSync() as Float32Array);
      for (let i = 0; i < n; i++) {
        if (finished[i]) continue;
        const offset = (i * steps + t) * depth;
        const next = argmax(values, offset, offset + depth, new Set([0, start]));
        if (next === end) {
          finished[i] = true;
          continue;
        }
        outputs[i].push(next);
        if (t + 1 < steps) decoderIds[i * steps + t + 1] = next;
      }
    }
    for (let i = 0; i < n; i++) {
      const tokens = targetTokenizer.sequenceToTokens(outputs[i]);
      rows.push({ line: records[from + i].line, source: sources[from + i], prediction: tokens.join(data.targetLevel === 'char' ? '' : ' ') });
    }
  }
  return rows;
}

/**
 * Time series: one forecast per complete window of the input rows (the last one forecasts past the
 * end of the input), in raw units: `<target>` for a horizon of 1, else `<target>+1`, `<target>+2`...
 */
export function predictTimeSeries(table: CsvTable, state: PreprocessingState, predict: Predictor, batchSize: number): Row[] {
  const data = state.data as TimeSeriesData;
  const columns = seriesColumns(data);
  const featureColumns = data.features;
  // The input needs the feature columns only; target-only columns are filled so normalisation lines up.
  const present = columns.filter((c) => table.columns.includes(c) || !featureColumns.includes(c));
  const rows = numericColumns(
    { ...table, columns: [...table.columns, ...present.filter((c) => !table.columns.includes(c))], rows: table.rows.map((r) => ({ ...r, cells: [...r.cells, ...present.filter((c) => !table.columns.includes(c)).map(() => '0')] })) },
    columns,
  ).rows;
  if (rows.length < data.window) {
    throw new UsageError(`${table.file} has ${rows.length} rows; forecasting needs at least a window of ${data.window}`, 'give more rows of history');
  }
  const stats = state.normalization as NormalizationStats;
  const normalized = applyNormalization(stats, rows);
  // Windows ending at every row from window-1 on: pad a fake horizon so the last window is included.
  const padded = [...normalized, ...Array.from({ length: data.horizon }, () => new Array(columns.length).fill(0))];
  const { x } = timeSeriesWindows(padded, {
    window: data.window,
    horizon: data.horizon,
    step: 1,
    featureIndices: featureColumns.map((c) => columns.indexOf(c)),
  });
  const targets = data.targets ?? data.features;
  const targetStats = selectStats(stats, targets);
  return predictInBatches([{ array: x }], x.shape[0], predict, batchSize).map((values, w) => {
    // The forecast is for the rows after the window's last input row.
    const row: Row = { after_line: table.rows[w + data.window - 1].line };
    for (let h = 0; h < data.horizon; h++) {
      targets.forEach((name, j) => {
        const key = data.horizon === 1 ? name : `${name}+${h + 1}`;
        setOwn<unknown>(row, key, round(denormalizeValue(targetStats, j, values[h * targets.length + j])));
      });
    }
    return row;
  });
}
