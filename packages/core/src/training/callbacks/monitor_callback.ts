/**
 * Shared logic of callbacks that watch one logged value (Keras 3 callbacks/monitor_callback.py):
 * mode 'min', 'max' or 'auto' (a loss is minimised; a metric goes the way its definition says, e.g.
 * accuracy up), and improvement meaning "better than the reference by more than minDelta".
 */
import { Callback, type CallbackState } from './callback';
import { nullableNumberField } from './state_fields';
import { getCompiled, isCompiled } from '../compile_args';
import { warn, type Logs } from '../logs';

export type MonitorMode = 'auto' | 'min' | 'max';

export class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  /** Best value so far (null before the first). */
  best: number | null;
  private op: 'less' | 'greater' | null = null;

  constructor(name: string, monitor: string, mode: MonitorMode, minDelta: number, initialBest: number | null) {
    super();
    if (!['auto', 'min', 'max'].includes(mode)) {
      warn(`${name}: mode '${mode}' is unknown, falling back to 'auto'.`);
      mode = 'auto';
    }
    this.monitor = monitor;
    this.mode = mode;
    this.minDelta = Math.abs(minDelta);
    this.best = initialBest;
  }

  override getState(): CallbackState {
    return { best: this.best };
  }

  override setState(state: CallbackState): void {
    this.best = nullableNumberField(state, 'best', this.constructor.name);
  }

  /** 'less' (smaller is better) or 'greater', resolved on first use. */
  protected direction(): 'less' | 'greater' {
    if (this.op !== null) return this.op;
    if (this.mode === 'min') this.op = 'less';
    else if (this.mode === 'max') this.op = 'greater';
    else {
      const name = this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
      let dir = name === 'loss' || name.endsWith('_loss') ? 'down' : null;
      if (this.model && isCompiled(this.model)) dir = getCompiled(this.model, this.constructor.name).direction(this.monitor) ?? dir;
      if (dir === null) {
        throw new Error(
          `${this.constructor.name}: cannot tell whether '${this.monitor}' should be maximized or minimized; pass mode: 'max' or mode: 'min'.`,
        );
      }
      this.op = dir === 'up' ? 'greater' : 'less';
    }
    return this.op;
  }

  /** Whether `value` beats `reference` by more than minDelta (anything beats null). */
  protected isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.direction() === 'less' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  /** The monitored value from the logs, or null with a warning naming what is available. */
  protected monitored(logs: Logs, what: string): number | null {
    const v = logs[this.monitor];
    if (v === undefined) {
      warn(`${what} conditioned on metric '${this.monitor}' which is not available. Available metrics are: ${Object.keys(logs).join(', ')}.`);
      return null;
    }
    return v;
  }
}
