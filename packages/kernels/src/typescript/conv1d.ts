/** The fused 1-D convolution of conv1d_spec.ts as plain Float32Array loops, with the addon's checks. */
import {
  CONV1D_BACKWARD_FIELDS, CONV1D_FORWARD_FIELDS, conv1dSteps, type Conv1DBackwardRequest, type Conv1DBackwardResult,
  type Conv1DDims, type Conv1DForwardRequest, type Conv1DImplementation,
} from '../conv1d_spec';
import { checkArray, checkDim, checkFlag, checkPositive, snapshot } from './request_checks';

/** Output steps of a checked request (same wording as the addon when the window does not fit). */
function checkDims(req: Conv1DDims & { x: unknown; kernel: unknown }): number {
  const B = checkDim('batch', req.batch);
  const L = checkDim('length', req.length);
  const C = checkDim('channels', req.channels);
  const F = checkDim('filters', req.filters);
  const K = checkPositive('kernelSize', req.kernelSize);
  const S = checkPositive('stride', req.stride);
  const D = checkPositive('dilation', req.dilation);
  const steps = conv1dSteps(L, K, S, D);
  if (steps < 0) {
    throw new Error(`length: the input has ${L} steps, fewer than the ${D * (K - 1) + 1} one window of kernelSize ${K} and dilation ${D} covers; pad it or use a smaller window`);
  }
  if (!Number.isSafeInteger(B * L * C) || !Number.isSafeInteger(K * C * F) || !Number.isSafeInteger(B * steps * F)) {
    throw new Error(`x: shape ${B}x${L}x${C} with a ${K}x${C}x${F} kernel is too large`);
  }
  checkArray('x', req.x, [B, L, C], false);
  checkArray('kernel', req.kernel, [K, C, F], false);
  return steps;
}

/** Whether the activation is relu (same wording as the addon for anything but 'linear' and 'relu'). */
function isRelu(activation: unknown): boolean {
  if (activation !== 'linear' && activation !== 'relu') throw new Error(`activation: expected 'linear' or 'relu', got '${String(activation)}'`);
  return activation === 'relu';
}

/** y [rows, F] += bias, then max(0, y) with NaN kept, in place (tfjs's Add and Relu, value for value). */
function biasAndActivation(y: Float32Array, F: number, bias: Float32Array | null, relu: boolean): void {
  for (let i = 0; i < y.length; i += F) {
    for (let f = 0; f < F; f++) {
      let v = bias === null ? y[i + f] : y[i + f] + bias[f];
      if (relu) v = v > 0 || v !== v ? v : 0;
      y[i + f] = v;
    }
  }
}

/** relu's gradient masked by its output: dy where y > 0, NaN where y is NaN, dy * 0 elsewhere (tfjs's dy * step(x)). */
function reluOutputGradient(dy: Float32Array, y: Float32Array): Float32Array {
  const dz = new Float32Array(dy.length);
  for (let i = 0; i < dy.length; i++) dz[i] = y[i] > 0 ? dy[i] : y[i] !== y[i] ? NaN : dy[i] * 0;
  return dz;
}

// tfjs's cpu matrix product sums the depth in blocks of this many terms.
const TFJS_DEPTH_BLOCK = 48;

/** ones[1, rows] · dz [rows, F] rounded as tfjs's matrix product: float64 sums over blocks of 48 rows, each added to the float32 result. */
function biasGradient(dz: Float32Array, F: number): Float32Array {
  const rows = F === 0 ? 0 : dz.length / F;
  const dBias = new Float32Array(F);
  const block = new Float64Array(F);
  for (let r0 = 0; r0 < rows; r0 += TFJS_DEPTH_BLOCK) {
    block.fill(0);
    const r1 = Math.min(rows, r0 + TFJS_DEPTH_BLOCK);
    for (let r = r0; r < r1; r++) for (let f = 0; f < F; f++) block[f] += dz[r * F + f];
    for (let f = 0; f < F; f++) dBias[f] += block[f];
  }
  return dBias;
}

function forward(request: Conv1DForwardRequest): Float32Array {
  const req = snapshot<Conv1DForwardRequest>(request, CONV1D_FORWARD_FIELDS, 'conv1dForward');
  const T = checkDims(req);
  checkArray('bias', req.bias, [req.filters], true);
  const relu = isRelu(req.activation);
  const { batch: B, length: L, channels: C, filters: F, kernelSize: K, stride: S, dilation: D, x, kernel } = req;
  const y = new Float32Array(B * T * F);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const yo = (b * T + t) * F;
      for (let j = 0; j < K; j++) {
        const xo = (b * L + t * S + j * D) * C;
        for (let c = 0; c < C; c++) {
          const v = x[xo + c];
          const ko = (j * C + c) * F;
          for (let f = 0; f < F; f++) y[yo + f] += v * kernel[ko + f];
        }
      }
    }
  }
  if (req.bias !== null || relu) biasAndActivation(y, F, req.bias, relu);
  return y;
}

function backward(request: Conv1DBackwardRequest): Conv1DBackwardResult {
  const req = snapshot<Conv1DBackwardRequest>(request, CONV1D_BACKWARD_FIELDS, 'conv1dBackward');
  const T = checkDims(req);
  const { batch: B, length: L, channels: C, filters: F, kernelSize: K, stride: S, dilation: D, x, kernel } = req;
  const relu = isRelu(req.activation);
  checkArray('dy', req.dy, [B, T, F], false);
  checkFlag('computeInputGradient', req.computeInputGradient);
  checkFlag('computeBiasGradient', req.computeBiasGradient);
  checkArray('y', req.y, [B, T, F], !relu);
  const wantDx = req.computeInputGradient !== false;
  // The gradient of the product, through relu when it follows.
  const dy = relu ? reluOutputGradient(req.dy, req.y!) : req.dy;
  const dBias = req.computeBiasGradient === true ? biasGradient(dy, F) : new Float32Array(0);
  const dKernel = new Float32Array(K * C * F);
  const dx = new Float32Array(wantDx ? B * L * C : 0);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const go = (b * T + t) * F;
      for (let j = 0; j < K; j++) {
        const xo = (b * L + t * S + j * D) * C;
        for (let c = 0; c < C; c++) {
          const v = x[xo + c];
          const ko = (j * C + c) * F;
          let sum = 0;
          for (let f = 0; f < F; f++) {
            dKernel[ko + f] += v * dy[go + f];
            sum += dy[go + f] * kernel[ko + f];
          }
          if (wantDx) dx[xo + c] += sum;
        }
      }
    }
  }
  return { dx, dKernel, dBias };
}

export const typescriptConv1D: Conv1DImplementation = { name: 'typescript', forward, backward };
