/** Data utilities: sequence padding, tokenisation, one-hot labels, loaders and windowing. */
export { DataError, type DataErrorDetails } from './data_error';
export { editDistance, nearestName, didYouMean } from './nearest_name';
export { type NumericArray, numericArray, rowSize, takeRows, sliceRows, oneHotArray, toTensor, byteSize } from './numeric_array';
export { SeededRandom, deriveSeed, shuffledIndices, trainValidationSplit, type SplitOptions, type Split } from './seeded_random';
export { padSequences, padSequencesArray, type PadSequencesOptions, type PadSide, type Sequence } from './pad_sequences';
export { toCategorical } from './to_categorical';
export { Tokenizer, DEFAULT_FILTERS, type TokenizerOptions, type TokenizerJSON, type TokenizerLevel } from './tokenizer';
export { textWindows, countTextWindows, type TextWindowOptions, type WindowedText } from './text_windows';
export { parseCsv, parseCsvRows, columnIndex, csvRecords, type CsvOptions, type CsvRow, type CsvTable } from './csv';
export {
  fitNormalization,
  applyNormalization,
  normalizeValue,
  denormalizeValue,
  selectStats,
  type NormalizationMethod,
  type NormalizationStats,
  type ColumnStats,
} from './normalization';
export { numericColumns, timeSeriesWindows, countTimeSeriesWindows, type NumericColumns, type TimeSeriesWindowOptions } from './time_series';
export { parseJsonl, recordField, recordText, recordTokens, recordLabel, type DataRecord, type Label } from './records';
export { fitLabelVocabulary, LabelIndex } from './label_vocabulary';
export {
  recordInput,
  encodeInputs,
  encodeClassification,
  encodeTagging,
  encodeSeq2Seq,
  PAD_TAG,
  type InputFieldOptions,
  type PaddingOptions,
  type Seq2SeqOptions,
} from './sequence_datasets';
export {
  BUNDLED_DATASETS,
  bundledDatasetNames,
  bundledDatasetInfo,
  loadBundledRecords,
  loadBundledText,
  loadBundledTable,
  type BundledDatasetInfo,
} from './bundled_datasets';
export { readDataFile, loadCsvFile, loadJsonlFile } from './files';
export { sampleIndex, generateTokens, joinTokens, type GenerateTokensOptions, type TokenEncoding, type TokenStepper } from './text_generation';
