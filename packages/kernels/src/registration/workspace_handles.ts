/**
 * The BPTT workspace handed from the forward kernel to its gradient beside tfjs rather than as a
 * tensor output. tfjs fills a zero tensor of every output's size for the outputs whose gradient
 * nobody computed before it calls a gradient function, and nobody differentiates the workspace: as
 * an output, each training step allocated and zero-filled a second workspace (13 MB for an
 * LSTM(256) over 100 steps at batch 32). With `workspaceHandle`, the forward kernel's workspace
 * output is an empty [0] tensor whose data id keys the workspace here; the gradient (which tfjs
 * hands the saved handle) looks the workspace up. The entry lives as long as the handle's data id:
 * once tfjs frees the handle, the workspace is garbage.
 */
const workspaces = new WeakMap<object, Float32Array>();

export function storeWorkspace(handleDataId: object, workspace: Float32Array): void {
  workspaces.set(handleDataId, workspace);
}

/** The workspace stored for a handle, or undefined when the tensor is not a handle. */
export function storedWorkspace(handleDataId: object): Float32Array | undefined {
  return workspaces.get(handleDataId);
}
