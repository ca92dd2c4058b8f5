import type { Issue } from '../errors';
import { ExperimentError } from '../errors';
import { buildModel } from '../library';
import { fillPlaceholders, placeholdersIn } from './placeholders';

/** Sizes put in for placeholders when the data cannot be read, so the model can still be checked. */
export const STAND_IN_SIZE = 8;

/**
 * Problems of a model section on its own, its placeholders filled with stand-in sizes: what is checked
 * when another part of the experiment (the data section, say) already fails, so that one problem does not
 * hide another.
 */
export function modelSectionIssues(modelJson: unknown, source: string, inline: boolean): Issue[] {
  const filled = fillPlaceholders(modelJson, Object.fromEntries(placeholdersIn(modelJson).map((p) => [p, STAND_IN_SIZE])));
  if (filled.issues.length > 0) return filled.issues;
  try {
    buildModel(filled.json, source, inline).dispose();
    return [];
  } catch (e) {
    if (!(e instanceof ExperimentError)) throw e;
    return [...e.issues];
  }
}
