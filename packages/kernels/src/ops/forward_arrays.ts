/**
 * The forward pass on plain arrays, with the implementation the op would use (native, or the TypeScript
 * kernels), for callers that step a recurrent layer without tensors: one timestep per call in
 * generation, where tfjs's dispatch of an op costs more than the step's arithmetic.
 */
import { implementationFor } from '../backend/implementation_choice';
import type { ForwardRequest, ForwardResult } from '../spec';

export function forwardArrays(req: ForwardRequest): ForwardResult {
  return implementationFor(undefined).forward(req);
}
