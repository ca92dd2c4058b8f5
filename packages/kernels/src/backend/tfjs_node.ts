/**
 * @tensorflow/tfjs-node is optional: its install downloads libtensorflow, which may fail. When it
 * loads, importing it registers the 'tensorflow' backend (and makes it the default), and the fused
 * kernels are registered for it too.
 */

export interface TfjsNodeStatus {
  loaded: boolean;
  error: string | null;
}

let status: TfjsNodeStatus | undefined;

/** Tries to load tfjs-node once; never throws. RECURRENT_TFJS_NODE=0 skips the attempt. */
export function loadTfjsNode(): TfjsNodeStatus {
  if (status !== undefined) return status;
  if (process.env.RECURRENT_TFJS_NODE === '0') {
    status = { loaded: false, error: 'skipped because RECURRENT_TFJS_NODE=0' };
    return status;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
    status = { loaded: true, error: null };
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    status = { loaded: false, error: `@tensorflow/tfjs-node could not be loaded: ${message}` };
  }
  return status;
}
