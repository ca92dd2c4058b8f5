/**
 * Adapts the addon to the RecurrentImplementation contract of spec.ts. Each field of a request is
 * read once, here, and handed to the addon as a plain positional argument; the addon checks every
 * value itself (it never trusts its caller), so nothing is checked twice.
 */
import {
  BACKWARD_REQUEST_FIELDS, FORWARD_REQUEST_FIELDS, STEP_REQUEST_FIELDS, type BackwardRequest, type BackwardResult, type ForwardRequest, type ForwardResult,
  type CellKind, type RecurrentDims, type RecurrentImplementation, type StepRequest,
} from '../spec';
import {
  CONV1D_BACKWARD_FIELDS, CONV1D_FORWARD_FIELDS, type Conv1DBackwardRequest, type Conv1DForwardRequest, type Conv1DImplementation,
} from '../conv1d_spec';
import {
  MAX_POOL_1D_BACKWARD_FIELDS, MAX_POOL_1D_FIELDS, type MaxPool1DBackwardRequest, type MaxPool1DRequest, type RowOpsImplementation,
} from '../row_ops_spec';
import type { NativeAddon } from './addon_types';
import { StepWeightsCache } from './step_weights_cache';

/** The values of `fields` of a request, each property read exactly once, in order. */
function fieldValues(req: unknown, fields: readonly string[], fn: string): unknown[] {
  if (req === null || typeof req !== 'object') throw new TypeError(`${fn}: expected a request object`);
  const source = req as Record<string, unknown>;
  const values = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) values[i] = source[fields[i]];
  return values;
}

/** Where the forward's arguments read by the adapter itself sit among FORWARD_REQUEST_FIELDS. */
const FORWARD_ARG = {
  cell: FORWARD_REQUEST_FIELDS.indexOf('cell'),
  batch: FORWARD_REQUEST_FIELDS.indexOf('batch'),
  time: FORWARD_REQUEST_FIELDS.indexOf('time'),
  features: FORWARD_REQUEST_FIELDS.indexOf('features'),
  units: FORWARD_REQUEST_FIELDS.indexOf('units'),
  kernel: FORWARD_REQUEST_FIELDS.indexOf('kernel'),
  recurrentKernel: FORWARD_REQUEST_FIELDS.indexOf('recurrentKernel'),
};

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

export function createNativeImplementation(addon: NativeAddon): RecurrentImplementation {
  const fields = addon.requestFields;
  if (!sameFields(fields.forward, FORWARD_REQUEST_FIELDS) || !sameFields(fields.backward, BACKWARD_REQUEST_FIELDS) ||
    !sameFields(fields.step, STEP_REQUEST_FIELDS)) {
    throw new Error("the native addon's request fields differ from spec.ts; rebuild it with 'node scripts/build-native.js'");
  }
  const stepWeights = new StepWeightsCache(addon);
  const { ownedBlocksMaxBatch, packedRowsMinSteps } = addon.info();
  const workspaceSize = (dims: RecurrentDims, resetAfter: boolean): number =>
    addon.workspaceSize(dims.cell, dims.batch, dims.time, dims.features, dims.units, resetAfter);
  return {
    name: 'native',
    workspaceSize,
    forward: (req: ForwardRequest): ForwardResult => {
      const args = fieldValues(req, FORWARD_REQUEST_FIELDS, 'forward');
      // A small batch's time loop reads the recurrent weights in the rows a step packs: weights seen
      // before (repeated predictions of a layer) come packed, instead of being copied at every call.
      const batch = args[FORWARD_ARG.batch], time = args[FORWARD_ARG.time];
      if (typeof batch === 'number' && batch <= ownedBlocksMaxBatch && typeof time === 'number' && time >= packedRowsMinSteps) {
        args.push(stepWeights.packedFor(args[FORWARD_ARG.cell] as CellKind, args[FORWARD_ARG.features] as number,
          args[FORWARD_ARG.units] as number, args[FORWARD_ARG.kernel], args[FORWARD_ARG.recurrentKernel]));
      }
      return addon.forward(...args);
    },
    backward: (req: BackwardRequest): BackwardResult => addon.backward(...fieldValues(req, BACKWARD_REQUEST_FIELDS, 'backward')),
    // Called once per generated token: the fields are read into arguments directly (each once, in the
    // order of STEP_REQUEST_FIELDS), without the array and spread of fieldValues; the weights seen
    // before come packed (step_weights_cache.ts).
    step: (req: StepRequest): void => {
      if (req === null || typeof req !== 'object') throw new TypeError('step: expected a request object');
      const { cell, activation, recurrentActivation, resetAfter, batch, features, units, x, kernel, recurrentKernel, bias, h, c } = req;
      const packed = stepWeights.packedFor(cell, features, units, kernel, recurrentKernel);
      addon.step(cell, activation, recurrentActivation, resetAfter, batch, features, units, x, kernel, recurrentKernel, bias, h, c, packed);
    },
    // The addon detaches the array before its memory goes back to the pool of result buffers.
    releaseWorkspace: (workspace: Float32Array): void => {
      addon.recycleResult(workspace);
    },
  };
}

/** The addon's fused 1-D convolution; its requests are read as the recurrent ones are, a field once each. */
export function createNativeConv1D(addon: NativeAddon): Conv1DImplementation {
  return {
    name: 'native',
    forward: (req: Conv1DForwardRequest) => addon.conv1dForward(...fieldValues(req, CONV1D_FORWARD_FIELDS, 'conv1dForward')),
    backward: (req: Conv1DBackwardRequest) => addon.conv1dBackward(...fieldValues(req, CONV1D_BACKWARD_FIELDS, 'conv1dBackward')),
  };
}

/** The addon's row gathers and window maxima; the pooling requests are read as the others are, a field once each. */
export function createNativeRowOps(addon: NativeAddon): RowOpsImplementation {
  return {
    name: 'native',
    gatherRows: (table, tableRows, width, rows) => addon.gatherRows(table, tableRows, width, rows),
    scatterAddRows: (values, rows, tableRows, width) => addon.scatterAddRows(values, rows, tableRows, width),
    maxPool1dForward: (req: MaxPool1DRequest) => addon.maxPool1dForward(...fieldValues(req, MAX_POOL_1D_FIELDS, 'maxPool1dForward')),
    maxPool1dBackward: (req: MaxPool1DBackwardRequest) =>
      addon.maxPool1dBackward(...fieldValues(req, MAX_POOL_1D_BACKWARD_FIELDS, 'maxPool1dBackward')),
    softmaxRows: (values, width, out) => addon.softmaxRows(values, width, out),
  };
}
