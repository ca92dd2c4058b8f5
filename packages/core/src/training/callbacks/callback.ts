/**
 * Callbacks with Keras's hooks. Hooks may be async; the engine awaits each in turn. All callbacks of
 * a run receive the same logs object, so a callback can add entries (ReduceLROnPlateau adds
 * 'learning_rate') that later callbacks, History last, see.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Logs } from '../logs';
import type { ModelLike } from '../model_like';
import type { TrainingRun } from '../training_run';

export interface CallbackParams {
  epochs: number;
  /** Batches per epoch, or null when unknown (an iterable of unknown length, first epoch). */
  steps: number | null;
  verbose: 0 | 1 | 2;
}

/** Gradient norms of one training step, before clipping (given to callbacks that set wantsGradients). */
export interface GradientInfo {
  /** Trainable weight names, in the order of `norms`. */
  variableNames: string[];
  /** L2 norm of each weight's gradient (0 for a weight the loss does not depend on). */
  norms: number[];
  /** sqrt of the sum of squared norms. */
  globalNorm: number;
}

export type HookResult = void | Promise<void>;

/** A value in a callback's state: JSON values and tensors, nested in lists and objects. */
export type StateValue = number | string | boolean | null | tf.Tensor | StateValue[] | { [key: string]: StateValue };
/** What a callback carries over to a resumed run (see Callback.getState). */
export type CallbackState = { [key: string]: StateValue };

export class Callback {
  model!: ModelLike;
  params: CallbackParams = { epochs: 1, steps: null, verbose: 0 };
  /** The fit call in progress (null outside fit): its position, and the hook for acting after all callbacks. */
  run: TrainingRun | null = null;
  /** Set to true to receive onTrainBatchGradients (costs one read-back of the norms per step). */
  wantsGradients = false;

  setModel(model: ModelLike): void {
    this.model = model;
  }
  setParams(params: CallbackParams): void {
    this.params = params;
  }
  setRun(run: TrainingRun | null): void {
    this.run = run;
  }

  /**
   * The state a resumed run needs to continue this callback exactly (counters, best values, records;
   * tensors allowed), saved by BackupAndRestore after every callback has seen the batch or epoch, and
   * handed back to setState once every callback's onTrainBegin has run. undefined: nothing to keep.
   */
  getState(): CallbackState | undefined {
    return undefined;
  }
  /** Restores what getState returned (tensors in it belong to the callback from then on). */
  setState(_state: CallbackState): void {}

  onTrainBegin(_logs: Logs): HookResult {}
  onTrainEnd(_logs: Logs): HookResult {}
  onEpochBegin(_epoch: number, _logs: Logs): HookResult {}
  onEpochEnd(_epoch: number, _logs: Logs): HookResult {}
  onTrainBatchBegin(_batch: number, _logs: Logs): HookResult {}
  /** `logs` hold the running means of the epoch so far, as in Keras 3. */
  onTrainBatchEnd(_batch: number, _logs: Logs): HookResult {}
  onTrainBatchGradients(_batch: number, _info: GradientInfo): HookResult {}
  /** Called instead of onTrainEnd when fit ends with an error: release what onTrainBegin acquired. */
  onTrainAborted(): void {}
  onTestBegin(_logs: Logs): HookResult {}
  onTestEnd(_logs: Logs): HookResult {}
  onTestBatchBegin(_batch: number, _logs: Logs): HookResult {}
  onTestBatchEnd(_batch: number, _logs: Logs): HookResult {}
}

/** Hook functions given as a plain object (`{ onEpochEnd: (epoch, logs) => ... }`), as tfjs allows. */
export type CustomCallbackArgs = Partial<{
  onTrainBegin: (logs: Logs) => HookResult;
  onTrainEnd: (logs: Logs) => HookResult;
  onEpochBegin: (epoch: number, logs: Logs) => HookResult;
  onEpochEnd: (epoch: number, logs: Logs) => HookResult;
  onTrainBatchBegin: (batch: number, logs: Logs) => HookResult;
  onTrainBatchEnd: (batch: number, logs: Logs) => HookResult;
  /** tfjs spellings of the batch hooks. */
  onBatchBegin: (batch: number, logs: Logs) => HookResult;
  onBatchEnd: (batch: number, logs: Logs) => HookResult;
  onTestBegin: (logs: Logs) => HookResult;
  onTestEnd: (logs: Logs) => HookResult;
  onTestBatchBegin: (batch: number, logs: Logs) => HookResult;
  onTestBatchEnd: (batch: number, logs: Logs) => HookResult;
}>;

