import { BackupAndRestore, Callback } from '@recurrent/core';
import { InterruptedError } from '../errors';

/**
 * Ctrl-C during training: the first SIGINT asks training to stop after the current batch (it then
 * writes a checkpoint and exits with 130); a second one exits at once.
 */
export class InterruptFlag {
  requested = false;
  private readonly handler = () => {
    if (this.requested) {
      process.stderr.write('\nsecond interrupt: exiting without a checkpoint\n');
      process.exit(130);
    }
    this.requested = true;
    process.stderr.write('\ninterrupt: finishing the current batch, then writing a checkpoint (Ctrl-C again to quit at once)\n');
  };

  listen(): this {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
    return this;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}

/**
 * Stops fit when the flag is up: after the batch in progress (the last batch of an epoch finishes its
 * epoch instead), once every callback has seen it, with a backup of exactly that point.
 */
export class StopOnInterrupt extends Callback {
  constructor(
    private readonly flag: InterruptFlag,
    private readonly backup: BackupAndRestore,
  ) {
    super();
  }

  private stop(message: string): void {
    this.run?.afterCallbacks(() => {
      this.backup.save();
      throw new InterruptedError(message);
    });
  }

  override onTrainBatchEnd(batch: number): void {
    const steps = this.params.steps;
    if (!this.flag.requested || steps === null || batch + 1 >= steps) return;
    this.stop(`interrupted in epoch ${(this.run?.epoch ?? 0) + 1} after batch ${batch + 1}/${steps}`);
  }

  override onEpochEnd(epoch: number): void {
    if (this.flag.requested && epoch + 1 < this.params.epochs) this.stop(`interrupted after epoch ${epoch + 1}`);
  }
}
