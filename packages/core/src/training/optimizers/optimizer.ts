/**
 * The optimizer base: learning rate (a number or a schedule of the step), the iteration counter,
 * gradient clipping, decoupled weight decay, and per-variable slot variables (momenta, velocities)
 * whose values can be exported and imported for exact resumption.
 *
 * Keras 3 order of an update (base_optimizer.py): clip the gradients, apply weight decay
 * (v -= v * weightDecay * lr), run the optimizer's update rule, then count the iteration. Weight
 * constraints are applied afterwards by the training step.
 *
 * The update rules are written here rather than taken from tfjs-core's optimizers: those have no
 * clipping or weight decay, and their Adam puts epsilon inside the bias correction differently from
 * Keras; writing all rules on one base keeps the state layout uniform for saving.
 *
 * Each rule is written once, as `fusedRule`: one loop over Float32Arrays that does clipping, weight
 * decay and the rule in a single pass (fused_rule.ts), on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { storedFloat32, tensorOwning } from '@recurrent/kernels';
import { LearningRateSchedule, deserializeSchedule } from './schedules';
import { arrayClipping, validateClipOptions, type ClipOptions } from './clipping';
import type { FusedRule, FusedSlots } from './fused_rule';

export type LearningRate = number | LearningRateSchedule;

export interface OptimizerArgs extends ClipOptions {
  learningRate?: LearningRate;
  /** Decoupled weight decay applied before each update (AdamW's default is 0.004). */
  weightDecay?: number | null;
  name?: string;
}

/** Slot variables of one kind ('momentum', 'velocity', ...), one per model variable, in build order. */
interface SlotGroup {
  names: string[];
  initialValue: number;
}

export abstract class Optimizer {
  static className: string;
  readonly name: string;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  weightDecay: number | null;
  /** Number of updates applied so far. */
  iterations = 0;

  private lr: LearningRate;
  private built = false;
  private variableIndex = new Map<number, number>();
  private variableNames: string[] = [];
  private rawVariableNames: string[] = [];
  /** slots[kind][variableIndex] */
  private slots = new Map<string, tf.Variable[]>();
  private slotOrder: string[] = [];
  private pendingWeights: tf.Tensor[] | null = null;
  /** The names the pending state was saved under, to save it again under the same names. */
  private pendingNames: string[] | null = null;
  private excludedFromDecay: RegExp | null = null;

  constructor(defaultName: string, defaultLearningRate: number, args: OptimizerArgs) {
    this.name = args.name ?? defaultName;
    validateClipOptions(args, this.constructor.name);
    this.clipnorm = args.clipnorm ?? null;
    this.clipvalue = args.clipvalue ?? null;
    this.globalClipnorm = args.globalClipnorm ?? null;
    this.weightDecay = args.weightDecay ?? null;
    const lr = args.learningRate ?? defaultLearningRate;
    if (!(lr instanceof LearningRateSchedule) && !(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0)) {
      throw new Error(`${this.constructor.name}: learningRate must be a non-negative number or a LearningRateSchedule, got ${String(lr)}.`);
    }
    this.lr = lr;
  }

  /** The learning rate of the next update (a schedule is evaluated at the current iteration). */
  get learningRate(): number {
    return this.lr instanceof LearningRateSchedule ? this.lr.value(this.iterations) : this.lr;
  }

