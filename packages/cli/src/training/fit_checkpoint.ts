/**
 * The checkpoint of `recurrent fit`: a BackupAndRestore backup in <out>/checkpoint, written after every
 * epoch and on Ctrl-C, kept until the final save is complete (so `--resume` after a kill during the
 * final save finishes it), and tagged with the run's seed and a fingerprint of the settings that must
 * not change between a run and its resumption.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BackupAndRestore, BackupError, type BackupInfo, deleteBackup, readBackupInfo } from '@recurrent/core';
import { UsageError } from '../errors';
import { Experiment } from '../experiment/experiment_schema';

export const CHECKPOINT_DIR = 'checkpoint';

export function checkpointDir(outDir: string): string {
  return path.join(outDir, CHECKPOINT_DIR);
}

/** What must not change between a run and its resumption. */
export function fingerprintOf(experiment: Experiment, modelJson: unknown, seed: number): string {
  const { data, compile, fit } = experiment;
  const relevant = { data, compile, modelJson, seed, batchSize: fit.batchSize, shuffle: fit.shuffle, stepsPerEpoch: fit.stepsPerEpoch };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

export interface ResumeFlags {
  resume?: boolean;
  overwrite?: boolean;
  seed?: number;
}

/**
 * The checkpoint a run continues (null: it starts afresh). Without --resume an existing checkpoint is
 * refused (or removed with --overwrite); with it, the checkpoint must exist and pass verification.
 */
export function checkpointToResume(outDir: string, flags: ResumeFlags): BackupInfo | null {
  const dir = checkpointDir(outDir);
  if (!flags.resume) {
    if (fs.existsSync(dir)) {
      if (!flags.overwrite) throw new UsageError(`${dir} holds an interrupted run`, 'pass --resume to continue it, or --overwrite to start again');
      deleteBackup(dir);
    }
    return null;
  }
  let info: BackupInfo | null;
  try {
    info = readBackupInfo(dir);
  } catch (e) {
    if (e instanceof BackupError) throw new UsageError(`the checkpoint cannot be used: ${e.message}`, 'start again with --overwrite');
    throw e;
  }
  if (info === null && fs.existsSync(dir)) throw new UsageError(`${dir} holds no complete checkpoint (an incomplete one, or one of an older version)`, 'start again with --overwrite');
  if (info === null) throw new UsageError(`nothing to resume: ${outDir} has no checkpoint`, 'run without --resume to start training');
  const seed = info.metadata.seed;
  if (typeof seed !== 'number') throw new UsageError(`${info.generation} records no seed`, 'start again with --overwrite');
  if (flags.seed !== undefined && flags.seed !== seed) throw new UsageError(`--seed ${flags.seed} differs from the checkpoint's seed ${seed}`, 'resume without --seed');
  return info;
}

/** Refuses a resumption whose settings changed, or whose checkpoint is beyond --epochs. */
export function checkResumable(info: BackupInfo, fingerprint: string, epochs: number): void {
  if (info.metadata.fingerprint !== fingerprint) {
    throw new UsageError(
      `the experiment changed since the checkpoint in ${info.generation} (data, model, compile, batch size or shuffling)`,
      'resume with the same settings (only --epochs may change), or start again with --overwrite',
    );
  }
  if (info.epoch > epochs || (info.epoch === epochs && info.batch > 0)) {
    throw new UsageError(`the checkpoint is at epoch ${info.epoch}, beyond --epochs ${epochs}`, 'pass a larger --epochs to train further');
  }
}

/** The backup callback of a run. */
export function checkpointCallback(outDir: string, seed: number, fingerprint: string): BackupAndRestore {
  return new BackupAndRestore({ backupDir: checkpointDir(outDir), saveFreq: 'epoch', deleteCheckpoint: false, metadata: { seed, fingerprint } });
}
