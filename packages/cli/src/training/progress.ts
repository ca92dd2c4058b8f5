/**
 * Training output. In a terminal: a Keras-style progress bar redrawn in place, then one line per
 * epoch. In a pipe or file: plain lines only (an "Epoch i/n" line and a summary line per epoch).
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${formatNumber(v)}`)
    .join(' - ');
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(4) : v.toFixed(4);
}

function formatDuration(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

export class ProgressReporter {
  private readonly interactive: boolean;
  private epochStartedAt = 0;
  private lastDraw = 0;
  private batches = 0;

  constructor(
    private readonly out: ProgressStream,
    interactive?: boolean,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.interactive = interactive ?? out.isTTY === true;
  }

  line(text: string): void {
    this.out.write(`${text}\n`);
  }

  epochBegin(epoch: number, epochs: number, batches: number, firstBatch = 0): void {
    this.batches = batches;
    this.epochStartedAt = this.now();
    this.lastDraw = 0;
    this.line(`Epoch ${epoch}/${epochs}${firstBatch > 0 ? ` (resuming at batch ${firstBatch + 1}/${batches})` : ''}`);
  }

  /** After each batch (1-based `done`), with the running averages. */
  batchEnd(done: number, logs: Record<string, number>): void {
    if (!this.interactive) return;
    const t = this.now();
    if (done < this.batches && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    const elapsed = (t - this.epochStartedAt) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.batches - done) : 0;
    const width = 30;
    const filled = Math.floor((width * done) / Math.max(1, this.batches));
    const bar = '='.repeat(Math.max(0, filled - (done < this.batches ? 1 : 0))) + (done < this.batches ? '>' : '') + '.'.repeat(width - filled);
    const counter = `${String(done).padStart(String(this.batches).length)}/${this.batches}`;
    const text = `${counter} [${bar}] - ETA: ${formatDuration(eta)} - ${formatLogs(logs)}`;
    const columns = this.out.columns ?? 120;
    this.out.write(`\r${text.slice(0, columns - 1).padEnd(Math.min(columns - 1, text.length + 8))}`);
  }

  epochEnd(done: number, logs: Record<string, number>, seconds: number): void {
    const perStep = done > 0 ? `${Math.round((seconds * 1000) / done)}ms/step` : '';
    if (this.interactive) {
      const counter = `${done}/${this.batches}`;
      this.out.write(`\r${counter} [${'='.repeat(30)}] - ${formatDuration(seconds)} ${perStep} - ${formatLogs(logs)}\x1b[K\n`);
    } else {
      this.line(`${done}/${this.batches} - ${seconds.toFixed(1)}s ${perStep} - ${formatLogs(logs)}`);
    }
  }
}
