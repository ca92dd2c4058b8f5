/**
 * The BPTT workspace handed from the forward kernel to its gradient beside tfjs rather than as a
 * tensor output. tfjs fills a zero tensor of every output's size for the outputs whose gradient
 * nobody computed before it calls a gradient function, and nobody differentiates the workspace: as
 * an output, each training step allocated and zero-filled a second workspace (13 MB for an
 * LSTM(256) over 100 steps at batch 32). With `workspaceHandle`, the forward kernel's workspace
 * output is an empty [0] tensor whose data id keys the workspace here; the gradient (which tfjs
 * hands the saved handle) looks the workspace up.
 *
 * Once tfjs has freed a handle (after the backward pass, or when the step's scope ends) nothing can
 * read its workspace again, and the next forward hands the workspace back to its implementation
 * (`releaseWorkspace`), so the native addon reuses that memory at once instead of when the garbage
 * collector and the event loop get to it: a synchronous loop of training steps otherwise held every
 * step's workspace until it returned to the event loop.
 */
import type { KernelBackendIO } from './backend_io';

const workspaces = new WeakMap<object, Float32Array>();

interface Issued {
  handle: object;
  workspace: Float32Array;
  release: (workspace: Float32Array) => void;
}
/** Handles given out whose workspace can be released once tfjs has freed them (oldest first). */
const issued: Issued[] = [];
/** Beyond this many live handles (tapes kept open by a caller), the oldest are left to the garbage collector. */
const MAX_TRACKED = 64;

/** The cpu backend's record of live data ids (tfjs's DataStorage). */
interface LiveData {
  data?: { has(dataId: object): boolean };
}

export function storeWorkspace(
  backend: KernelBackendIO, handleDataId: object, workspace: Float32Array, release?: (workspace: Float32Array) => void,
): void {
  workspaces.set(handleDataId, workspace);
  if (release === undefined || typeof (backend as LiveData).data?.has !== 'function') return;
  issued.push({ handle: handleDataId, workspace, release });
  if (issued.length > MAX_TRACKED) issued.shift();
}

/** Releases the workspaces whose handles tfjs has freed. */
export function releaseFreedWorkspaces(backend: KernelBackendIO): void {
  const live = (backend as LiveData).data;
  if (live === undefined || typeof live.has !== 'function') return;
  for (let i = issued.length - 1; i >= 0; i--) {
    const entry = issued[i];
    if (live.has(entry.handle)) continue;
    issued.splice(i, 1);
    workspaces.delete(entry.handle);
    entry.release(entry.workspace);
  }
}

/** The workspace stored for a handle, or undefined when the tensor is not a handle. */
export function storedWorkspace(handleDataId: object): Float32Array | undefined {
  return workspaces.get(handleDataId);
}
