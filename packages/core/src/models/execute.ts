import * as tf from '@tensorflow/tfjs';
import { softmaxLogitsOf } from '@recurrent/kernels';
import type { CallKwargs } from '../engine/layer';
import type { SymbolicTensor } from '../engine/symbolic';
import { toList, type Tensor } from '../engine/types';
import { InputLayer } from '../engine/input_layer';
import type { GraphMap } from './graph';

/** A computed value of a symbolic tensor and its mask. */
interface Computed {
  tensor: Tensor;
  mask: Tensor | null;
}

/** The model's outputs and their masks; with `keepLogits`, also each output's softmax logits. */
export interface GraphResult {
  outputs: Tensor[];
  masks: (Tensor | null)[];
  /**
   * Per output, the logits it was computed from when it is a softmax over the last axis (else null),
   * as Keras's softmax activation keeps them on its output for the cross-entropy losses.
   */
  logits?: (Tensor | null)[];
}

/**
 * Evaluates a graph eagerly: feeds the inputs (cast to the input dtypes), then calls every node in
 * order with the masks of its inputs, and records each output with the mask the layer computes.
 * Intermediate tensors are not freed here; callers run this inside tf.tidy.
 */
export function executeGraph(
  graph: GraphMap,
  inputs: SymbolicTensor[],
  outputs: SymbolicTensor[],
  feed: Tensor[],
  feedMasks: (Tensor | null)[],
  training: boolean,
  keepLogits = false,
): GraphResult {
  const values = new Map<number, Computed>();
  inputs.forEach((t, i) => {
    const x = feed[i];
    if ((x.dtype === 'string') !== (t.dtype === 'string')) {
      const fix = t.dtype === 'string' ? 'feed an array (or tensor) of strings' : "feed numbers, or declare the input with dtype: 'string' for raw text";
      throw new Error(`Input '${t.sourceLayer.name}' takes ${t.dtype === 'string' ? 'strings' : `${t.dtype} numbers`} but was fed a ${x.dtype} tensor; ${fix}.`);
    }
    values.set(t.id, { tensor: x.dtype === t.dtype ? x : tf.cast(x, t.dtype), mask: feedMasks[i] ?? null });
  });
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    if (layer instanceof InputLayer) continue;
    const ins = node.inputTensors.map((t) => {
      const v = values.get(t.id);
      if (!v) throw new Error(`Internal error: the value of '${t.name}' is needed by '${layer.name}' before it is computed.`);
      return v;
    });
    const xs = ins.map((v) => v.tensor);
    const masks = ins.map((v) => v.mask);
    const anyMask = masks.some((m) => m !== null);
    const kwargs: CallKwargs = {
      ...node.callArgs,
      training: typeof node.callArgs.training === 'boolean' ? node.callArgs.training : training,
      // A list of masks may hold nulls for unmasked inputs (typed loosely, as in Keras).
      mask: anyMask ? (node.inputIsList ? (masks as Tensor[]) : masks[0]) : null,
    };
    const result = layer.callAndComputeMask(node.inputIsList ? xs : xs[0], kwargs);
    const outs = toList(result.outputs);
    const outMasks = result.mask === null ? [] : toList(result.mask);
    if (outs.length !== node.outputTensors.length) {
      throw new Error(`${layer.describe()}: returned ${outs.length} tensors where its graph call expects ${node.outputTensors.length}.`);
    }
    node.outputTensors.forEach((t, i) => values.set(t.id, { tensor: outs[i], mask: outMasks[i] ?? null }));
  }
  const outputValues = outputs.map((t) => values.get(t.id)!.tensor);
  return {
    outputs: outputValues,
    masks: outputs.map((t) => values.get(t.id)!.mask),
    ...(keepLogits ? { logits: outputValues.map((t) => softmaxLogitsOf(t)) } : {}),
  };
}
