/** The TypeScript kernels as a RecurrentImplementation (spec.ts): plain Float32Array loops. */
import type { BackwardRequest, BackwardResult, ForwardRequest, ForwardResult, RecurrentDims, RecurrentImplementation } from '../spec';
import { stepInPlace } from './step';
import { backwardSequence } from './backward';
import { forwardSequence } from './forward';
import { validateBackwardRequest, validateForwardRequest } from './validate_request';
import { workspaceLayout } from './workspace_layout';

const workspaceSize = (dims: RecurrentDims, resetAfter: boolean): number => workspaceLayout(dims, resetAfter).size;

export const typescriptImplementation: RecurrentImplementation = {
  name: 'typescript',
  workspaceSize,
  forward: (req: ForwardRequest): ForwardResult => forwardSequence(validateForwardRequest(req)),
  backward: (req: BackwardRequest): BackwardResult =>
    backwardSequence(validateBackwardRequest(req, (checked) => workspaceSize(checked, checked.resetAfter))),
  step: stepInPlace,
};
