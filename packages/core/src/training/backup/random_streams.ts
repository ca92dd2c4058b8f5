import * as tf from '@tensorflow/tfjs';
import { DropoutSeedStream } from '../../layers/rnn/dropout_masks';
import { LayerVariable } from '../../engine/variable';
import { Node, SymbolicTensor } from '../../engine/symbolic';

/**
 * The dropout seed streams inside a model's layers (Dropout, SpatialDropout1D, the dropout of
 * recurrent cells, also inside wrappers), in a fixed order. Each stream's state is its number of
 * draws; saving and restoring them is what makes a resumed run draw the same masks.
 */
export function randomStreams(model: { layers: readonly object[] }): DropoutSeedStream[] {
  const found: DropoutSeedStream[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 16) return;
    seen.add(value);
    if (value instanceof DropoutSeedStream) {
      found.push(value);
      return;
    }
    // Tensors, weights and graph links hold no streams (graph links lead to other layers, which
    // are visited in the model's own order instead).
    if (value instanceof tf.Tensor || value instanceof LayerVariable || value instanceof Node || value instanceof SymbolicTensor || ArrayBuffer.isView(value)) return;
    for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], depth + 1);
  };
  for (const layer of model.layers) visit(layer, 0);
  return found;
}

export function getRandomState(model: { layers: readonly object[] }): number[] {
  return randomStreams(model).map((s) => s.state);
}

export function setRandomState(model: { layers: readonly object[] }, states: readonly number[]): void {
  const streams = randomStreams(model);
  if (streams.length !== states.length) {
    throw new Error(`the backup holds ${states.length} random stream states but the model has ${streams.length} dropout streams`);
  }
  streams.forEach((s, i) => (s.state = states[i]));
}
