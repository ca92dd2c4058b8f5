/**
 * BackupAndRestore (Keras 3 callbacks/backup_and_restore.py): backs up the training state in
 * `backupDir` at the end of each epoch (saveFreq 'epoch') or every saveFreq batches, and when fit
 * starts with a backup there, restores it so training continues where it stopped (Keras sets the
 * initial epoch; here the run continues at the batch). The backup is deleted when fit ends normally
 * (deleteCheckpoint true) and kept when it ends with an error, an interrupt or a kill.
 *
 * What is kept: the weights, the optimizer's state, the position (epoch, batch, the data order), the
 * epoch's running metrics, the dropout streams and the global seed generator, and the state of every
 * callback that has one (Callback.getState). A resumed run therefore trains exactly as the
 * uninterrupted one would have, to the same weights. The backup is verified before it is used (sizes,
 * SHA-256 of every file, ranges); a damaged one is refused with an error naming the file. Training
 * must resume with the same model, compile settings, data and fit arguments, as in Keras.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'path';
import { Callback, type CallbackState } from './callback';
import type { Logs } from '../logs';
import type { RunPosition, TrainingRun } from '../training_run';
import { BackupError, loadBackup, saveBackup, type LoadedBackup } from '../backup/backup_generation';
import { removeBackupFolder } from '../backup/backup_folder';
import { STATE_FILE, fileRecord, type BackupState } from '../backup/backup_manifest';
import { captureModelState, restoreModelState } from '../backup/model_state';
import { decodeNumbers, decodeState, encodeNumbers, encodeState, type Json } from '../backup/state_codec';
import { packTensors, unpackTensors } from '../backup/tensor_pack';

export interface BackupAndRestoreArgs {
  /** The folder of the backup (used by nothing else). */
  backupDir: string;
  /** 'epoch': back up after every epoch; a number n: after every n batches. Default 'epoch'. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup when fit ends normally. Default true. */
  deleteCheckpoint?: boolean;
  /** JSON saved with every backup and returned by readBackupInfo (e.g. the settings the run depends on). */
  metadata?: Record<string, unknown>;
}

/** What readBackupInfo tells about a backup without a model. */
export interface BackupInfo {
  /** The generation folder holding it. */
  generation: string;
  epoch: number;
  batch: number;
  savedAt: string;
  metadata: Record<string, unknown>;
}

/** The verified backup in `backupDir` (every file checked), or null when there is none. */
export function readBackupInfo(backupDir: string): BackupInfo | null {
  const backup = loadBackup(backupDir);
  if (backup === null) return null;
  const { position, savedAt, metadata } = backup.state;
  return { generation: backup.generation, epoch: position.epoch, batch: position.batch, savedAt, metadata };
}

/** Deletes the backup in `backupDir` (a no-op without one). */
export function deleteBackup(backupDir: string): void {
  removeBackupFolder(backupDir);
}

function className(c: Callback): string {
  return c.constructor.name;
}

