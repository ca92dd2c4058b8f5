/** The fused 1-D convolution of conv1d_spec.ts as plain Float32Array loops, with the addon's checks. */
import {
  CONV1D_BACKWARD_FIELDS, CONV1D_FORWARD_FIELDS, conv1dSteps, type Conv1DBackwardRequest, type Conv1DBackwardResult,
  type Conv1DForwardRequest, type Conv1DImplementation,
} from '../conv1d_spec';
import { checkArray, checkDim, checkFlag, checkPositive, snapshot } from './request_checks';

/** Output steps of a checked request (same wording as the addon when the window does not fit). */
function checkDims(req: Conv1DForwardRequest): number {
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

function forward(request: Conv1DForwardRequest): Float32Array {
  const req = snapshot<Conv1DForwardRequest>(request, CONV1D_FORWARD_FIELDS, 'conv1dForward');
  const T = checkDims(req);
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
  return y;
}

function backward(request: Conv1DBackwardRequest): Conv1DBackwardResult {
  const req = snapshot<Conv1DBackwardRequest>(request, CONV1D_BACKWARD_FIELDS, 'conv1dBackward');
  const T = checkDims(req);
  const { batch: B, length: L, channels: C, filters: F, kernelSize: K, stride: S, dilation: D, x, kernel, dy } = req;
  checkArray('dy', dy, [B, T, F], false);
  checkFlag('computeInputGradient', req.computeInputGradient);
  const wantDx = req.computeInputGradient !== false;
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
  return { dx, dKernel };
}

export const typescriptConv1D: Conv1DImplementation = { name: 'typescript', forward, backward };
