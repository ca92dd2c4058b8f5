import * as tf from '@tensorflow/tfjs';
import { softmaxLogitsOf } from '@recurrent/kernels';
import type { CallKwargs } from '../engine/layer';
import type { SymbolicTensor } from '../engine/symbolic';
import type { Tensor } from '../engine/types';
import type { ExecutionPlan, PlanStep } from './execution_plan';

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
 * Evaluates a graph eagerly: feeds the inputs (cast to the input dtypes), then calls every layer in the
 * plan's order with the masks of its inputs, and records each output with the mask the layer computes.
 * `feedMasks` null: no input is masked. Intermediate tensors are not freed here; callers run this inside
 * tf.tidy.
 */
export function executeGraph(
  plan: ExecutionPlan,
  inputs: readonly SymbolicTensor[],
  feed: Tensor[],
  feedMasks: (Tensor | null)[] | null,
  training: boolean,
  keepLogits = false,
): GraphResult {
  const tensors: Tensor[] = new Array(plan.slotCount);
  const masks: (Tensor | null)[] = new Array(plan.slotCount).fill(null);
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    const x = feed[i];
    if ((x.dtype === 'string') !== (t.dtype === 'string')) {
      const fix = t.dtype === 'string' ? 'feed an array (or tensor) of strings' : "feed numbers, or declare the input with dtype: 'string' for raw text";
      throw new Error(`Input '${t.sourceLayer.name}' takes ${t.dtype === 'string' ? 'strings' : `${t.dtype} numbers`} but was fed a ${x.dtype} tensor; ${fix}.`);
    }
    const slot = plan.inputSlots[i];
    tensors[slot] = x.dtype === t.dtype ? x : tf.cast(x, t.dtype);
    masks[slot] = feedMasks === null ? null : (feedMasks[i] ?? null);
  }
  for (const step of plan.steps) runStep(step, tensors, masks, training);
  const outputs = plan.outputSlots.map((slot) => tensors[slot]);
  return {
    outputs,
    masks: plan.outputSlots.map((slot) => masks[slot]),
    ...(keepLogits ? { logits: outputs.map((t) => softmaxLogitsOf(t)) } : {}),
  };
}

/** One layer call: reads its inputs' values and masks from the slots and writes its outputs' back. */
function runStep(step: PlanStep, tensors: Tensor[], masks: (Tensor | null)[], training: boolean): void {
  const { layer, inputSlots, outputSlots } = step;
  let input: Tensor | Tensor[];
  let mask: Tensor | Tensor[] | null;
  if (step.inputIsList) {
    input = inputSlots.map((slot) => tensors[slot]);
    const inputMasks = inputSlots.map((slot) => masks[slot]);
    // A list of masks may hold nulls for unmasked inputs (typed loosely, as in Keras).
    mask = inputMasks.some((m) => m !== null) ? (inputMasks as Tensor[]) : null;
  } else {
    input = tensors[inputSlots[0]];
    mask = masks[inputSlots[0]];
  }
  const stepTraining = step.fixedTraining ?? training;
  const kwargs: CallKwargs = step.callArgs === null ? { training: stepTraining, mask } : { ...step.callArgs, training: stepTraining, mask };
  const result = layer.callAndComputeMask(input, kwargs);
  const outs = result.outputs;
  const count = Array.isArray(outs) ? outs.length : 1;
  if (count !== outputSlots.length) {
    throw new Error(`${layer.describe()}: returned ${count} tensors where its graph call expects ${outputSlots.length}.`);
  }
  const outMask = result.mask;
  for (let i = 0; i < count; i++) {
    const slot = outputSlots[i];
    tensors[slot] = Array.isArray(outs) ? outs[i] : outs;
    masks[slot] = (outMask === null ? null : Array.isArray(outMask) ? outMask[i] : i === 0 ? outMask : null) ?? null;
  }
}
