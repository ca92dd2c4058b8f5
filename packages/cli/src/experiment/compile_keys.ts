import { keysToCamel } from '@recurrent/core';

/**
 * The compile section in the library's spelling: `loss_weights` -> `lossWeights`, serialized objects
 * `{"class_name": "Adam", "config": {"learning_rate": 0.01}}` -> `{className, config: {learningRate}}`,
 * while maps keyed by output name keep their keys.
 */
export function compileSectionToCamel(section: Record<string, unknown>): Record<string, unknown> {
  return keysToCamel(section) as Record<string, unknown>;
}
