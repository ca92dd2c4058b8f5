/**
 * Keras-style progress output. In a terminal (verbose 1) a bar is redrawn as batches finish:
 *   Epoch 3/10
 *    40/100 ━━━━━━━━╺━━━━━━━━━━━ 2s 31ms/step - accuracy: 0.8123 - loss: 0.4321
 * with the ETA while running and the elapsed time at the end. When the output is not a terminal
 * (a log file, CI) verbose 1 prints just the final line of each epoch; verbose 2 prints one compact
 * line per epoch:  100/100 - 3s - 31ms/step - accuracy: 0.8123 - loss: 0.4321 - val_loss: ...
 */
import { Callback } from './callback';
import type { Logs } from '../logs';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 20;
/** Redraw at most this often (seconds), as Keras's progbar interval. */
const REDRAW_INTERVAL = 0.05;

/** Python's `{:.4f}` above 1e-3, `{:.4e}` below (two-digit exponent). */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v).replace('Infinity', 'inf').replace('NaN', 'nan');
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join('');
}

/** Keras's time per step: s, ms or us. */
export function formatTimePerStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/step`;
  return `${(seconds * 1e6).toFixed(0)}us/step`;
}

function formatEta(seconds: number): string {
  const s = Math.floor(seconds);
  if (s > 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (s > 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

export class ProgbarLogger extends Callback {
  private readonly stream: OutputStream;
  private readonly now: () => number;
  private verbose: 0 | 1 | 2 = 1;
  private epochs = 1;
  private target: number | null = null;
  private seen = 0;
  /** Steps of the epoch done before this process took it over (a resumed run): not timed here. */
  private resumedAt = 0;
  private start = 0;
  private lastDraw = 0;
  private prevWidth = 0;
  private inFit = false;

  /** `stream` defaults to process.stdout; `now` (seconds) is a test seam. */
  constructor(args: { stream?: OutputStream; now?: () => number } = {}) {
    super();
    this.stream = args.stream ?? process.stdout;
    this.now = args.now ?? (() => performance.now() / 1000);
  }

  private get dynamic(): boolean {
    return Boolean(this.stream.isTTY);
  }

  override onTrainBegin(): void {
    this.inFit = true;
    this.verbose = this.params.verbose;
    this.epochs = this.params.epochs;
  }
  override onTrainEnd(): void {
    this.inFit = false;
  }

  override onEpochBegin(epoch: number): void {
    this.reset(this.params.steps);
    this.resumedAt = this.run?.batch ?? 0;
    this.seen = this.resumedAt;
    if (this.verbose > 0 && this.epochs > 1) this.stream.write(`Epoch ${epoch + 1}/${this.epochs}${this.resumedAt > 0 ? ` (resumed after batch ${this.resumedAt})` : ''}\n`);
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    this.update(batch + 1, logs, false);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.update(this.seen, logs, true);
  }

  override onTestBegin(): void {
    if (this.inFit) return;
    this.verbose = this.params.verbose;
    this.reset(this.params.steps);
  }
  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (!this.inFit) this.update(batch + 1, logs, false);
  }
  override onTestEnd(logs: Logs): void {
    if (!this.inFit) this.update(this.seen, logs, true);
  }

  private reset(target: number | null): void {
    this.target = target;
    this.seen = 0;
    this.resumedAt = 0;
    this.start = this.now();
    this.lastDraw = 0;
    this.prevWidth = 0;
  }

  private update(current: number, logs: Logs, finalize: boolean): void {
    this.seen = current;
    if (this.verbose === 0) return;
    const now = this.now();
    const elapsed = now - this.start;
    const timed = current - this.resumedAt;
    const perStep = timed > 0 ? elapsed / timed : 0;
    if (this.verbose === 2) {
      if (!finalize) return;
      const count = this.counter(current);
      this.stream.write(`${count} - ${elapsed.toFixed(0)}s - ${formatTimePerStep(perStep)}${formatLogs(logs)}\n`);
      return;
    }
    if (!finalize && (!this.dynamic || now - this.lastDraw < REDRAW_INTERVAL)) return;
    this.lastDraw = now;
    const color = this.dynamic;
    let bar = this.counter(current);
    if (this.target !== null && this.target > 0) {
      const filled = Math.min(BAR_WIDTH, Math.floor((BAR_WIDTH * current) / this.target));
      const done = '━'.repeat(filled);
      const todo = '━'.repeat(BAR_WIDTH - filled);
      bar += ' ' + (color ? `\x1b[32m${done}\x1b[0m\x1b[37m${todo}\x1b[0m` : done + (todo ? todo.replace(/━/g, '─') : ''));
    }
    const time = !finalize && this.target !== null ? formatEta(perStep * (this.target - current)) : `${elapsed.toFixed(0)}s`;
    const line = `${bar} ${time} ${formatTimePerStep(perStep)}${formatLogs(logs)}`;
    if (this.dynamic) {
      const visible = line.replace(/\x1b\[[0-9;]*m/g, '').length;
      const pad = this.prevWidth > visible ? ' '.repeat(this.prevWidth - visible) : '';
      this.prevWidth = visible;
      this.stream.write(`\r${line}${pad}${finalize ? '\n' : ''}`);
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  private counter(current: number): string {
    if (this.target === null) return `${String(current).padStart(7)}/Unknown`;
    const digits = String(this.target).length;
    return `${String(current).padStart(digits)}/${this.target}`;
  }
}
