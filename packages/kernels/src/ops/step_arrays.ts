/**
 * One timestep of a recurrent layer in place on plain arrays (StepRequest of spec.ts), with the
 * implementation the op would use (native, or the TypeScript kernels): what a generator calls once per
 * token, where allocating results or dispatching a tfjs op would cost more than the step's arithmetic.
 */
import { implementationFor } from '../backend/implementation_choice';
import type { StepRequest } from '../spec';

export function stepArrays(req: StepRequest): void {
  implementationFor(undefined).step(req);
}
