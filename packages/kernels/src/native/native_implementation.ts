/** Adapts the addon to the RecurrentImplementation contract of spec.ts. */
import type { BackwardRequest, BackwardResult, ForwardRequest, ForwardResult, RecurrentDims, RecurrentImplementation } from '../spec';
import type { NativeAddon } from './addon_types';
import { validateBackwardRequest, validateForwardRequest } from './validate_request';

export function createNativeImplementation(addon: NativeAddon): RecurrentImplementation {
  const workspaceSize = (dims: RecurrentDims, resetAfter: boolean): number =>
    addon.workspaceSize(dims.cell, dims.batch, dims.time, dims.features, dims.units, resetAfter);
  return {
    name: 'native',
    workspaceSize,
    forward(req: ForwardRequest): ForwardResult {
      validateForwardRequest(req);
      return addon.forward(req);
    },
    backward(req: BackwardRequest): BackwardResult {
      validateBackwardRequest(req, workspaceSize(req, req.resetAfter));
      return addon.backward(req);
    },
  };
}
