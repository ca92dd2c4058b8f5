import { DataSection } from '../experiment/data_schema';
import { ExampleSet } from './example_set';
import { PrepareContext, PreparedData } from './prepared_data';
import { PreprocessingState } from './preprocessing_state';
import { encodeSeq2SeqSource, prepareSeq2Seq } from './seq2seq_data';
import { encodeSequences, prepareSequences } from './sequence_data';
import { DataSource } from './sources';
import { encodeText, prepareText } from './text_data';
import { encodeTimeSeries, prepareTimeSeries } from './time_series_data';

/** Turns an experiment's data section into examples and the preprocessing state to save. */
export function prepareData(section: DataSection, ctx: PrepareContext): PreparedData {
  switch (section.kind) {
    case 'text':
      return prepareText(section, ctx);
    case 'timeseries':
      return prepareTimeSeries(section, ctx);
    case 'classification':
    case 'tagging':
      return prepareSequences(section, ctx);
    case 'seq2seq':
      return prepareSeq2Seq(section, ctx);
  }
}

/** Encodes another source (for evaluate) with a trained model's saved preprocessing. */
export function encodeWithState(state: PreprocessingState, source: DataSource): ExampleSet {
  switch (state.kind) {
    case 'text':
      return encodeText(state, source);
    case 'timeseries':
      return encodeTimeSeries(state, source);
    case 'classification':
    case 'tagging':
      return encodeSequences(state, source);
    case 'seq2seq':
      return encodeSeq2SeqSource(state, source);
  }
}
