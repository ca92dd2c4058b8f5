/** The options of `fit` that can be written in JSON (callbacks and data are code, not config). */
import { z } from 'zod';

const positiveInt = (what: string) =>
  z.number().int({ error: (iss) => `expected a positive integer (${what}), got ${JSON.stringify(iss.input)}` })
    .positive({ error: (iss) => `expected a positive integer (${what}), got ${JSON.stringify(iss.input)}` });

export const fitConfigSchema = z.object({
  epochs: positiveInt('number of passes over the data').optional(),
  batchSize: positiveInt('samples per gradient step').optional(),
  /** 0: silent, 1: progress bar, 2: one line per epoch, 'auto': 1. */
  verbose: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal('auto')]).optional(),
  /** Fraction of the training data held out for validation, taken from the end before shuffling. */
  validationSplit: z.number().min(0).lt(1, { error: (iss) => `expected a fraction in [0, 1), got ${JSON.stringify(iss.input)}` }).optional(),
  validationBatchSize: positiveInt('samples per validation batch').optional(),
  /** Validate every N epochs, or at the listed (1-based) epochs. */
  validationFreq: z.union([positiveInt('epochs between validations'), z.array(positiveInt('epoch to validate at'))]).optional(),
  validationSteps: positiveInt('validation batches').optional(),
  /** true: reshuffle every epoch; 'batch': shuffle within batch-sized chunks; false: keep the order. */
  shuffle: z.union([z.boolean(), z.literal('batch')]).optional(),
  /** Epoch at which to start (for resuming a run). */
  initialEpoch: z.number().int().min(0).optional(),
  stepsPerEpoch: positiveInt('batches per epoch').optional(),
  /** Loss weight per class index (keys are class indices as strings, as in JSON). */
  classWeight: z.record(z.string().regex(/^\d+$/, { error: 'expected a class index' }), z.number().min(0)).optional(),
}).strict();

export type FitConfig = z.infer<typeof fitConfigSchema>;