const HOOK_NAMES = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onTrainBatchBegin',
  'onTrainBatchEnd',
  'onBatchBegin',
  'onBatchEnd',
  'onTestBegin',
  'onTestEnd',
  'onTestBatchBegin',
  'onTestBatchEnd',
] as const;

class FunctionCallback extends Callback {
  constructor(private readonly hooks: CustomCallbackArgs) {
    super();
  }
  override onTrainBegin(logs: Logs) {
    return this.hooks.onTrainBegin?.(logs);
  }
  override onTrainEnd(logs: Logs) {
    return this.hooks.onTrainEnd?.(logs);
  }
  override onEpochBegin(epoch: number, logs: Logs) {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }
  override onEpochEnd(epoch: number, logs: Logs) {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }
  override onTrainBatchBegin(batch: number, logs: Logs) {
    return (this.hooks.onTrainBatchBegin ?? this.hooks.onBatchBegin)?.(batch, logs);
  }
  override onTrainBatchEnd(batch: number, logs: Logs) {
    return (this.hooks.onTrainBatchEnd ?? this.hooks.onBatchEnd)?.(batch, logs);
  }
  override onTestBegin(logs: Logs) {
    return this.hooks.onTestBegin?.(logs);
  }
  override onTestEnd(logs: Logs) {
    return this.hooks.onTestEnd?.(logs);
  }
  override onTestBatchBegin(batch: number, logs: Logs) {
    return this.hooks.onTestBatchBegin?.(batch, logs);
  }
  override onTestBatchEnd(batch: number, logs: Logs) {
    return this.hooks.onTestBatchEnd?.(batch, logs);
  }
}

export function toCallback(c: Callback | CustomCallbackArgs, where: string): Callback {
  if (c instanceof Callback) return c;
  if (c !== null && typeof c === 'object') {
    const keys = Object.keys(c);
    const unknown = keys.filter((k) => !(HOOK_NAMES as readonly string[]).includes(k));
    if (unknown.length > 0) {
      throw new Error(`${where}: unknown callback hook(s) ${unknown.join(', ')}; known hooks: ${HOOK_NAMES.join(', ')}.`);
    }
    return new FunctionCallback(c);
  }
  throw new Error(`${where}: expected a Callback or an object of hook functions, got ${String(c)}.`);
}

/** Runs the hooks of several callbacks in order. */
export class CallbackList {
  readonly callbacks: Callback[];
  constructor(callbacks: Callback[]) {
    this.callbacks = callbacks;
  }
  get wantsGradients(): boolean {
    return this.callbacks.some((c) => c.wantsGradients);
  }
  setModel(model: ModelLike): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  setParams(params: CallbackParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }
  setRun(run: TrainingRun | null): void {
    for (const c of this.callbacks) c.setRun(run);
  }
  async onTrainBegin(logs: Logs) {
    for (const c of this.callbacks) await c.onTrainBegin(logs);
  }
  async onTrainEnd(logs: Logs) {
    for (const c of this.callbacks) await c.onTrainEnd(logs);
  }
  onTrainAborted() {
    for (const c of this.callbacks) {
      try {
        c.onTrainAborted();
      } catch {
        // The training error is the one to report.
      }
    }
  }
  async onEpochBegin(epoch: number, logs: Logs) {
    for (const c of this.callbacks) await c.onEpochBegin(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs: Logs) {
    for (const c of this.callbacks) await c.onEpochEnd(epoch, logs);
  }
  async onTrainBatchBegin(batch: number, logs: Logs) {
    for (const c of this.callbacks) await c.onTrainBatchBegin(batch, logs);
  }
  async onTrainBatchEnd(batch: number, logs: Logs) {
    for (const c of this.callbacks) await c.onTrainBatchEnd(batch, logs);
  }
  async onTrainBatchGradients(batch: number, info: GradientInfo) {
    for (const c of this.callbacks) if (c.wantsGradients) await c.onTrainBatchGradients(batch, info);
  }
  async onTestBegin(logs: Logs) {
    for (const c of this.callbacks) await c.onTestBegin(logs);
  }
  async onTestEnd(logs: Logs) {
    for (const c of this.callbacks) await c.onTestEnd(logs);
  }
  async onTestBatchBegin(batch: number, logs: Logs) {
    for (const c of this.callbacks) await c.onTestBatchBegin(batch, logs);
  }
  async onTestBatchEnd(batch: number, logs: Logs) {
    for (const c of this.callbacks) await c.onTestBatchEnd(batch, logs);
  }
}
