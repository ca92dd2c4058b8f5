/**
 * EarlyStopping (Keras 3 callbacks/early_stopping.py): stop when the monitored value has not improved
 * for `patience` epochs; optionally restore the weights of the best epoch at the end.
 */
import * as tf from '@tensorflow/tfjs';
import { MonitorCallback, type MonitorMode } from './monitor_callback';
import type { CallbackState } from './callback';
import { nullableTensorListField, numberField } from './state_fields';
import type { Logs } from '../logs';

export interface EarlyStoppingArgs {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  /** Training stops unless the value gets better than this (the wait is only reset by beating it). */
  baseline?: number | null;
  restoreBestWeights?: boolean;
  /** Epochs to wait before starting to monitor. */
  startFromEpoch?: number;
  /** Where messages go (default console.log). */
  print?: (line: string) => void;
}

export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  stoppedEpoch = 0;
  bestEpoch = 0;
  private bestWeights: tf.Tensor[] | null = null;
  private readonly print: (line: string) => void;

  constructor(args: EarlyStoppingArgs = {}) {
    super('EarlyStopping', args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 0, null);
    this.patience = args.patience ?? 0;
    this.verbose = args.verbose ?? 0;
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
    this.print = args.print ?? ((line) => console.log(line));
    if (!(Number.isInteger(this.patience) && this.patience >= 0)) throw new Error(`EarlyStopping: patience must be a non-negative integer, got ${this.patience}.`);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.setBestWeights(null);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = this.monitored(logs, 'Early stopping');
    if (current === null || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Until something improves, the current weights are the best ones.
      this.setBestWeights(this.model.getWeights());
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.setBestWeights(this.model.getWeights());
      // The wait restarts only when the value also beats the baseline.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.print(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) this.print(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.setWeights(this.bestWeights);
    }
    this.setBestWeights(null);
  }

  override onTrainAborted(): void {
    this.setBestWeights(null);
  }

  override getState(): CallbackState {
    return { ...super.getState(), wait: this.wait, stoppedEpoch: this.stoppedEpoch, bestEpoch: this.bestEpoch, bestWeights: this.bestWeights };
  }

  override setState(state: CallbackState): void {
    super.setState(state);
    this.wait = numberField(state, 'wait', 'EarlyStopping');
    this.stoppedEpoch = numberField(state, 'stoppedEpoch', 'EarlyStopping');
    this.bestEpoch = numberField(state, 'bestEpoch', 'EarlyStopping');
    const weights = nullableTensorListField(state, 'bestWeights', 'EarlyStopping');
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = weights;
  }

  /** Holds copies: getWeights may hand out the live variables, which later updates would change. */
  private setBestWeights(weights: tf.Tensor[] | null): void {
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = weights === null ? null : weights.map((w) => (w instanceof tf.Variable ? w.clone() : w));
  }
}
