/**
 * ReduceLROnPlateau (Keras 3 callbacks/reduce_lr_on_plateau.py): multiply the learning rate by
 * `factor` when the monitored value has not improved by more than minDelta for `patience` epochs,
 * then wait `cooldown` epochs before counting again; never go below minLr. Adds 'learning_rate' to
 * the epoch logs.
 */
import { MonitorCallback, type MonitorMode } from './monitor_callback';
import type { CallbackState } from './callback';
import { numberField } from './state_fields';
import { optimizerOf } from '../compile_args';
import type { Logs } from '../logs';

export interface ReduceLROnPlateauArgs {
  monitor?: string;
  factor?: number;
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  minDelta?: number;
  cooldown?: number;
  minLr?: number;
  print?: (line: string) => void;
}

export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  private readonly print: (line: string) => void;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super('ReduceLROnPlateau', args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 1e-4, null);
    this.factor = args.factor ?? 0.1;
    if (!(this.factor < 1)) throw new Error(`ReduceLROnPlateau does not support a factor >= 1.0; got factor=${this.factor}.`);
    this.patience = args.patience ?? 10;
    this.verbose = args.verbose ?? 0;
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
    this.print = args.print ?? ((line) => console.log(line));
  }

  private optimizer() {
    const opt = optimizerOf(this.model);
    if (!opt) throw new Error('ReduceLROnPlateau: the model has no optimizer; compile it first.');
    return opt;
  }

  override onTrainBegin(): void {
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  override getState(): CallbackState {
    return { ...super.getState(), wait: this.wait, cooldownCounter: this.cooldownCounter };
  }

  override setState(state: CallbackState): void {
    super.setState(state);
    this.wait = numberField(state, 'wait', 'ReduceLROnPlateau');
    this.cooldownCounter = numberField(state, 'cooldownCounter', 'ReduceLROnPlateau');
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = this.optimizer();
    logs.learning_rate = optimizer.learningRate;
    const current = this.monitored(logs, 'Learning rate reduction');
    if (current === null) return;
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = optimizer.learningRate;
        // Compared in float32, as Keras does, so a rate stored as float32 equal to minLr counts as reached.
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
