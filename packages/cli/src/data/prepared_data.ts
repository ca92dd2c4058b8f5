import { DataError, trainValidationSplit, deriveSeed } from '@recurrent/core';
import { ExperimentError } from '../errors';
import { ExampleSet, selectExamples } from './example_set';
import { PreprocessingState } from './preprocessing_state';

/** What data preparation needs besides the data section. */
export interface PrepareContext {
  /** The experiment file, named in error messages. */
  file: string;
  /** Folder that relative data paths start from. */
  baseDir: string;
  seed: number;
  /** The compile section's loss, which decides the label encoding when it is 'auto'. */
  loss: unknown;
}

/** A data section turned into training (and validation) examples plus the state to save. */
export interface PreparedData {
  state: PreprocessingState;
  train: ExampleSet;
  validation: ExampleSet | null;
  /** Text corpora: the token ids of the corpus, where sampling primes are taken from. */
  corpusIds?: ArrayLike<number>;
}

/**
 * Runs `fn`, turning a DataError into an ExperimentError that names the JSON path of the setting
 * involved (e.g. `data.labelField`) as well as the data file and line.
 */
export function atPath<T>(file: string, jsonPath: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DataError) throw new ExperimentError(file, [{ path: jsonPath, message: e.message.split('\n  fix: ')[0], fix: e.fix }]);
    if (e instanceof RangeError) throw new ExperimentError(file, [{ path: jsonPath, message: e.message }]);
    throw e;
  }
}

/** JSON path of a data section's source setting. */
export function sourcePath(section: { path?: string }): string {
  return section.path !== undefined ? 'data.path' : 'data.dataset';
}

/** Train/validation examples by the section's split settings (seeded). */
export function splitExamples(
  set: ExampleSet,
  section: { validationSplit: number; shuffleBeforeSplit?: boolean },
  seed: number,
  shuffleByDefault: boolean,
): { train: ExampleSet; validation: ExampleSet | null } {
  if (section.validationSplit === 0) return { train: set, validation: null };
  const split = trainValidationSplit(set.size, {
    validationSplit: section.validationSplit,
    shuffle: section.shuffleBeforeSplit ?? shuffleByDefault,
    seed: deriveSeed(seed, 'validation-split'),
  });
  return { train: selectExamples(set, split.train), validation: split.validation.length > 0 ? selectExamples(set, split.validation) : null };
}

/** An ExperimentError for one setting. */
export function settingError(file: string, jsonPath: string, message: string, fix?: string): ExperimentError {
  return new ExperimentError(file, [{ path: jsonPath, message, fix }]);
}
