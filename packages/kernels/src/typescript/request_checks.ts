/**
 * Checks shared by the requests to the TypeScript kernels (recurrent and convolution), worded as the
 * addon words its own.
 */

/** At most this many bytes of a name's UTF-8 text appear in an error message (native/napi_args.cc, kStringValueBytes). */
const SHOWN_NAME_BYTES = 63;

/**
 * A value as an error message quotes it: its text, or when that is longer than SHOWN_NAME_BYTES bytes in
 * UTF-8, its whole characters within them and '...' (the addon's rule), so a huge value cannot flood it.
 */
export function shownName(value: unknown): string {
  const text = String(value);
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes > SHOWN_NAME_BYTES) return `${text.slice(0, end)}...`;
    end += ch.length;
  }
  return text;
}

export function checkDim(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name}: expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

// The built-in getters, taken at load: later redefinitions of the properties do not reach them. They read
// the objects' internal slots, so they hold for arrays of any realm (the addon's, another vm context's) and
// cannot be fooled by a Symbol.toStringTag or a prototype set on some other object.
const typedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype) as object;
const typedArrayName = Object.getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!.get!;
const bufferOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'buffer')!.get!;
const byteOffsetOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'byteOffset')!.get!;
const byteLengthOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'byteLength')!.get!;
const resizableGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;

/**
 * True for a Float32Array from any realm. The typed arrays' own tag getter answers from the array's
 * internal slot (undefined for anything else) and costs a few nanoseconds, where Object.prototype.toString
 * took about 100 and followed a Symbol.toStringTag anyone can define. Called on every generation step.
 */
export function isFloat32Array(value: unknown): value is Float32Array {
  return typedArrayName.call(value) === 'Float32Array';
}

/**
 * What makes a typed array's memory unsafe for the addon: a SharedArrayBuffer (of any realm; ArrayBuffer's own
 * byteLength getter accepts every ArrayBuffer and throws for a shared one, so the common case costs no
 * exception) or a resizable ArrayBuffer; null for an ordinary one.
 */
function bufferHazard(value: Float32Array): 'shared' | 'resizable' | null {
  const buffer: unknown = bufferOf.call(value);
  try {
    arrayBufferByteLength.call(buffer);
  } catch {
    return 'shared';
  }
  return resizableGetter !== undefined && resizableGetter.call(buffer) === true ? 'resizable' : null;
}

/**
 * A Float32Array the native addon takes as it is: over an ArrayBuffer that is neither shared nor resizable
 * (the addon refuses the others; the JavaScript loops take them).
 */
export function isPlainFloat32Array(value: unknown): value is Float32Array {
  return isFloat32Array(value) && bufferHazard(value) === null;
}

/** Refuses arrays whose memory another thread could change during the call, or that could shrink
 * (same wording as the addon). */
function refuseUnsafeBuffer(name: string, value: Float32Array): void {
  const hazard = bufferHazard(value);
  if (hazard === 'shared') {
    throw new TypeError(`${name}: arrays over a SharedArrayBuffer are not accepted (another thread could change them during the call); copy the data into a new Float32Array`);
  }
  if (hazard === 'resizable') {
    throw new TypeError(`${name}: arrays over a resizable ArrayBuffer are not accepted (it could shrink during the call); copy the data into a new Float32Array`);
  }
}

/** A plain copy of the named fields of a request, each read exactly once. */
export function snapshot<T>(req: unknown, fields: readonly string[], fn: string): T {
  if (req === null || typeof req !== 'object') throw new TypeError(`${fn}: expected a request object`);
  const source = req as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const name of fields) copy[name] = source[name];
  return copy as T;
}

/** Checks that `value` is a Float32Array of the given shape (or null when allowed). Same wording as
 * the addon: "recurrentKernel: expected 256x1024 = 262144 floats, got 1000". */
export function checkArray(name: string, value: unknown, shape: number[], nullable: boolean): void {
  const expected = shape.reduce((a, b) => a * b, 1);
  const described = `${shape.join('x')} = ${expected}`;
  if (value === null || value === undefined) {
    if (nullable) return;
    throw new Error(`${name}: expected a Float32Array of ${described} floats, got ${String(value)}`);
  }
  if (!isFloat32Array(value)) {
    const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
    throw new Error(`${name}: expected a Float32Array of ${described} floats, got ${kind}`);
  }
  refuseUnsafeBuffer(name, value);
  if (value.length !== expected) {
    throw new Error(`${name}: expected ${described} floats, got ${value.length}`);
  }
}

export function checkFlag(name: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean`);
}

/** A positive integer (a window's size, stride or dilation). */
export function checkPositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name}: expected a positive integer, got ${String(value)}`);
  }
  return value;
}

/** True when two arrays share some memory (the same buffer, overlapping byte ranges). */
export function sharesMemory(a: Float32Array, b: Float32Array): boolean {
  if (bufferOf.call(a) !== bufferOf.call(b)) return false;
  const aStart = byteOffsetOf.call(a) as number, bStart = byteOffsetOf.call(b) as number;
  const aEnd = aStart + (byteLengthOf.call(a) as number), bEnd = bStart + (byteLengthOf.call(b) as number);
  return aStart < bEnd && bStart < aEnd;
}
