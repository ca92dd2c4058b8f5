/** TerminateOnNaN: stops training as soon as the loss becomes NaN or infinite. */
import { Callback } from './callback';
import type { Logs } from '../logs';

export class TerminateOnNaN extends Callback {
  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {
    super();
  }
  override onTrainBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.print(`Batch ${batch}: Invalid loss, terminating training`);
      this.model.stopTraining = true;
    }
  }
}
