/**
 * Saving a model folder as one atomic step. model.json names every other file of its save (the weights
 * manifest and the integrity record), so it is the commit point: a save writes its files under names the
 * committed model.json does not use, flushes them, and then replaces model.json by one rename. Until that
 * rename the folder holds the previous save, whole; after it, the new one. A kill at any point therefore
 * leaves a folder that loads as the old model or as the new one, for any reader (TensorFlow.js included).
 *
 * The files end under their usual names (weights.bin, optimizer.json, optimizer.bin): when the committed
 * model.json already uses those, the save writes weights.next.bin and friends, commits, then moves the
 * files to the usual names (a hard link, or a copy, renamed over the old file that nothing uses any more)
 * and commits a second model.json naming them. Leftovers of a killed save (files no model.json names,
 * temporaries) are removed by the next save.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isTemporaryOf, replaceFile, temporaryPath, writeAndSync } from './atomic_write';
import { artifactFiles, FINAL_NAMES, GENERATION_FILE_NAMES, MODEL_JSON, STAGING_NAMES, type EncodedArtifacts, type GenerationNames } from './saved_artifacts';
import { DEFAULT_READ_LIMITS, INTEGRITY_KEY, readJsonFile } from './read_model_files';

/** Every name a save writes under: its temporaries (`.<name>.tmp-<tag>`) are ours to remove. */
const OUR_NAMES: readonly string[] = [MODEL_JSON, ...GENERATION_FILE_NAMES];

/** The file names the folder's committed model.json refers to (none when it is missing or unreadable). */
function namesInUse(dir: string): Set<string> {
  const used = new Set<string>();
  let json: Record<string, unknown>;
  try {
    json = readJsonFile(path.join(dir, MODEL_JSON), DEFAULT_READ_LIMITS, 'refuse');
  } catch {
    return used;
  }
  const doc = json as { weightsManifest?: unknown; [INTEGRITY_KEY]?: unknown };
  if (Array.isArray(doc.weightsManifest)) {
    for (const group of doc.weightsManifest) {
      const paths = (group as { paths?: unknown } | null)?.paths;
      if (Array.isArray(paths)) for (const p of paths) if (typeof p === 'string') used.add(p.replace(/^\.\//, ''));
    }
  }
  const integrity = doc[INTEGRITY_KEY];
  if (integrity !== null && typeof integrity === 'object') for (const name of Object.keys(integrity)) used.add(name);
  return used;
}

/** Removes our temporaries and those of our generation files that `used` does not name. */
function removeUnused(dir: string, used: ReadonlySet<string>): void {
  for (const name of fs.readdirSync(dir)) {
    if (isTemporaryOf(name, OUR_NAMES) || (GENERATION_FILE_NAMES.includes(name) && !used.has(name))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Puts the bytes of `from` under `to` by one rename: a hard link to them, or a flushed copy where links fail. */
function replaceWithCopyOf(dir: string, from: string, to: string): void {
  const temp = temporaryPath(dir, to);
  try {
    fs.linkSync(path.join(dir, from), temp);
  } catch {
    // Hard links are not available everywhere (some network and FAT file systems): copy instead.
    fs.copyFileSync(path.join(dir, from), temp, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(temp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fs.renameSync(temp, path.join(dir, to));
}

/** Writes the data files of a save under `names`, then commits its model.json. */
function writeGeneration(dir: string, encoded: EncodedArtifacts, names: GenerationNames): void {
  const files = artifactFiles(encoded, names);
  const modelJson = files.pop()!;
  for (const file of files) writeAndSync(path.join(dir, file.name), file.data);
  replaceFile(dir, MODEL_JSON, modelJson.data);
}

/** Checks that `dir` can hold a model: a folder (created if missing) whose model.json, if any, is a file. */
function prepareFolder(dir: string): void {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat !== undefined && !stat.isDirectory()) throw new Error(`saveModel: cannot save into ${dir}: it is a file, not a folder; choose a folder path`);
  fs.mkdirSync(dir, { recursive: true });
  const current = fs.lstatSync(path.join(dir, MODEL_JSON), { throwIfNoEntry: false });
  if (current !== undefined && !current.isFile()) {
    throw new Error(`saveModel: cannot save into ${dir}: its ${MODEL_JSON} is not a regular file (a folder, a link or a device); remove it first`);
  }
}

/** Saves `encoded` into `dir` as one atomic step (see the top of this file). */
export function commitModelFolder(dir: string, encoded: EncodedArtifacts): void {
  prepareFolder(dir);
  const used = namesInUse(dir);
  removeUnused(dir, used);
  const inUse = (names: GenerationNames) => [names.weights, names.optimizerJson, names.optimizerBin].some((n) => used.has(n));
  if (!inUse(FINAL_NAMES)) {
    writeGeneration(dir, encoded, FINAL_NAMES);
  } else {
    if (inUse(STAGING_NAMES)) {
      throw new Error(`saveModel: cannot save into ${dir} without overwriting files its ${MODEL_JSON} uses (it names both ${FINAL_NAMES.weights} and ${STAGING_NAMES.weights}); save into an empty folder`);
    }
    writeGeneration(dir, encoded, STAGING_NAMES);
    // Committed under the staging names: the final names are no longer used and can take the new files.
    const finalFiles = artifactFiles(encoded, FINAL_NAMES);
    const modelJson = finalFiles.pop()!;
    for (const file of finalFiles) {
      const staged = file.name === FINAL_NAMES.optimizerJson ? undefined : file.name === FINAL_NAMES.weights ? STAGING_NAMES.weights : STAGING_NAMES.optimizerBin;
      if (staged === undefined) {
        // optimizer.json names its binary file, so its final version differs from the staged one.
        const temp = temporaryPath(dir, file.name);
        writeAndSync(temp, file.data);
        fs.renameSync(temp, path.join(dir, file.name));
      } else {
        replaceWithCopyOf(dir, staged, file.name);
      }
    }
    replaceFile(dir, MODEL_JSON, modelJson.data);
  }
  removeUnused(dir, namesInUse(dir));
}
