/**
 * Per-epoch averages of batch results weighted by batch size, as Keras reports them. Its state is
 * plain numbers so a checkpoint taken in the middle of an epoch resumes the same averages.
 */
export interface RunningMeanState {
  sums: Record<string, number>;
  count: number;
}

export class RunningMean {
  private sums: Record<string, number>;
  private count: number;

  constructor(state?: RunningMeanState) {
    this.sums = { ...(state?.sums ?? {}) };
    this.count = state?.count ?? 0;
  }

  add(values: Record<string, number>, weight: number): void {
    for (const [name, value] of Object.entries(values)) this.sums[name] = (this.sums[name] ?? 0) + value * weight;
    this.count += weight;
  }

  /** The mean of this and a later segment whose running means over `count` examples are `logs`. */
  combinedWith(logs: Record<string, number>, count: number): RunningMean {
    const combined = new RunningMean(this.state);
    combined.add(logs, count);
    return combined;
  }

  mean(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, sum] of Object.entries(this.sums)) out[name] = this.count > 0 ? sum / this.count : NaN;
    return out;
  }

  get state(): RunningMeanState {
    return { sums: { ...this.sums }, count: this.count };
  }
}
