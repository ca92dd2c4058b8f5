/**
 * Walks two broadcast operands as a sequence of contiguous output runs, so a binary kernel does
 * per-run bookkeeping instead of tfjs's per-element index arithmetic (which allocates arrays).
 *
 * Output dimensions of size 1 are dropped, and neighbouring dimensions in which each operand is
 * either present or broadcast alike are merged: [128,60] with [128,1] becomes a 128 x 60 walk whose
 * runs of 60 repeat one element of the second operand; [b,t,n] with [n] becomes (b*t) runs of n.
 */
import type { Run } from './binary_runs';

/**
 * The broadcast shape of two shapes (numpy rules, as tfjs's), or null when they are incompatible.
 */
export function broadcastShape(aShape: readonly number[], bShape: readonly number[]): number[] | null {
  const rank = Math.max(aShape.length, bShape.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const a = i < rank - aShape.length ? 1 : aShape[i - (rank - aShape.length)];
    const b = i < rank - bShape.length ? 1 : bShape[i - (rank - bShape.length)];
    if (a === b || b === 1) out[i] = a;
    else if (a === 1) out[i] = b;
    else return null;
  }
  return out;
}

/** The merged walk: dimension sizes (outermost first) and each operand's element stride in them (0 = broadcast). */
export interface BroadcastWalk {
  dims: number[];
  aStrides: number[];
  bStrides: number[];
}

/** Plans the walk for operands of these shapes into `outShape` (their broadcast shape). */
export function planBroadcastWalk(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): BroadcastWalk {
  const rank = outShape.length;
  const dims: number[] = [];
  const aPresent: boolean[] = [];
  const bPresent: boolean[] = [];
  for (let i = 0; i < rank; i++) {
    const size = outShape[i];
    if (size === 1) continue;
    const aDim = i < rank - aShape.length ? 1 : aShape[i - (rank - aShape.length)];
    const bDim = i < rank - bShape.length ? 1 : bShape[i - (rank - bShape.length)];
    const ap = aDim !== 1, bp = bDim !== 1;
    const last = dims.length - 1;
    if (last >= 0 && aPresent[last] === ap && bPresent[last] === bp) {
      dims[last] *= size;
    } else {
      dims.push(size);
      aPresent.push(ap);
      bPresent.push(bp);
    }
  }
  const aStrides = new Array<number>(dims.length);
  const bStrides = new Array<number>(dims.length);
  let aStride = 1, bStride = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    aStrides[d] = aPresent[d] ? aStride : 0;
    bStrides[d] = bPresent[d] ? bStride : 0;
    if (aPresent[d]) aStride *= dims[d];
    if (bPresent[d]) bStride *= dims[d];
  }
  return { dims, aStrides, bStrides };
}

/** Fills `out` (the broadcast result, `out.length` elements) by running `run` over the walk. */
export function runBroadcastWalk<In, Out extends { length: number }>(walk: BroadcastWalk, run: Run<In, Out>, a: In, b: In, out: Out): void {
  const { dims, aStrides, bStrides } = walk;
  const size = out.length;
  if (size === 0) return;
  const rank = dims.length;
  if (rank === 0) {
    run(out, 0, 1, a, 0, 1, b, 0, 1); // every dimension is 1: one element each
    return;
  }
  const n = dims[rank - 1];
  const aStep = aStrides[rank - 1], bStep = bStrides[rank - 1];
  if (rank === 1) {
    run(out, 0, n, a, 0, aStep, b, 0, bStep);
    return;
  }
  if (rank === 2) {
    // The common broadcasts ([m,n] with [n], with [m,1], and [m,1] with [1,n]) need no counters.
    const aOuter = aStrides[0], bOuter = bStrides[0];
    let ia = 0, ib = 0;
    for (let o = 0; o < size; o += n) {
      run(out, o, n, a, ia, aStep, b, ib, bStep);
      ia += aOuter;
      ib += bOuter;
    }
    return;
  }
  // Counters over the outer dimensions, innermost last; offsets move by strides, rewinding on wrap.
  const counters = new Array<number>(rank - 1).fill(0);
  let ia = 0, ib = 0;
  for (let o = 0; o < size; o += n) {
    run(out, o, n, a, ia, aStep, b, ib, bStep);
    for (let d = rank - 2; d >= 0; d--) {
      ia += aStrides[d];
      ib += bStrides[d];
      if (++counters[d] < dims[d]) break;
      ia -= aStrides[d] * dims[d];
      ib -= bStrides[d] * dims[d];
      counters[d] = 0;
    }
  }
}
