/**
 * LearningRateScheduler: sets the learning rate at the start of each epoch to schedule(epoch, lr)
 * (epoch 0-based) and logs it as 'learning_rate' (Keras 3 callbacks/learning_rate_scheduler.py).
 */
import { Callback } from './callback';
import { optimizerOf } from '../compile_args';
import type { Logs } from '../logs';

export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: (epoch: number, learningRate: number) => number,
    readonly verbose = 0,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {
    super();
    if (typeof schedule !== 'function') throw new Error('LearningRateScheduler: schedule must be a function (epoch, lr) => number.');
  }

  private optimizer() {
    const opt = optimizerOf(this.model);
    if (!opt) throw new Error('LearningRateScheduler: the model has no optimizer; compile it first.');
    return opt;
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.optimizer();
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new Error(`LearningRateScheduler: the schedule must return a finite number; got ${String(lr)} at epoch ${epoch}.`);
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = this.optimizer().learningRate;
  }
}
