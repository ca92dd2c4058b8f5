import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_DATASETS, DEFAULT_JSON_LIMITS, FileAccessError, didYouMean, jsonSyntaxProblem, readRegularFile } from '@recurrent/core';
import { ExperimentError, Issue } from '../errors';
import { DataSection, dataSchema } from './data_schema';
import { Experiment, experimentSchema, fitSectionSchema, generateSectionSchema } from './experiment_schema';
import { zodIssues } from './issue_paths';
import { modelSectionIssues } from './model_check';
import { camelizeKeys, spellPath } from './snake_keys';

/** A validated experiment with its location and its model JSON read. */
export interface LoadedExperiment {
  /** Absolute path of the experiment file. */
  file: string;
  /** Folder that relative paths in the experiment start from. */
  dir: string;
  experiment: Experiment;
  /** The model's Keras JSON (read from its file when `model` is a path). */
  modelJson: unknown;
  /** Where the model JSON came from, for messages. */
  modelSource: string;
  /** Key spellings of the file's sections, to name keys in messages as the file writes them. */
  spellings: Map<string, Map<string, string>>;
  /** Problems with the data source (a missing file, an unknown dataset) found while loading; the
   * data cannot be read, but the rest of the experiment can still be checked. */
  dataIssues: Issue[];
}

/** The same error with its JSON paths spelt as the experiment file spells its keys. */
export function respell(error: ExperimentError, spellings: ReadonlyMap<string, ReadonlyMap<string, string>>): ExperimentError {
  return new ExperimentError(error.file, error.issues.map((i) => ({ ...i, path: spellPath(i.path, spellings) })));
}

/** Largest experiment or model JSON file read (the model config reader's own limit). */
const MAX_JSON_FILE_BYTES = DEFAULT_JSON_LIMITS.maxLength;

/** Reads and parses a JSON file; failures are ExperimentErrors naming the file (and the line and column). */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readRegularFile(file, { maxBytes: MAX_JSON_FILE_BYTES, links: 'follow', what }).toString('utf8');
  } catch (e) {
    if (!(e instanceof FileAccessError)) throw e;
    const missing = e.missing;
    throw new ExperimentError(file, [
      {
        path: '',
        message: missing ? `${what} not found` : e.reason,
        fix: missing ? 'check the path, or create a starter with `recurrent init text-generation`' : undefined,
      },
    ]);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new ExperimentError(file, [
      { path: '', message: `not valid JSON ${jsonSyntaxProblem(body, (e as Error).message)}`, fix: 'fix the JSON syntax (a missing comma or quote, a trailing comma...)' },
    ]);
  }
}

/** Sections whose keys may be written in snake_case. */
const CAMELIZED_SECTIONS = ['data', 'fit', 'generate'];

/**
 * Reads an experiment file and validates it completely: the schema, the cross-field rules and the
 * existence of the files it names. All problems are reported together in one ExperimentError.
 */
export function loadExperiment(experimentFile: string): LoadedExperiment {
  const file = path.resolve(experimentFile);
  const dir = path.dirname(file);
  const raw = readJsonFile(file, 'experiment file');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ExperimentError(file, [{ path: '', message: 'an experiment must be a JSON object', fix: 'start from `recurrent init <template>`' }]);
  }
  const document: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const spellings = new Map<string, Map<string, string>>();
  for (const key of CAMELIZED_SECTIONS) {
    if (!(key in document)) continue;
    const { value, spelling } = camelizeKeys(document[key]);
    document[key] = key === 'fit' ? camelizeCallbacks(value) : value;
    spellings.set(key, spelling);
  }
  const fail = (issues: Issue[]) => respell(new ExperimentError(file, dedupe(issues)), spellings);
  const parsed = experimentSchema.safeParse(document);
  const issues: Issue[] = parsed.success ? [] : zodIssues(
        parsed.error,
        [],
        (at) => knownKeysAt(at, document),
        (at, key) => (at.length === 1 ? (spellings.get(String(at[0]))?.get(key) ?? key) : key),
      );
  if (!parsed.success) {
    // The schema stops at the first wrong level of a union; still check what can be checked: the data
    // source, and the model (a typo in the data section must not hide one in a layer).
    const data = (document as { data?: unknown }).data;
    if (data !== null && typeof data === 'object') issues.push(...sourceIssues(data as Partial<DataSection>, dir, issues));
    const model = document.model;
    if (!issues.some((i) => i.path === 'model' || i.path.startsWith('model.')) && (typeof model === 'string' || (model !== null && typeof model === 'object'))) {
      const section = readModelSection(model, dir, file, issues);
      if (section.ok) issues.push(...modelSectionIssues(section.json, section.source, typeof model !== 'string'));
    }
    throw fail(issues);
  }
  const experiment = parsed.data;
  applyFitValidationSplit(experiment, issues);
  const dataIssues = sourceIssues(experiment.data, dir, issues);
  issues.push(...fieldIssues(experiment));
  if (experiment.generate !== undefined && experiment.data.kind !== 'text') {
    issues.push({ path: 'generate', message: `sampling needs text data, but data.kind is '${experiment.data.kind}'`, fix: 'remove the generate section' });
  }
  const section = readModelSection(experiment.model, dir, file, issues);
  if (issues.length > 0) {
    if (section.ok) issues.push(...modelSectionIssues(section.json, section.source, typeof experiment.model !== 'string'));
    throw fail([...issues, ...dataIssues]);
  }
  return { file, dir, experiment, modelJson: section.json, modelSource: section.source, spellings, dataIssues };
}

