import { Tokenizer, countTextWindows, textWindows } from '@recurrent/core';
import { TextData } from '../experiment/data_schema';
import { ExampleSet, Feature, exampleSet } from './example_set';
import { resolveLabelEncoding } from './label_encoding';
import { PrepareContext, PreparedData, atPath, settingError, sourcePath, splitExamples } from './prepared_data';
import { PreprocessingState, stateTokenizer } from './preprocessing_state';
import { DataSource, loadText, resolveSource, sourceName } from './sources';

/** Text corpus -> tokenizer -> windows of seqLength tokens -> next token (or the shifted window). */
export function prepareText(section: TextData, ctx: PrepareContext): PreparedData {
  const source = resolveSource(section, ctx.baseDir);
  const text = atPath(ctx.file, sourcePath(section), () => loadText(source, section.limit));
  const tokenizer = new Tokenizer({
    level: section.level,
    lower: section.lower,
    numWords: section.numWords,
    oovToken: section.oovToken,
    filters: section.filters,
  }).fitOnTexts([text]);
  const labelEncoding = resolveLabelEncoding(section.labelEncoding, ctx.loss);
  if (labelEncoding === 'binary') {
    throw settingError(ctx.file, 'data.labelEncoding', 'next-token prediction has one class per token, so labels cannot be binary', "use 'sparse' or 'oneHot' with a categorical cross-entropy loss");
  }
  const state: PreprocessingState = {
    format: 'recurrent-preprocessing',
    version: 1,
    kind: 'text',
    data: section,
    labelEncoding,
    dims: { vocabSize: tokenizer.vocabularySize, seqLength: section.seqLength, numClasses: tokenizer.vocabularySize, outputSize: tokenizer.vocabularySize },
    tokenizer: tokenizer.toJSON(),
  };
  const ids = tokenizer.textToSequence(text);
  const set = atPath(ctx.file, 'data.seqLength', () => textExamples(ids, state, sourceName(source)));
  return { state, ...splitExamples(set, section, ctx.seed, true), corpusIds: ids };
}

/** Examples of another text with a trained model's tokenizer (evaluate). */
export function encodeText(state: PreprocessingState, source: DataSource): ExampleSet {
  const tokenizer = stateTokenizer(state);
  return textExamples(tokenizer.textToSequence(loadText(source)), state, sourceName(source));
}

function textExamples(ids: number[], state: PreprocessingState, name: string): ExampleSet {
  const data = state.data as TextData;
  if (countTextWindows(ids.length, data.seqLength, data.step) === 0) {
    throw new RangeError(`${name} has ${ids.length} tokens, too few for one window of seqLength ${data.seqLength} plus its target; use more text or a shorter seqLength`);
  }
  const vocabularySize = state.dims.vocabSize;
  const { x, y } = textWindows(ids, { seqLength: data.seqLength, step: data.step, target: data.target });
  const input: Feature = { array: x, oneHot: data.encoding === 'oneHot' ? { depth: vocabularySize, zeroForPadding: true } : undefined };
  const target: Feature = { array: y, oneHot: state.labelEncoding === 'oneHot' ? { depth: vocabularySize, zeroForPadding: false } : undefined };
  return exampleSet([input], [target]);
}

