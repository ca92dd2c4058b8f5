/** The History callback: every epoch's logs, as returned by fit (Keras's History). */
import { Callback } from './callbacks/callback';
import type { Logs } from './logs';
import { setOwn } from '../config/own_keys';

export class History extends Callback {
  /** Epoch indices (0-based, counting from initialEpoch). */
  epoch: number[] = [];
  /** Metric name ('loss', 'accuracy', 'val_loss', ...) -> one value per epoch. */
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      if (!Object.hasOwn(this.history, key)) setOwn(this.history, key, []);
      this.history[key].push(value);
    }
  }
}
