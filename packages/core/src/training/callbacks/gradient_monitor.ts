/**
 * GradientMonitor: makes vanishing and exploding gradients visible. Each training step it records the
 * global gradient norm and the norm per layer (computed before clipping, so the true gradient is
 * seen), and, for every recurrent layer running the fused kernel, the norm of dLoss/dh_t at each
 * timestep as reported by the kernel's backward pass (tagged with the layer name). Timestep norms are
 * in processing order: for a goBackwards layer, index 0 is the last input step.
 *
 *   const monitor = new GradientMonitor();
 *   await model.fit(x, y, { callbacks: [monitor] });
 *   monitor.records[0].globalNorm; monitor.timestepNorms['lstm'][0]  // number[] over t
 *   monitor.writeJSON('gradients.json');
 */
import * as fs from 'fs';
import * as path from 'path';
import { addBackwardListener, type BackwardEvent } from '@recurrent/kernels';
import { Callback, type CallbackState, type GradientInfo, type StateValue } from './callback';
import { jsonField, numberField } from './state_fields';

export interface GradientRecord {
  /** Training step counted from the start of fit (0-based). */
  step: number;
  epoch: number;
  batch: number;
  globalNorm: number;
  /** Layer name -> L2 norm of the gradients of that layer's trainable weights. */
  layerNorms: Record<string, number>;
}

export interface GradientMonitorArgs {
  /** Record every n-th step (default 1: every step). */
  every?: number;
  /** Record per-timestep dLoss/dh norms of recurrent layers (default true). */
  timesteps?: boolean;
  /** Subscription to the kernels' backward events; a test seam (defaults to addBackwardListener). */
  subscribe?: (listener: (e: BackwardEvent) => void) => () => void;
}

export class GradientMonitor extends Callback {
  override wantsGradients = true;
  readonly every: number;
  readonly recordTimesteps: boolean;
  /** One record per recorded step. */
  readonly records: GradientRecord[] = [];
  /** Layer name -> one array of per-timestep ||dLoss/dh_t|| per recorded step. */
  readonly timestepNorms: Record<string, number[][]> = {};
  /** The step each row of timestepNorms[layer] belongs to. */
  readonly timestepSteps: Record<string, number[]> = {};

  private readonly subscribe: (listener: (e: BackwardEvent) => void) => () => void;
  private unsubscribe: (() => void) | null = null;
  private pending: BackwardEvent[] = [];
  private layerOf = new Map<string, string>();
  private epoch = 0;
  private step = 0;

  constructor(args: GradientMonitorArgs = {}) {
    super();
    this.every = args.every ?? 1;
    if (!(Number.isInteger(this.every) && this.every > 0)) throw new Error(`GradientMonitor: every must be a positive integer, got ${this.every}.`);
    this.recordTimesteps = args.timesteps ?? true;
    this.subscribe = args.subscribe ?? addBackwardListener;
  }

  override onTrainBegin(): void {
    this.layerOf = new Map();
    for (const layer of this.model.layers) for (const w of layer.trainableWeights) this.layerOf.set(w.name, layer.name);
    this.pending = [];
    if (this.recordTimesteps && this.unsubscribe === null) {
      this.unsubscribe = this.subscribe((e) => this.pending.push({ tag: e.tag, cell: e.cell, dhNorms: Float32Array.from(e.dhNorms) }));
    }
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onTrainBatchBegin(): void {
    // Backward events of anything before this step (another model, a validation pass) are not ours.
    this.pending = [];
  }

  override onTrainBatchGradients(batch: number, info: GradientInfo): void {
    const step = this.step++;
    const events = this.pending;
    this.pending = [];
    if (step % this.every !== 0) return;
    const squares: Record<string, number> = {};
    info.variableNames.forEach((name, i) => {
      const layer = this.layerOf.get(name) ?? name.split('/')[0];
      squares[layer] = (squares[layer] ?? 0) + info.norms[i] * info.norms[i];
    });
    const layerNorms: Record<string, number> = {};
    for (const [layer, s] of Object.entries(squares)) layerNorms[layer] = Math.sqrt(s);
    this.records.push({ step, epoch: this.epoch, batch, globalNorm: info.globalNorm, layerNorms });
    for (const e of events) {
      (this.timestepNorms[e.tag] ??= []).push(Array.from(e.dhNorms));
      (this.timestepSteps[e.tag] ??= []).push(step);
    }
  }

  override onTrainEnd(): void {
    this.onTrainAborted();
  }

  override onTrainAborted(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pending = [];
  }

  override getState(): CallbackState {
    return { step: this.step, ...(structuredClone(this.toJSON()) as unknown as CallbackState) };
  }

  override setState(state: CallbackState): void {
    const isObject = (v: StateValue) => v !== null && typeof v === 'object' && !Array.isArray(v);
    this.step = numberField(state, 'step', 'GradientMonitor');
    const records = jsonField<GradientRecord[]>(state, 'records', 'GradientMonitor', 'a list of records', (v) => Array.isArray(v) && v.every(isObject));
    this.records.splice(0, this.records.length, ...records);
    for (const key of ['timestepNorms', 'timestepSteps'] as const) {
      const target = this[key] as Record<string, unknown>;
      for (const name of Object.keys(target)) delete target[name];
      const saved = jsonField<Record<string, unknown>>(state, key, 'GradientMonitor', 'an object by layer', isObject);
      for (const [name, value] of Object.entries(saved)) Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
    }
  }

  /** Global norm per recorded step, for plotting. */
  get globalNorms(): number[] {
    return this.records.map((r) => r.globalNorm);
  }

  /** One layer's norm per recorded step (NaN where the layer had no gradient). */
  layerNorms(layerName: string): number[] {
    return this.records.map((r) => r.layerNorms[layerName] ?? NaN);
  }

  toJSON(): { records: GradientRecord[]; timestepNorms: Record<string, number[][]>; timestepSteps: Record<string, number[]> } {
    return { records: this.records, timestepNorms: this.timestepNorms, timestepSteps: this.timestepSteps };
  }

  /** Writes the records as JSON (via a temporary file renamed into place). */
  writeJSON(file: string): void {
    const target = path.resolve(file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(this.toJSON()));
    fs.renameSync(tmp, target);
  }
}
