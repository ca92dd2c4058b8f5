/**
 * The compile options of a model as they appear in JSON (experiment files, `trainingConfig`): the optimizer,
 * the loss and the metrics, by the names the training module knows (`OPTIMIZER_NAMES`, `LOSS_NAMES`,
 * `METRIC_NAMES`). camelCase here; the JSON Schema and the files use the snake_case spelling.
 */
import { z } from 'zod';
import { didYouMean } from '../data/nearest_name';
import { describeValue } from './describe_value';
import { LOSS_NAMES } from '../training/losses/get_loss';
import { METRIC_NAMES } from '../training/metrics/get_metric';
import { OPTIMIZER_NAMES } from '../training/optimizers/get_optimizer';

const serialized = (what: string) =>
  z.object({
    className: z.string({ error: `expected the ${what} class name, e.g. "Adam"` }).min(1),
    config: z.record(z.string(), z.unknown()).optional(),
  }).strict();

function nameOf(list: readonly string[], what: string) {
  return z.string().refine((v) => list.includes(v.toLowerCase()) || list.includes(v), {
    error: (iss) => {
      const hint = typeof iss.input === 'string' ? didYouMean(iss.input, list) : '';
      return `expected ${what === 'optimizer' ? 'an' : 'a'} ${what} name (${list.join(', ')}), got ${describeValue(iss.input)}${hint}`;
    },
  });
}

export const optimizerSpecSchema = z.union([nameOf(OPTIMIZER_NAMES, 'optimizer'), serialized('optimizer')]);

const oneLoss = z.union([nameOf(LOSS_NAMES, 'loss'), serialized('loss')]);
/** One loss for every output, a list (one per output) or an object keyed by output name. */
export const lossSpecSchema = z.union([oneLoss, z.array(z.union([oneLoss, z.null()])), z.record(z.string(), z.union([oneLoss, z.null()]))]);

const oneMetric = z.union([nameOf(METRIC_NAMES, 'metric'), serialized('metric')]);
/** A list of metrics for every output, or an object keyed by output name. */
export const metricsSpecSchema = z.union([
  oneMetric,
  z.array(z.union([oneMetric, z.array(oneMetric), z.null()])),
  z.record(z.string(), z.union([oneMetric, z.array(oneMetric), z.null()])),
]);

export const compileConfigSchema = z.object({
  optimizer: optimizerSpecSchema.optional(),
  loss: lossSpecSchema,
  metrics: metricsSpecSchema.optional(),
  /** Metrics that also take the sample and class weights. */
  weightedMetrics: metricsSpecSchema.optional(),
  /** Weight of each output's loss in the total (a list or an object keyed by output name). */
  lossWeights: z.union([z.array(z.number()), z.record(z.string(), z.number())]).optional(),
}).strict();

export type CompileConfig = z.infer<typeof compileConfigSchema>;
