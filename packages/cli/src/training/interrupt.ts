/**
 * Ctrl-C during training: the first SIGINT asks the loop to stop after the current batch (it then
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

/** Lets pending signal handlers and I/O run: training steps are synchronous, so without this a
 * SIGINT would only be seen at the end of the run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
