/**
 * The library's one memory limit: what a model may be estimated to need before it is refused (core's
 * memory estimate), and what one native kernel call may allocate for its results and scratch (the
 * addon checks it before allocating). RECURRENT_MEMORY_LIMIT sets it for a process, setMemoryLimit()
 * in code; the default is the machine's total memory.
 */
import * as os from 'os';
import { SettingError } from './setting_error';

const UNITS = new Map<string, number>([
  ['', 1], ['b', 1], ['kb', 1e3], ['mb', 1e6], ['gb', 1e9], ['tb', 1e12], ['kib', 2 ** 10], ['mib', 2 ** 20], ['gib', 2 ** 30], ['tib', 2 ** 40],
]);

/** "64GB", "512 MiB", "1e10" -> bytes; "none" -> Infinity; undefined when not a size. */
export function parseByteSize(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'none' || trimmed === 'off') return Infinity;
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)$/.exec(trimmed);
  const unit = match ? UNITS.get(match[2]) : undefined;
  if (!match || unit === undefined) return undefined;
  return Number(match[1]) * unit;
}

/** The environment variable that sets the limit for every model of a process: a size, or "none". */
export const MEMORY_LIMIT_VARIABLE = 'RECURRENT_MEMORY_LIMIT';

let limitSetInCode: number | undefined;
const listeners: ((bytes: number) => void)[] = [];

/** The limit in force and where it comes from; a malformed RECURRENT_MEMORY_LIMIT is a SettingError. */
export function memoryLimit(): { bytes: number; source: string } {
  if (limitSetInCode !== undefined) return { bytes: limitSetInCode, source: 'the limit set with setMemoryLimit()' };
  const fromEnv = process.env[MEMORY_LIMIT_VARIABLE];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const bytes = parseByteSize(fromEnv);
    if (bytes === undefined) throw new SettingError(`${MEMORY_LIMIT_VARIABLE}='${fromEnv.slice(0, 40)}' is not a size; use a size such as 64GB or 512MiB, or none`);
    return { bytes, source: `${MEMORY_LIMIT_VARIABLE}` };
  }
  return { bytes: os.totalmem(), source: "this machine's memory" };
}

/** The limit for whoever enforces it (the native addon, the cache of packed step weights): a malformed
 * variable leaves the default. */
export function limitToEnforce(): number {
  try {
    return memoryLimit().bytes;
  } catch (e) {
    if (e instanceof SettingError) return os.totalmem(); // reported where a model is checked
    throw e;
  }
}

/**
 * Sets the limit (bytes; Infinity for none; undefined to go back to RECURRENT_MEMORY_LIMIT or the
 * machine's memory).
 */
export function setMemoryLimit(bytes: number | undefined): void {
  if (bytes !== undefined && !(bytes > 0)) throw new Error(`setMemoryLimit: expected a positive number of bytes (or Infinity), got ${bytes}.`);
  limitSetInCode = bytes;
  const enforced = limitToEnforce();
  for (const listener of listeners) listener(enforced);
}

/** Calls `enforce` with the limit now and whenever it changes (the native addon registers here when it loads). */
export function enforceMemoryLimit(enforce: (bytes: number) => void): void {
  listeners.push(enforce);
  enforce(limitToEnforce());
}
