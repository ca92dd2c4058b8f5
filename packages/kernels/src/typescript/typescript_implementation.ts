/** The TypeScript kernels as a RecurrentImplementation (spec.ts): plain Float32Array loops. */
import type { BackwardRequest, BackwardResult, ForwardRequest, ForwardResult, RecurrentDims, RecurrentImplementation } from '../spec';
import { validateBackwardRequest, validateForwardRequest } from '../native/validate_request';
import { backwardSequence } from './backward';
import { forwardSequence } from './forward';
import { workspaceLayout } from './workspace_layout';

const workspaceSize = (dims: RecurrentDims, resetAfter: boolean): number => workspaceLayout(dims, resetAfter).size;

export const typescriptImplementation: RecurrentImplementation = {
  name: 'typescript',
  workspaceSize,
  forward(req: ForwardRequest): ForwardResult {
    validateForwardRequest(req);
    return forwardSequence(req);
  },
  backward(req: BackwardRequest): BackwardResult {
    validateBackwardRequest(req, workspaceSize(req, req.resetAfter));
    return backwardSequence(req);
  },
};
