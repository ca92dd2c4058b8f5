/**
 * ModelCheckpoint (Keras 3 callbacks/model_checkpoint.py): saves the model (or its weights) at the end
 * of each epoch, or only when the monitored value improves. The path may contain {epoch} and log
 * values ('ckpt/epoch{epoch:02d}-{val_loss:.3f}').
 *
 * The write is atomic at the level of the checkpoint. The default saver, saveModel, replaces a model
 * folder (saving/model_folder.ts) or a .keras file (saving/atomic_write.ts) in one step by itself. A custom saver writes to a fresh temporary path
 * beside the target, which then replaces the target by rename, so a crash never leaves a half-written
 * checkpoint under the final name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { MonitorCallback, type MonitorMode } from './monitor_callback';
import type { CallbackState } from './callback';
import { jsonField } from './state_fields';
import { formatFilepath } from './format_filepath';
import type { Logs } from '../logs';
import type { ModelLike } from '../model_like';
import { kerasFileKind } from '../../saving/keras/keras_format';

/** Writes `model` (or only its weights) to `target` (a file or directory path that does not exist yet). */
export type CheckpointSaver = (model: ModelLike, target: string, opts: { weightsOnly: boolean }) => void | Promise<void>;

export interface ModelCheckpointArgs {
  filepath: string;
  monitor?: string;
  verbose?: number;
  saveBestOnly?: boolean;
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** Only save when the value beats this (with saveBestOnly). */
  initialValueThreshold?: number | null;
  /**
   * How to write. The default is saveModel (saving/save_model.ts): a full checkpoint includes the
   * optimizer state, so training resumes exactly; a weights-only checkpoint leaves it out (the
   * TensorFlow.js format always stores the topology beside the weights).
   */
  saver?: CheckpointSaver;
  print?: (line: string) => void;
}

/**
 * saveModel, loaded on first use: the saving module itself depends on the training code. A folder keeps
 * the optimizer state of a full checkpoint; a .keras archive has no place for it (Keras keeps its own).
 */
const saveWithSaveModel: CheckpointSaver = async (model, target, opts) => {
  const { saveModel } = await import('../../saving/save_model');
  const includeOptimizer = !opts.weightsOnly && kerasFileKind(target) === null;
  await saveModel(model as unknown as Parameters<typeof saveModel>[0], target, { includeOptimizer });
};

let defaultSaver: CheckpointSaver = saveWithSaveModel;

/** Replaces the saver used by checkpoints created without one (null restores saveModel). */
export function setDefaultCheckpointSaver(saver: CheckpointSaver | null): void {
  defaultSaver = saver ?? saveWithSaveModel;
}

export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  /** Paths written, in order. */
  readonly saved: string[] = [];
  private readonly saver: CheckpointSaver | undefined;
  private readonly print: (line: string) => void;

  constructor(args: ModelCheckpointArgs) {
    super('ModelCheckpoint', args.monitor ?? 'val_loss', args.mode ?? 'auto', 0, args.initialValueThreshold ?? null);
    if (typeof args.filepath !== 'string' || args.filepath === '') throw new Error('ModelCheckpoint: filepath must be a non-empty string.');
    this.filepath = args.filepath;
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.saver = args.saver;
    this.print = args.print ?? ((line) => console.log(line));
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const target = formatFilepath(this.filepath, epoch, logs);
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        this.monitored(logs, 'ModelCheckpoint (saveBestOnly)');
      } else {
        const bestText = this.best === null ? 'None' : this.best.toFixed(5);
        if (!this.isImprovement(current, this.best)) {
          if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
          return;
        }
        if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${current.toFixed(5)}, saving model to ${target}`);
        this.best = current;
      }
    } else if (this.verbose > 0) {
      this.print(`Epoch ${epoch + 1}: saving model to ${target}`);
    }
    await this.write(target);
  }

  override getState(): CallbackState {
    return { ...super.getState(), saved: [...this.saved] };
  }

  override setState(state: CallbackState): void {
    super.setState(state);
    const saved = jsonField<string[]>(state, 'saved', 'ModelCheckpoint', 'a list of paths', (v) => Array.isArray(v) && v.every((p) => typeof p === 'string'));
    this.saved.splice(0, this.saved.length, ...saved);
  }

  private async write(target: string): Promise<void> {
    const saver = this.saver ?? defaultSaver;
    if (saver === saveWithSaveModel) {
      await saver(this.model, path.resolve(target), { weightsOnly: this.saveWeightsOnly });
      this.saved.push(target);
      return;
    }
    const dir = path.dirname(path.resolve(target));
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await saver(this.model, tmp, { weightsOnly: this.saveWeightsOnly });
      replaceAtomically(tmp, path.resolve(target));
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    this.saved.push(target);
  }
}

/**
 * Moves `tmp` to `target`. A file is renamed over the old one (atomic). A directory cannot be renamed
 * over a non-empty one, so the old directory is first moved aside and removed after the swap.
 */
function replaceAtomically(tmp: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(tmp, target);
    return;
  }
  if (!fs.statSync(tmp).isDirectory() && !fs.statSync(target).isDirectory()) {
    fs.renameSync(tmp, target);
    return;
  }
  const old = `${target}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.renameSync(target, old);
  fs.renameSync(tmp, target);
  fs.rmSync(old, { recursive: true, force: true });
}
