/**
 * What a model will need in memory, estimated from its declared weights and its layers' output shapes
 * before any weight is created, so that a model too large for the machine is refused at once, with the
 * numbers, instead of failing minutes later with "Array buffer allocation failed".
 *
 * The estimate counts float32 values: the weights; when training, one gradient per weight, the
 * optimizer's slots (Adam keeps two per weight) and the activations a backward pass keeps for a batch
 * (each layer's outputs, and for a recurrent layer its state and gates at every step). Unknown
 * dimensions (a free sequence length) count as `timeSteps` when given, else 1, so the activation part
 * is a lower bound. tfjs's own temporaries come on top; the limit is the machine's total memory.
 */
import { MEMORY_LIMIT_VARIABLE, memoryLimit, parseByteSize, setMemoryLimit } from '@recurrent/kernels';
import type { Layer } from '../engine/layer';
import type { Shape } from '../engine/types';

const BYTES_PER_VALUE = 4;

export interface MemoryEstimate {
  parameters: number;
  /** Bytes of the weights. */
  weightBytes: number;
  /** Bytes of gradients and optimizer slots (0 for inference). */
  optimizerBytes: number;
  /** Bytes of the activations of one batch. */
  activationBytes: number;
  totalBytes: number;
  /** What was estimated: "holding its weights", "training at batch size 32 with Adam (2 slots per weight)". */
  purpose: string;
}

export interface EstimateOptions {
  /** Estimate for training with this many samples per batch and optimizer slots per weight. */
  training?: { batchSize: number; slotsPerWeight: number; optimizerName: string };
  /** Length of sequences whose length the model leaves free (null in the input shape). */
  timeSteps?: number;
}

/** The graph a model exposes to the estimate: its layers and, per layer, the shapes of its calls. */
export interface EstimatedModel {
  readonly layers: readonly Layer[];
  /** [input shapes, output shapes] of each call of `layer` in this model. */
  callShapes(layer: Layer): [Shape[], Shape[]][];
}

function perSample(shape: Shape, timeSteps: number): number {
  return shape.slice(1).reduce<number>((n, d) => n * (d ?? timeSteps), 1);
}

/** Values one sample keeps in a layer's outputs and, for recurrent layers, its per-step gates and states. */
function activationsPerSample(model: EstimatedModel, timeSteps: number): number {
  let total = 0;
  for (const layer of model.layers) {
    if (!layer.built) continue;
    // Recurrent weights [units, gates * units]: every step keeps its gates and its states.
    const recurrent = layer.weights.filter((w) => /(^|\/)recurrent_kernel$/.test(w.name) && w.shape.length === 2);
    for (const [inputs, outputs] of model.callShapes(layer)) {
      for (const shape of outputs) total += perSample(shape, timeSteps);
      const steps = inputs[0]?.[1] ?? timeSteps;
      for (const w of recurrent) total += steps * (w.shape[1] + 2 * w.shape[0]);
    }
  }
  return total;
}

function parameterCount(model: EstimatedModel): number {
  let n = 0;
  for (const layer of model.layers) if (layer.built) n += layer.countParams();
  return n;
}

export function estimateMemory(model: EstimatedModel, opts: EstimateOptions = {}): MemoryEstimate {
  const parameters = parameterCount(model);
  const weightBytes = parameters * BYTES_PER_VALUE;
  const training = opts.training;
  if (!training) return { parameters, weightBytes, optimizerBytes: 0, activationBytes: 0, totalBytes: weightBytes, purpose: 'holding its weights' };
  const optimizerBytes = weightBytes * (1 + training.slotsPerWeight);
  // Forward values and their gradients in the backward pass.
  const activationBytes = 2 * training.batchSize * activationsPerSample(model, opts.timeSteps ?? 1) * BYTES_PER_VALUE;
  const slots = `${training.slotsPerWeight} slot${training.slotsPerWeight === 1 ? '' : 's'} per weight`;
  return {
    parameters,
    weightBytes,
    optimizerBytes,
    activationBytes,
    totalBytes: weightBytes + optimizerBytes + activationBytes,
    purpose: `training at batch size ${training.batchSize} with ${training.optimizerName} (${slots})`,
  };
}

/** A model that needs more memory than the limit (see memoryLimit). */
export class MemoryLimitError extends Error {
  constructor(
    message: string,
    readonly estimate: MemoryEstimate,
  ) {
    super(message);
    this.name = 'MemoryLimitError';
  }
}

/** `bytes` for people: "6.4 GB", "512.0 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'no limit';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

export { MEMORY_LIMIT_VARIABLE, memoryLimit, parseByteSize, setMemoryLimit };

/** Throws a MemoryLimitError when the estimate exceeds the limit in force; `what` names the model. */
export function checkMemory(estimate: MemoryEstimate, what: string): void {
  const limit = memoryLimit();
  if (estimate.totalBytes <= limit.bytes) return;
  const parts =
    estimate.optimizerBytes + estimate.activationBytes === 0
      ? ''
      : ` (weights ${formatBytes(estimate.weightBytes)}, gradients and optimizer slots ${formatBytes(estimate.optimizerBytes)}, activations ${formatBytes(estimate.activationBytes)})`;
  throw new MemoryLimitError(
    `${what} has ${estimate.parameters} parameters: ${estimate.purpose} needs about ${formatBytes(estimate.totalBytes)}${parts}, ` +
      `more than ${limit.source} (${formatBytes(limit.bytes)}). Make the model smaller${estimate.activationBytes > 0 ? ' or the batch' : ''}, ` +
      `or set ${MEMORY_LIMIT_VARIABLE} (a size such as 64GB, or none) if you know it fits.`,
    estimate,
  );
}
