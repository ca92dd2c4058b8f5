import { z } from 'zod';
import { dataSchema } from './data_schema';

/**
 * An experiment file: everything `recurrent fit` needs. The canonical spelling of keys is camelCase;
 * snake_case keys (Keras's `batch_size`) are accepted in the compile, fit and generate sections and
 * converted before validation. The model itself is Keras JSON (snake_case), inline or in a file.
 */

export const fitSectionSchema = z
  .strictObject({
    epochs: z.number().int().positive().default(1).describe('Passes over the training data.'),
    batchSize: z.number().int().positive().default(32).describe('Examples per gradient step.'),
    verbose: z
      .union([z.literal(0), z.literal(1), z.literal(2)])
      .default(1)
      .describe('0: silent; 1: a progress bar in a terminal (plain lines in a pipe); 2: one line per epoch.'),
    shuffle: z.boolean().default(true).describe('Shuffle the training examples every epoch (seeded; never for stateful models).'),
    validationSplit: z
      .number()
      .min(0)
      .lt(1)
      .optional()
      .describe("Keras's validation_split: the last fraction of the examples, not shuffled. Alternatively set data.validation_split (shuffled by default)."),
    validationBatchSize: z.number().int().positive().optional().describe('Examples per validation batch (default batch_size).'),
    validationFreq: z.number().int().positive().default(1).describe('Evaluate on the validation split every N epochs.'),
    initialEpoch: z.number().int().min(0).optional().describe('Epoch to start counting from (for continuing a run by hand).'),
    stepsPerEpoch: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Batches per epoch (Keras's steps_per_epoch): the next epoch continues the pass over the examples; a pass that runs out ends its epoch early."),
    classWeight: z
      .record(z.string().regex(/^\d+$/), z.number().min(0))
      .optional()
      .describe('Loss weight per class index, e.g. {"0": 1, "1": 3} (single-output models).'),
    callbacks: z
      .array(
        z.strictObject({
          className: z.enum(['EarlyStopping', 'ReduceLROnPlateau', 'TerminateOnNaN']).describe('The Keras callback class.'),
          config: z.record(z.string(), z.unknown()).default({}).describe('Its arguments, e.g. {"monitor": "val_loss", "patience": 3}.'),
        }),
      )
      .default([])
      .describe('Keras callbacks run at the end of batches and epochs; their state is kept in checkpoints.'),
  })
  .describe('Training loop settings; command-line flags override them.');

export const generateSectionSchema = z
  .strictObject({
    prime: z.string().optional().describe('Text the samples start from (default: a window of the training text chosen by the seed).'),
    length: z.number().int().positive().default(200).describe('Tokens generated per sample.'),
    temperatures: z.array(z.number().min(0)).min(1).default([0.2, 0.5, 1.0]).describe('Sampling temperatures; 0 is greedy.'),
    everyEpoch: z.boolean().default(true).describe('Print samples after every epoch (text models).'),
  })
  .describe('Samples from text models while training.');

export const experimentSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    name: z.string().optional().describe('A name for the run, shown in the report.'),
    description: z.string().optional(),
    seed: z.number().int().min(0).max(4294967295).optional().describe('Seed of initialisation, shuffling, dropout and sampling; chosen at random (and saved) when absent.'),
    model: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .describe(
        'The model as Keras JSON ({"class_name": "Sequential", "config": {...}}, or a model.json) inline, or the path of such a file. ' +
          'Numbers that depend on the data may be written as placeholders: "$vocabSize", "$seqLength", "$numClasses", "$numFeatures", "$outputSize" ...',
      ),
    compile: z
      .record(z.string(), z.unknown())
      .describe('Keras compile arguments: optimizer (name or {"class_name", "config"}), loss, metrics.'),
    data: dataSchema,
    fit: fitSectionSchema.default(() => fitSectionSchema.parse({})),
    generate: generateSectionSchema.optional(),
    output: z.string().min(1).optional().describe('Output directory, relative to the experiment file (default: runs/<experiment file name>).'),
  })
  .describe('A recurrent experiment: model, compile, data and fit settings for `recurrent fit`.');

export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;
export type FitSection = z.infer<typeof fitSectionSchema>;
export type GenerateSection = z.infer<typeof generateSectionSchema>;