export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  readonly metadata: Record<string, unknown>;
  /** Where the last fit resumed (null when it started from scratch). */
  resumedFrom: RunPosition | null = null;
  private batchesSinceSave = 0;

  constructor(args: BackupAndRestoreArgs) {
    super();
    if (typeof args?.backupDir !== 'string' || args.backupDir === '') throw new Error('BackupAndRestore: backupDir must be a non-empty folder path.');
    const freq = args.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isInteger(freq) && freq > 0)) throw new Error(`BackupAndRestore: saveFreq must be 'epoch' or a positive integer, got ${String(freq)}.`);
    this.backupDir = path.resolve(args.backupDir);
    this.saveFreq = freq;
    this.deleteCheckpoint = args.deleteCheckpoint ?? true;
    this.metadata = JSON.parse(JSON.stringify(args.metadata ?? {})) as Record<string, unknown>;
  }

  private currentRun(what: string): TrainingRun {
    if (this.run === null) throw new Error(`BackupAndRestore: ${what} works during fit only.`);
    return this.run;
  }

  /** The other callbacks of the run that have a state to keep, in hook order. */
  private statefulCallbacks(run: TrainingRun): { callback: Callback; state: CallbackState }[] {
    const out: { callback: Callback; state: CallbackState }[] = [];
    for (const callback of run.callbacks) {
      if (callback === this) continue;
      const state = callback.getState();
      if (state !== undefined) out.push({ callback, state });
    }
    return out;
  }

  override onTrainBegin(): void {
    this.batchesSinceSave = 0;
    this.resumedFrom = null;
    const run = this.currentRun('restoring');
    const backup = loadBackup(this.backupDir);
    if (backup === null) return;
    const where = path.join(backup.generation, STATE_FILE);
    try {
      this.resumedFrom = this.restoreRun(run, backup, where);
    } catch (e) {
      throw e instanceof BackupError ? e : new BackupError((e as Error).message);
    }
    // After every callback's onTrainBegin, which would otherwise reset what is restored here.
    run.afterCallbacks(() => this.restoreCallbackStates(run, backup, where));
  }

  /** Puts the model, the engine and the run where the backup stood. */
  private restoreRun(run: TrainingRun, backup: LoadedBackup, where: string): RunPosition {
    const { state, binaries } = backup;
    restoreModelState(
      this.model,
      {
        weights: { entries: state.files['weights.bin'].tensors, data: binaries['weights.bin'] },
        optimizer: { entries: state.files['optimizer.bin'].tensors, data: binaries['optimizer.bin'] },
        learningRate: state.learningRate,
        randomStreams: state.randomStreams,
        globalSeed: state.globalSeed,
      },
      where,
    );
    const position: RunPosition = { ...state.position, metrics: decodeNumbers(state.position.metrics, `${where}: state.position.metrics`) };
    run.resumeAt(position, where);
    return position;
  }

  private restoreCallbackStates(run: TrainingRun, backup: LoadedBackup, where: string): void {
    const saved = backup.state.callbacks;
    const current = this.statefulCallbacks(run);
    const names = (list: string[]) => (list.length === 0 ? 'none' : list.join(', '));
    const savedNames = saved.map((s) => s.className);
    const currentNames = current.map((c) => className(c.callback));
    if (savedNames.join('\n') !== currentNames.join('\n')) {
      throw new BackupError(`${where}: the backup holds the state of the callbacks ${names(savedNames)}, but this fit has ${names(currentNames)}; pass the same callbacks as the interrupted run.`);
    }
    const tensors = unpackTensors(backup.state.files['callbacks.bin'].tensors, backup.binaries['callbacks.bin']);
    const used = new Set<number>();
    try {
      current.forEach(({ callback }, i) => {
        const state = decodeState(saved[i].state, tensors, `${where}: state.callbacks[${i}].state`, used);
        if (state === null || typeof state !== 'object' || Array.isArray(state) || state instanceof tf.Tensor) {
          throw new BackupError(`${where}: state.callbacks[${i}].state must be an object.`);
        }
        try {
          callback.setState(state);
        } catch (e) {
          throw new BackupError(`${where}: ${(e as Error).message}`);
        }
      });
    } catch (e) {
      throw e instanceof BackupError ? e : new BackupError((e as Error).message);
    } finally {
      tf.dispose(tensors.filter((_, i) => !used.has(i)));
    }
  }

  override onTrainBatchEnd(): void {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      this.currentRun('saving').afterCallbacks(() => this.save());
    }
  }

  override onEpochEnd(_epoch: number, _logs: Logs): void {
    if (this.saveFreq === 'epoch') this.currentRun('saving').afterCallbacks(() => this.save());
  }

  override onTrainEnd(): void {
    if (this.deleteCheckpoint) deleteBackup(this.backupDir);
  }

  /** Backs up the run as it stands now (between two batches). Called by the schedule, or to save before stopping. */
  save(): void {
    const run = this.currentRun('save()');
    const position = run.position();
    const model = captureModelState(this.model);
    const tensors: tf.Tensor[] = [];
    const callbacks = this.statefulCallbacks(run).map(({ callback, state }, i) => ({
      className: className(callback),
      state: encodeState(state, tensors, `callback ${i} (${className(callback)}) state`) as Json,
    }));
    const callbackTensors = packTensors(tensors.map((_, i) => `callback_tensor_${i}`), tensors);
    const state: BackupState = {
      savedAt: new Date().toISOString(),
      position: { epoch: position.epoch, batch: position.batch, data: position.data, metrics: encodeNumbers(position.metrics) as unknown[][] },
      globalSeed: model.globalSeed,
      randomStreams: model.randomStreams,
      learningRate: model.learningRate,
      files: {
        'weights.bin': fileRecord(model.weights.data, model.weights.entries),
        'optimizer.bin': fileRecord(model.optimizer.data, model.optimizer.entries),
        'callbacks.bin': fileRecord(callbackTensors.data, callbackTensors.entries),
      },
      callbacks,
      metadata: this.metadata,
    };
    saveBackup(this.backupDir, state, { 'weights.bin': model.weights.data, 'optimizer.bin': model.optimizer.data, 'callbacks.bin': callbackTensors.data });
  }
}
