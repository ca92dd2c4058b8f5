/**
 * The element loops of the float32 binary kernels. Each writes `n` consecutive outputs from `a` and
 * `b`, stepping through an input (step 1) or repeating one of its elements (step 0, a broadcast).
 *
 * Each operation has its own hand-written loop on purpose: tfjs's generic kernels call the operation
 * through one shared loop, a call site that sees every operation and so never inlines any of them.
 * The arithmetic is the same as tfjs's (JavaScript doubles from the stored float32 values, rounded
 * once when stored), so results are equal bit for bit; Maximum and Minimum use Math.max/Math.min as
 * tfjs does, so NaN and signed zeros come out the same.
 */
export type Run<In, Out> = (
  out: Out, o: number, n: number,
  a: In, ia: number, aStep: number,
  b: In, ib: number, bStep: number,
) => void;

export type BinaryRun = Run<Float32Array, Float32Array>;

function addRun(out: Float32Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] + b[ib++];
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x + b[ib++]; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] + y; }
}

function subRun(out: Float32Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] - b[ib++];
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x - b[ib++]; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] - y; }
}

function multiplyRun(out: Float32Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] * b[ib++];
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x * b[ib++]; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] * y; }
}

function realDivRun(out: Float32Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] / b[ib++];
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x / b[ib++]; }
  // Dividing by the repeated element, not multiplying by its reciprocal: that could round differently.
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] / y; }
}

function maximumRun(out: Float32Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = Math.max(a[ia++], b[ib++]);
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = Math.max(x, b[ib++]); }
  else { const y = b[ib]; for (; o < end; o++) out[o] = Math.max(a[ia++], y); }
}

function minimumRun(out: Float32Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = Math.min(a[ia++], b[ib++]);
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = Math.min(x, b[ib++]); }
  else { const y = b[ib]; for (; o < end; o++) out[o] = Math.min(a[ia++], y); }
}

function squaredDifferenceRun(out: Float32Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  let d: number;
  if (aStep === bStep) for (; o < end; o++) { d = a[ia++] - b[ib++]; out[o] = d * d; }
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) { d = x - b[ib++]; out[o] = d * d; } }
  else { const y = b[ib]; for (; o < end; o++) { d = a[ia++] - y; out[o] = d * d; } }
}

/** Kernel name (as tfjs spells it) to its loop. */
export const BINARY_RUNS: Readonly<Record<string, BinaryRun>> = {
  Add: addRun,
  Sub: subRun,
  Multiply: multiplyRun,
  RealDiv: realDivRun,
  Maximum: maximumRun,
  Minimum: minimumRun,
  SquaredDifference: squaredDifferenceRun,
};
