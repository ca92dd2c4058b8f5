import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors';
import { History } from '../report/history';
import { RunningMeanState } from './running_mean';
import { TrainingModel } from './training_model';

export const CHECKPOINT_DIR = 'checkpoint';

/** Where training stands: resuming from it repeats nothing and skips nothing. */
export interface TrainingPosition {
  /** 0-based epoch to run next (or in progress when batch > 0). */
  epoch: number;
  /** 0-based batch of that epoch to run next. */
  batch: number;
  /** Running averages of the epoch in progress (batch > 0). */
  partial: RunningMeanState | null;
  history: History;
  /** States of the fit callbacks (EarlyStopping patience, best values...). */
  callbacks?: Record<string, unknown>[];
  /** The engine's global seed state at the checkpoint (informational: the loop reseeds it before
   * every batch from the run seed, the epoch and the batch). */
  rngState: number | null;
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

export interface CheckpointState extends TrainingPosition {
  format: 'recurrent-checkpoint';
  version: 1;
  seed: number;
  /** Fingerprint of the settings that must not change between a run and its resumption. */
  fingerprint: string;
  savedAt: string;
  /** The optimizer's learning rate as a double (null for a schedule). */
  learningRate: number | null;
  /** Draw counts of the model's dropout streams. */
  randomStreams: number[];
  weights: TensorEntry[];
  optimizer: TensorEntry[];
}

function packTensors(names: string[], tensors: tf.Tensor[]): { entries: TensorEntry[]; buffer: Buffer } {
  const entries: TensorEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  tensors.forEach((t, i) => {
    const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
    const data = t.dtype === dtype ? t.dataSync() : t.cast(dtype).dataSync();
    const bytes = Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    entries.push({ name: names[i] ?? `tensor_${i}`, shape: t.shape, dtype, offset, length: bytes.length });
    chunks.push(bytes);
    offset += bytes.length;
  });
  return { entries, buffer: Buffer.concat(chunks) };
}

function unpackTensors(entries: TensorEntry[], buffer: Buffer): tf.Tensor[] {
  return entries.map((e) => {
    const copy = new Uint8Array(e.length);
    copy.set(buffer.subarray(e.offset, e.offset + e.length));
    const values = e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    return tf.tensor(values, e.shape, e.dtype);
  });
}

/**
 * Writes model weights, optimizer state and the training position into <out>/checkpoint. The new
 * checkpoint is written beside the old one and swapped in by renames, so an interruption while
 * writing leaves the previous checkpoint usable.
 */
export function writeCheckpoint(outDir: string, model: TrainingModel, position: TrainingPosition, seed: number, fingerprint: string): string {
  const final = path.join(outDir, CHECKPOINT_DIR);
  const temporary = `${final}.tmp-${process.pid}`;
  const previous = `${final}.old`;
  fs.rmSync(temporary, { recursive: true, force: true });
  fs.mkdirSync(temporary, { recursive: true });
  const weights = model.getWeights();
  const optimizer = model.getOptimizerWeights();
  try {
    const packedWeights = packTensors(weights.map((_, i) => `weight_${i}`), weights);
    const packedOptimizer = packTensors(optimizer.names, optimizer.values);
    fs.writeFileSync(path.join(temporary, 'weights.bin'), packedWeights.buffer);
    fs.writeFileSync(path.join(temporary, 'optimizer.bin'), packedOptimizer.buffer);
    const state: CheckpointState = {
      format: 'recurrent-checkpoint',
      version: 1,
      ...position,
      seed,
      fingerprint,
      savedAt: new Date().toISOString(),
      weights: packedWeights.entries,
      optimizer: packedOptimizer.entries,
      learningRate: model.getLearningRate(),
      randomStreams: model.getRandomState(),
    };
    fs.writeFileSync(path.join(temporary, 'state.json'), JSON.stringify(state, null, 1) + '\n');
  } finally {
    tf.dispose([...weights, ...optimizer.values]);
  }
  fs.rmSync(previous, { recursive: true, force: true });
  if (fs.existsSync(final)) fs.renameSync(final, previous);
  fs.renameSync(temporary, final);
  fs.rmSync(previous, { recursive: true, force: true });
  return final;
}

/** The checkpoint folder to resume from: <out>/checkpoint, or the previous one if a swap was cut short. */
export function findCheckpoint(outDir: string): string | null {
  for (const candidate of [path.join(outDir, CHECKPOINT_DIR), path.join(outDir, `${CHECKPOINT_DIR}.old`)]) {
    if (fs.existsSync(path.join(candidate, 'state.json'))) return candidate;
  }
  return null;
}

export function readCheckpointState(dir: string): CheckpointState {
  const file = path.join(dir, 'state.json');
  let state: CheckpointState;
  try {
    state = JSON.parse(fs.readFileSync(file, 'utf8')) as CheckpointState;
  } catch (e) {
    throw new UsageError(`cannot read the checkpoint ${file}: ${(e as Error).message}`, 'start again without --resume');
  }
  if (state.format !== 'recurrent-checkpoint' || state.version !== 1) {
    throw new UsageError(`${file} is not a recurrent checkpoint (version 1)`, 'start again without --resume');
  }
  return state;
}

/** Puts the checkpoint's weights and optimizer state into the (freshly built and compiled) model. */
export function restoreCheckpoint(dir: string, state: CheckpointState, model: TrainingModel): void {
  const weights = unpackTensors(state.weights, fs.readFileSync(path.join(dir, 'weights.bin')));
  const optimizer = unpackTensors(state.optimizer, fs.readFileSync(path.join(dir, 'optimizer.bin')));
  try {
    model.setWeights(weights);
    model.setOptimizerWeights(optimizer);
    if (state.learningRate !== null) model.setLearningRate(state.learningRate);
    model.setRandomState(state.randomStreams);
  } finally {
    tf.dispose([...weights, ...optimizer]);
  }
}

export function removeCheckpoint(outDir: string): void {
  fs.rmSync(path.join(outDir, CHECKPOINT_DIR), { recursive: true, force: true });
  fs.rmSync(path.join(outDir, `${CHECKPOINT_DIR}.old`), { recursive: true, force: true });
}