  set learningRate(value: LearningRate) {
    if (value instanceof LearningRateSchedule) {
      this.lr = value;
      return;
    }
    if (this.lr instanceof LearningRateSchedule) {
      throw new Error(
        `${this.constructor.name}: this optimizer was created with a LearningRateSchedule, so its learning rate cannot be set to a number. ` +
          'Create the optimizer with a number as learningRate to make it settable.',
      );
    }
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new Error(`${this.constructor.name}: learningRate must be a non-negative number, got ${String(value)}.`);
    }
    this.lr = value;
  }

  /** The schedule, when the learning rate is one. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.lr instanceof LearningRateSchedule ? this.lr : null;
  }

  /** Variables whose name matches one of these patterns get no weight decay (e.g. ['bias']). */
  excludeFromWeightDecay(varNames: string[]): void {
    this.excludedFromDecay = varNames.length === 0 ? null : new RegExp(varNames.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  }

  /** Slot kinds per variable, grouped as Keras creates them (a group interleaves its kinds per variable). */
  protected abstract slotGroups(): SlotGroup[];

  /** The update rule over arrays for the coming update, its hyperparameters (and step) bound. */
  protected abstract fusedRule(): FusedRule;

  /** Slot variables kept per model variable (Adam: 2, plain SGD: 0), for memory estimates. */
  slotsPerWeight(): number {
    return this.slotGroups().reduce((n, group) => n + group.names.length, 0);
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** Creates the slot variables for these model variables (done automatically by the first update). */
  build(variables: readonly tf.Variable[], names?: readonly string[]): void {
    if (this.built) return;
    variables.forEach((v, i) => this.variableIndex.set(v.id, i));
    this.rawVariableNames = variables.map((v, i) => names?.[i] ?? v.name);
    this.variableNames = this.rawVariableNames.map((n) => n.replace(/\//g, '_'));
    for (const group of this.slotGroups()) {
      for (const kind of group.names) {
        this.slots.set(kind, []);
        this.slotOrder.push(kind);
      }
      for (const v of variables) {
        for (const kind of group.names) {
          this.slots.get(kind)!.push(tf.tidy(() => tf.variable(tf.fill(v.shape, group.initialValue, 'float32'), false)));
        }
      }
    }
    this.built = true;
    if (this.pendingWeights !== null) {
      const pending = this.pendingWeights;
      this.pendingWeights = null;
      this.pendingNames = null;
      try {
        this.setWeights(pending);
      } finally {
        tf.dispose(pending);
      }
    }
  }

  /**
   * Applies one update. `gradients[i]` belongs to `variables[i]`; a null gradient (a variable the loss
   * does not depend on) leaves that variable unchanged.
   */
  applyGradients(gradients: readonly (tf.Tensor | null)[], variables: readonly tf.Variable[], names?: readonly string[]): void {
    if (gradients.length !== variables.length) {
      throw new Error(`${this.constructor.name}.applyGradients: ${gradients.length} gradients for ${variables.length} variables.`);
    }
    if (!this.built) this.build(variables, names);
    const indices = variables.map((v) => {
      const index = this.variableIndex.get(v.id);
      if (index === undefined) {
        throw new Error(
          `${this.constructor.name}: variable '${v.name}' is not one this optimizer was built for. ` +
            'The set of trainable weights changed after the first update: compile the model again to get a fresh optimizer.',
        );
      }
      return index;
    });
    this.checkGradients(gradients, variables);
    this.applyRule(this.fusedRule(), gradients, variables, indices, this.learningRate);
    this.iterations += 1;
  }

  /** Each gradient has its variable's shape, and the variables are float32 (the rules store float32). */
  private checkGradients(gradients: readonly (tf.Tensor | null)[], variables: readonly tf.Variable[]): void {
    gradients.forEach((g, i) => {
      const v = variables[i];
      if (g === null) return;
      if (v.dtype !== 'float32') {
        throw new Error(`${this.constructor.name}: variable '${v.name}' has dtype ${v.dtype}; optimizers update float32 variables only.`);
      }
      if (!tf.util.arraysEqual(g.shape, v.shape)) {
        throw new Error(`${this.constructor.name}: the gradient of variable '${v.name}' has shape [${g.shape}], the variable [${v.shape}]; they must match.`);
      }
    });
  }

  /**
   * One update through `rule`: clipping from the gradients' arrays, then per variable one pass that
   * writes fresh arrays for the weights and slots, which replace the variables' values. On 'cpu' the
   * arrays dataSync returns are the backend's own storage, so they are only read.
   */
  private applyRule(rule: FusedRule, gradients: readonly (tf.Tensor | null)[], variables: readonly tf.Variable[], indices: readonly number[], lr: number): void {
    const gradientArrays = gradients.map((g) => (g === null ? null : float32Data(g)));
    const { scales, clipValue } = arrayClipping(gradientArrays, this);
    const decaying = this.weightDecay !== null && this.weightDecay !== 0;
    gradientArrays.forEach((gradient, i) => {
      if (gradient === null) return;
      const v = variables[i];
      const slotVariables = this.slotOrder.map((kind) => this.slots.get(kind)![indices[i]]);
      const slotArrays: FusedSlots = {};
      this.slotOrder.forEach((kind, k) => (slotArrays[kind] = float32Data(slotVariables[k])));
      const decay = decaying && this.usesWeightDecay(indices[i]) ? this.weightDecay! * lr : 0;
      const result = rule({ gradient, weights: float32Data(v), gradientScale: scales[i], clipValue, decay, learningRate: lr }, slotArrays);
      assignArray(v, result.weights);
      this.slotOrder.forEach((kind, k) => {
        const values = Object.hasOwn(result.slots, kind) ? result.slots[kind] : undefined;
        if (values === undefined) throw new Error(`${this.constructor.name}: the fused update rule returned no '${kind}' slot values.`);
        assignArray(slotVariables[k], values);
      });
    });
  }

  private usesWeightDecay(index: number): boolean {
    return this.excludedFromDecay === null || !this.excludedFromDecay.test(this.rawVariableNames[index]);
  }

  /** Whether the learning rate is a plain number, stored with the weights as Keras stores its variable. */
  private get storesLearningRate(): boolean {
    return !(this.lr instanceof LearningRateSchedule);
  }

  /**
   * The optimizer state in Keras order: iteration, learning rate (unless a schedule), then the slot
   * variables. New tensors; the caller disposes them.
   */
  getWeights(): tf.Tensor[] {
    // Restored but not built yet: the state is the one restored (saving it again must not drop the slots).
    if (!this.built && this.pendingWeights !== null) return this.pendingWeights.map((v) => v.clone());
    const out: tf.Tensor[] = [tf.scalar(this.iterations, 'int32')];
    if (this.storesLearningRate) out.push(tf.scalar(this.learningRate, 'float32'));
    for (const v of this.orderedSlots()) out.push(v.clone());
    return out;
  }

  /** Names matching getWeights(), e.g. 'adam/iteration', 'adam/dense_kernel_momentum'. */
  getWeightNames(): string[] {
    if (!this.built && this.pendingWeights !== null && this.pendingNames !== null) return [...this.pendingNames];
    const names = [`${this.name}/iteration`];
    if (this.storesLearningRate) names.push(`${this.name}/learning_rate`);
    for (const group of this.slotGroups()) {
      this.variableNames.forEach((varName) => {
        for (const kind of group.names) names.push(`${this.name}/${varName}_${kind}`);
      });
    }
    return names;
  }

  /**
   * Restores a state produced by getWeights(). Before the first update (the optimizer not built yet),
   * the iteration count and learning rate are set at once and the slot values are applied when it is
   * built; the caller keeps ownership of `values`.
   */
  setWeights(values: readonly tf.Tensor[], names?: readonly string[]): void {
    if (!this.built) {
      // The counter and the learning rate apply at once; the slots wait for the variables they belong to.
      if (values.length < 1 + (this.storesLearningRate ? 1 : 0)) {
        throw new Error(`${this.constructor.name}.setWeights: expected at least the iteration${this.storesLearningRate ? ' and learning rate' : ''}, got ${values.length} tensors.`);
      }
      this.iterations = Math.round(values[0].dataSync()[0]);
      if (this.storesLearningRate) {
        // Stored as float32: keep the exact configured rate when the stored one is its rounding.
        const stored = values[1].dataSync()[0];
        if (typeof this.lr !== 'number' || Math.fround(this.lr) !== stored) this.lr = stored;
      }
      if (this.pendingWeights !== null) tf.dispose(this.pendingWeights);
      this.pendingWeights = values.map((v) => v.clone());
      this.pendingNames = names?.length === values.length ? [...names] : null;
      return;
    }
    const slots = this.orderedSlots();
    const expected = 1 + (this.storesLearningRate ? 1 : 0) + slots.length;
    if (values.length !== expected) {
      throw new Error(
        `${this.constructor.name}.setWeights: expected ${expected} tensors (iteration${this.storesLearningRate ? ', learning rate' : ''} and ${slots.length} slot variables), got ${values.length}.`,
      );
    }
    slots.forEach((v, i) => {
      const value = values[i + expected - slots.length];
      if (!tf.util.arraysEqual(v.shape, value.shape)) {
        throw new Error(`${this.constructor.name}.setWeights: optimizer variable ${i} has shape [${v.shape}], got [${value.shape}].`);
      }
    });
    this.iterations = Math.round(values[0].dataSync()[0]);
    if (this.storesLearningRate) {
      // The state holds the rate as float32: keep the exact configured rate when the stored one is its rounding.
      const stored = values[1].dataSync()[0];
      if (typeof this.lr !== 'number' || Math.fround(this.lr) !== stored) this.lr = stored;
    }
    // tidy: the cast copies would otherwise outlive the assignment.
    tf.tidy(() => slots.forEach((v, i) => v.assign(values[i + expected - slots.length].cast('float32'))));
  }

  private orderedSlots(): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (const group of this.slotGroups()) {
      const n = this.variableNames.length;
      for (let i = 0; i < n; i++) for (const kind of group.names) out.push(this.slots.get(kind)![i]);
    }
    return out;
  }

  /** Constructor arguments (camelCase). */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learningRate: this.lr instanceof LearningRateSchedule ? this.lr.serialize() : this.lr,
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      globalClipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
    };
  }

  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  serialize(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const vars of this.slots.values()) for (const v of vars) v.dispose();
    this.slots.clear();
    this.slotOrder = [];
    this.variableIndex.clear();
    this.variableNames = [];
    this.rawVariableNames = [];
    this.built = false;
    if (this.pendingWeights !== null) tf.dispose(this.pendingWeights);
    this.pendingWeights = null;
    this.pendingNames = null;
  }
}

/** A tensor's values as float32; on 'cpu' the stored array itself, which must not be written. */
/** The values the update reads (on 'cpu' the backend's own array: only read, and not kept past the update). */
function float32Data(t: tf.Tensor): Float32Array {
  return storedFloat32(t);
}

/**
 * Replaces a variable's value by a tensor over `values` (no copy on 'cpu'). The update keeps no reference
 * to them, so when a later update replaces them in turn the native addon may take their memory back.
 */
function assignArray(v: tf.Variable, values: Float32Array): void {
  const t = tensorOwning(values, v.shape);
  v.assign(t);
  t.dispose();
}

/** Turns a serialized learning rate back into a number or schedule. */
export function learningRateFromConfig(value: unknown): LearningRate | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && typeof (value as { className?: unknown }).className === 'string') {
    return deserializeSchedule(value as { className: string; config: Record<string, unknown> });
  }
  throw new Error(`Optimizer config: learningRate must be a number or {className, config} of a schedule, got ${JSON.stringify(value)}.`);
}
