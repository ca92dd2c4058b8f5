/**
 * Learning-rate schedules (Keras 3 optimizers/schedules/learning_rate_schedule.py): functions of the
 * optimizer step (the number of updates already applied, starting at 0).
 */
import { shortText } from '../../config/describe_value';
import { didYouMean } from '../../data/nearest_name';

export abstract class LearningRateSchedule {
  static className: string;
  /** The learning rate for an update applied after `step` earlier updates. */
  abstract value(step: number): number;
  abstract getConfig(): Record<string, unknown>;
  get className(): string {
    return (this.constructor as typeof LearningRateSchedule).className;
  }
  serialize(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }
}

function positive(value: number, name: string, where: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`${where}: ${name} must be a positive number, got ${value}.`);
  return value;
}

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay at whole multiples of decaySteps only. */
  staircase?: boolean;
}

/** initialLearningRate * decayRate ^ (step / decaySteps), the exponent floored when staircase. */
export class ExponentialDecay extends LearningRateSchedule {
  static override className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  constructor(args: ExponentialDecayArgs) {
    super();
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = positive(args.decaySteps, 'decaySteps', 'ExponentialDecay');
    this.decayRate = args.decayRate;
    this.staircase = args.staircase ?? false;
  }
  value(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * Math.pow(this.decayRate, p);
  }
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

export interface PiecewiseConstantDecayArgs {
  /** Strictly increasing steps. */
  boundaries: number[];
  /** One more value than boundaries. */
  values: number[];
}

/** values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i], then the last value. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    if (args.boundaries.length !== args.values.length - 1) {
      throw new Error(
        `PiecewiseConstantDecay: the length of boundaries should be 1 less than the length of values; got ${args.boundaries.length} boundaries and ${args.values.length} values.`,
      );
    }
    for (let i = 1; i < args.boundaries.length; i++) {
      if (!(args.boundaries[i] > args.boundaries[i - 1])) throw new Error(`PiecewiseConstantDecay: boundaries must be strictly increasing, got [${args.boundaries}].`);
    }
    this.boundaries = [...args.boundaries];
    this.values = [...args.values];
  }
  value(step: number): number {
    for (let i = 0; i < this.boundaries.length; i++) {
      if (step <= this.boundaries[i]) return this.values[i];
    }
    return this.values[this.values.length - 1];
  }
  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Floor of the decay, as a fraction of the starting rate. */
  alpha?: number;
  /** With warmup: the rate rises linearly from initialLearningRate to warmupTarget over warmupSteps, then decays from it. */
  warmupTarget?: number | null;
  warmupSteps?: number;
}

/** Cosine decay from the starting rate to alpha times it over decaySteps, with an optional linear warmup. */
export class CosineDecay extends LearningRateSchedule {
  static override className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  constructor(args: CosineDecayArgs) {
    super();
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = positive(args.decaySteps, 'decaySteps', 'CosineDecay');
    this.alpha = args.alpha ?? 0;
    this.warmupTarget = args.warmupTarget ?? null;
    this.warmupSteps = args.warmupSteps ?? 0;
    if (this.warmupSteps < 0) throw new Error(`CosineDecay: warmupSteps must be >= 0, got ${this.warmupSteps}.`);
  }
  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }
  value(step: number): number {
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }
  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}

const SCHEDULES = new Map<string, new (args: never) => LearningRateSchedule>([
  ['ExponentialDecay', ExponentialDecay],
  ['PiecewiseConstantDecay', PiecewiseConstantDecay],
  ['CosineDecay', CosineDecay],
]);

/** Rebuilds a schedule from `{className, config}`. */
export function deserializeSchedule(spec: { className: string; config: Record<string, unknown> }): LearningRateSchedule {
  const cls = SCHEDULES.get(spec.className);
  if (!cls) throw new Error(`Unknown learning-rate schedule '${shortText(String(spec.className))}'${didYouMean(String(spec.className), [...SCHEDULES.keys()])}; known: ${[...SCHEDULES.keys()].join(', ')}.`);
  return new cls(spec.config as never);
}
