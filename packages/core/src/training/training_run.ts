/**
 * One call of fit as its callbacks see it: where training stands (the next epoch and the batches of it
 * already done, the data order, the epoch's running metrics) and the two things a callback that backs
 * up and restores training (BackupAndRestore) needs from the loop: to move the start of the run to a
 * saved position, and to act once a hook has reached every callback.
 */
import type { Callback, HookResult } from './callbacks/callback';
import type { BatchSource, DataPosition } from './data_adapter';
import { getCompiled, peekCompiled } from './compile_args';
import type { ModelLike } from './model_like';

/** Where a run stands between two batches. */
export interface RunPosition {
  /** The epoch in progress, or the next one to run when `batch` is 0 (0-based). */
  epoch: number;
  /** Batches of that epoch already trained. */
  batch: number;
  /** The data order (null: not positionable, an iterable of batches). */
  data: DataPosition | null;
  /** The epoch's running loss and metric state (empty when batch is 0). */
  metrics: number[][];
}

export class TrainingRun {
  /** Next epoch to run (or the one in progress). */
  epoch: number;
  /** Batches of `epoch` already trained. */
  batch = 0;
  private resumedMetrics: number[][] = [];
  private readonly pending: (() => HookResult)[] = [];

  constructor(
    private readonly model: ModelLike,
    private readonly source: BatchSource,
    /** Every callback of the run, in hook order. */
    readonly callbacks: readonly Callback[],
    readonly epochs: number,
    initialEpoch: number,
  ) {
    this.epoch = initialEpoch;
  }

  /** Batches per epoch, when known. */
  get stepsPerEpoch(): number | null {
    return this.source.stepsPerEpoch;
  }

  position(): RunPosition {
    const metrics = this.batch > 0 ? getCompiled(this.model, 'fit').getMetricState() : [];
    return { epoch: this.epoch, batch: this.batch, data: this.source.position(), metrics };
  }

  /**
   * Makes the run start at `position` (called before the first epoch, from onTrainBegin). `where` names
   * the source of the position in errors (a backup file).
   */
  resumeAt(position: RunPosition, where: string): void {
    const { epoch, batch } = position;
    if (!(Number.isInteger(epoch) && epoch >= 0)) throw new Error(`${where}: the epoch must be a non-negative integer, got ${epoch}.`);
    if (!(Number.isInteger(batch) && batch >= 0)) throw new Error(`${where}: the batch must be a non-negative integer, got ${batch}.`);
    const steps = this.source.stepsPerEpoch;
    if (batch > 0) {
      if (steps === null || position.data === null) {
        throw new Error(`${where}: the run stopped in the middle of an epoch, which an iterable of batches cannot continue; train on in-memory or IndexedData data, or back up once per epoch.`);
      }
      if (batch > steps) throw new Error(`${where}: the run stopped after batch ${batch} of an epoch, but an epoch has ${steps} batches here.`);
      if (epoch >= this.epochs) throw new Error(`${where}: the run stopped in epoch ${epoch + 1}, beyond epochs=${this.epochs}.`);
    }
    try {
      if (position.data !== null) this.source.restore(position.data);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    this.epoch = epoch;
    this.batch = batch;
    this.resumedMetrics = batch > 0 ? position.metrics : [];
  }

  /** Called by fit as an epoch begins: a resumed epoch continues its running metrics. */
  beginEpoch(epoch: number): void {
    // A model built from its first batch is compiled only then; it has no running metrics to reset yet.
    const compiled = peekCompiled(this.model);
    compiled?.resetMetrics();
    if (epoch === this.epoch && this.batch > 0) {
      getCompiled(this.model, 'fit').setMetricState(this.resumedMetrics);
    } else {
      this.epoch = epoch;
      this.batch = 0;
    }
    this.resumedMetrics = [];
  }

  /**
   * Runs `action` once the hook in progress (onTrainBegin, a batch end, an epoch end) has reached every
   * callback, so that what it saves includes every callback's update for that batch or epoch.
   */
  afterCallbacks(action: () => HookResult): void {
    this.pending.push(action);
  }

  /** Called by fit after each hook round. */
  async runPending(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift()!();
  }
}