/** The model's JSON, inline or read from its file (relative to the experiment); problems go to `issues`. */
function readModelSection(model: unknown, dir: string, file: string, issues: Issue[]): { ok: boolean; json: unknown; source: string } {
  if (typeof model !== 'string') return { ok: true, json: model, source: `${file} (model)` };
  const modelFile = path.resolve(dir, model);
  if (!fs.existsSync(modelFile)) {
    issues.push({ path: 'model', message: `model file not found: ${modelFile}`, fix: 'give the path of a Keras model JSON file (relative to the experiment file), or write the model inline' });
    return { ok: false, json: null, source: modelFile };
  }
  try {
    return { ok: true, json: readJsonFile(modelFile, 'model file'), source: modelFile };
  } catch (e) {
    if (!(e instanceof ExperimentError)) throw e;
    issues.push(...e.issues.map((i) => ({ ...i, path: 'model', message: `${modelFile}: ${i.message}` })));
    return { ok: false, json: null, source: modelFile };
  }
}

/** Path xor dataset; the dataset exists and can be read as the kind needs; the file exists. */
function sourceIssues(data: Partial<DataSection>, dir: string, already: Issue[]): Issue[] {
  const issues: Issue[] = [];
  const hasPath = typeof data.path === 'string';
  const hasDataset = typeof data.dataset === 'string';
  if (hasPath === hasDataset) {
    issues.push({ path: 'data', message: hasPath ? 'give either path or dataset, not both' : 'no data source', fix: 'set data.path to a file, or data.dataset to a bundled dataset name' });
    return issues;
  }
  if (hasPath && !already.some((i) => i.path === 'data.path')) {
    const file = path.resolve(dir, data.path as string);
    if (!fs.existsSync(file)) issues.push({ path: 'data.path', message: `data file not found: ${file}`, fix: 'check the path (relative to the experiment file) or use a bundled dataset with data.dataset' });
    else if (fs.statSync(file).isDirectory()) issues.push({ path: 'data.path', message: `${file} is a directory`, fix: 'give the path of a data file' });
  }
  if (hasDataset) {
    const info = BUNDLED_DATASETS.find((d) => d.name === data.dataset);
    if (info === undefined) {
      const names = BUNDLED_DATASETS.map((d) => d.name);
      issues.push({ path: 'data.dataset', message: `unknown bundled dataset '${data.dataset}'${didYouMean(data.dataset as string, names)}`, fix: `use one of: ${names.join(', ')}` });
    } else {
      const needed = data.kind === 'text' ? 'text' : data.kind === 'timeseries' ? 'table' : 'records';
      if (data.kind !== undefined && !info.provides.includes(needed)) {
        issues.push({ path: 'data.dataset', message: `'${info.name}' has no ${needed} form for data of kind '${data.kind}'`, fix: `it provides ${info.provides.join(', ')}; pick a matching kind or another dataset` });
      }
    }
  }
  return issues;
}

/** Rules between fields that the schema cannot express. */
function fieldIssues(experiment: Experiment): Issue[] {
  const data = experiment.data;
  const issues: Issue[] = [];
  if (data.kind === 'classification' || data.kind === 'tagging') {
    if ((data.textField === undefined) === (data.tokensField === undefined)) {
      issues.push({ path: 'data', message: 'give exactly one of textField and tokensField', fix: 'textField for raw text, tokensField for a list of tokens' });
    }
  }
  if (data.kind === 'timeseries' && data.targets !== undefined && data.targets.length === 0) {
    issues.push({ path: 'data.targets', message: 'no target columns' });
  }
  return issues;
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The keys the schema allows at a path of the document (for "did you mean" hints). */
function knownKeysAt(at: PropertyKey[], document: Record<string, unknown>): string[] {
  if (at.length === 0) return Object.keys(experimentSchema.shape);
  if (at.length !== 1) return [];
  if (at[0] === 'fit') return Object.keys(fitSectionSchema.shape);
  if (at[0] === 'generate') return Object.keys(generateSectionSchema.shape);
  if (at[0] === 'data') {
    const kind = (document.data as { kind?: unknown } | undefined)?.kind;
    const option = dataSchema.options.find((o) => o.shape.kind.value === kind);
    return option === undefined ? [] : Object.keys(option.shape);
  }
  return [];
}

/** fit.validation_split is Keras's: the last part of the examples, before any shuffling. */
function applyFitValidationSplit(experiment: Experiment, issues: Issue[]): void {
  const split = experiment.fit.validationSplit;
  if (split === undefined) return;
  if (experiment.data.validationSplit > 0) {
    issues.push({ path: 'fit.validationSplit', message: 'validation_split is set in both fit and data', fix: 'keep one of them' });
    return;
  }
  experiment.data.validationSplit = split;
  experiment.data.shuffleBeforeSplit = false;
}

/** fit.callbacks entries are written like Keras's: {"class_name": ..., "config": {...}}. */
function camelizeCallbacks(fit: unknown): unknown {
  if (fit === null || typeof fit !== 'object' || !Array.isArray((fit as { callbacks?: unknown }).callbacks)) return fit;
  const callbacks = (fit as { callbacks: unknown[] }).callbacks.map((c) => camelizeKeys(c).value);
  return { ...(fit as object), callbacks };
}
