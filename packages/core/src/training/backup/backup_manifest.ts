/**
 * state.json of a backup generation: where training stands, the callbacks' states, and for each binary
 * file its size, SHA-256 and tensor entries. The state carries its own SHA-256, and every number is
 * range-checked by the schema, so a damaged or edited file is refused with the place that is wrong.
 */
import { createHash } from 'crypto';
import { z } from 'zod';
import { entriesProblem } from './tensor_pack';
import { jsonSyntaxProblem } from '../../config/json_position';

export const STATE_FILE = 'state.json';
export const BINARY_FILES = ['weights.bin', 'optimizer.bin', 'callbacks.bin'] as const;
export type BinaryFile = (typeof BINARY_FILES)[number];

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const uint32 = z.number().int().min(0).max(0xffffffff);

const entrySchema = z.strictObject({
  name: z.string().max(10_000),
  shape: z.array(count).max(32),
  dtype: z.enum(['float32', 'int32']),
  offset: count,
  length: count,
});

const fileSchema = z.strictObject({
  bytes: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  tensors: z.array(entrySchema),
});

const positionSchema = z.strictObject({
  epoch: count,
  batch: count,
  data: z
    .strictObject({
      numSamples: count,
      batchSize: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      pass: z.strictObject({ seed: uint32.nullable(), batch: count }).nullable(),
    })
    .nullable(),
  /** Running metric state, encoded by state_codec.encodeNumbers. */
  metrics: z.array(z.array(z.unknown())),
});

const stateSchema = z.strictObject({
  savedAt: z.string(),
  position: positionSchema,
  globalSeed: uint32.nullable(),
  randomStreams: z.array(count),
  learningRate: z.number().min(0).nullable(),
  files: z.strictObject({ 'weights.bin': fileSchema, 'optimizer.bin': fileSchema, 'callbacks.bin': fileSchema }),
  callbacks: z.array(z.strictObject({ className: z.string(), state: z.unknown() })),
  metadata: z.record(z.string(), z.unknown()),
});

export type BackupState = z.infer<typeof stateSchema>;
export type FileRecord = z.infer<typeof fileSchema>;

const documentSchema = z.strictObject({
  format: z.literal('recurrent-backup'),
  version: z.literal(1),
  sha256: z.string(),
  state: z.unknown(),
});

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function fileRecord(data: Buffer, tensors: FileRecord['tensors']): FileRecord {
  return { bytes: data.length, sha256: sha256(data), tensors };
}

export function stateFileText(state: BackupState): string {
  const body = JSON.stringify(state);
  return `{"format":"recurrent-backup","version":1,"sha256":"${sha256(body)}","state":${body}}\n`;
}

function issuesText(error: z.ZodError, prefix: string): string {
  const shown = error.issues.slice(0, 5).map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`);
  const more = error.issues.length > shown.length ? `; and ${error.issues.length - shown.length} more` : '';
  return shown.join('; ') + more;
}

/** The verified state of a state.json's text; errors name `file` and what is wrong in it. */
export function parseStateFile(text: string, file: string): BackupState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON ${jsonSyntaxProblem(text, (e as Error).message)}: the backup was damaged.`);
  }
  const doc = documentSchema.safeParse(json);
  if (!doc.success) throw new Error(`${file} is not a recurrent backup (version 1): ${issuesText(doc.error, '')}`);
  if (sha256(JSON.stringify(doc.data.state)) !== doc.data.sha256) throw new Error(`${file}: the state does not match its SHA-256: the file was damaged or edited.`);
  const state = stateSchema.safeParse(doc.data.state);
  if (!state.success) throw new Error(`${file}: ${issuesText(state.error, 'state')}`);
  for (const name of BINARY_FILES) {
    const record = state.data.files[name];
    const problem = entriesProblem(record.tensors, record.bytes);
    if (problem !== null) throw new Error(`${file}: state.files.${name}: ${problem}.`);
  }
  return state.data;
}

/** Checks a binary file's bytes against its record. */
export function checkFile(data: Buffer, record: FileRecord, file: string): void {
  if (data.length !== record.bytes) throw new Error(`${file} has ${data.length} bytes, but the backup recorded ${record.bytes}: it was truncated or replaced.`);
  if (sha256(data) !== record.sha256) throw new Error(`${file} does not match its SHA-256 in ${STATE_FILE}: the file was damaged.`);
}
