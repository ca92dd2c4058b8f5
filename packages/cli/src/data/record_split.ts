import { DataRecord, deriveSeed, trainValidationSplit } from '@recurrent/core';

/** Splits records (not windows) into training and validation parts, seeded; tokenizers are then
 * fitted on the training part only. */
export function splitRecords(
  records: DataRecord[],
  section: { validationSplit: number; shuffleBeforeSplit?: boolean },
  seed: number,
): { train: DataRecord[]; validation: DataRecord[] } {
  const split = trainValidationSplit(records.length, {
    validationSplit: section.validationSplit,
    shuffle: section.shuffleBeforeSplit ?? true,
    seed: deriveSeed(seed, 'validation-split'),
  });
  return { train: Array.from(split.train, (i) => records[i]), validation: Array.from(split.validation, (i) => records[i]) };
}

/** Seed of the subset taken by `limit`. */
export function limitSeed(seed: number): number {
  return deriveSeed(seed, 'limit');
}
