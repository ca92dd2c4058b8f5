/** Wall-clock timing of the phases of an example, reported in its results. */
export class Stopwatch {
  private readonly started = Date.now();
  private last = this.started;
  readonly laps: Record<string, number> = {};

  /** Seconds since the previous lap (or the start), recorded under `name`. */
  lap(name: string): number {
    const now = Date.now();
    const seconds = (now - this.last) / 1000;
    this.laps[name] = (this.laps[name] ?? 0) + seconds;
    this.last = now;
    return seconds;
  }

  /** Seconds since the stopwatch was created. */
  get total(): number {
    return (Date.now() - this.started) / 1000;
  }
}
