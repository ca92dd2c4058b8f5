import { InputLayer } from '../engine/input_layer';
import type { Layer } from '../engine/layer';
import type { SymbolicTensor } from '../engine/symbolic';
import type { GraphMap } from './graph';

/** One layer call of the graph, with its tensors as slots of the value arrays of an evaluation. */
export interface PlanStep {
  readonly layer: Layer;
  /** Slots of the call's inputs, in the call's order. */
  readonly inputSlots: readonly number[];
  /** Slots its outputs are written to. */
  readonly outputSlots: readonly number[];
  /** Whether the layer was called with a list rather than one tensor. */
  readonly inputIsList: boolean;
  /** The call options recorded in the graph, or null when there are none (the usual case). */
  readonly callArgs: Readonly<Record<string, unknown>> | null;
  /** A `training` value fixed in the graph (Keras's `layer(x, training=False)`), else null. */
  readonly fixedTraining: boolean | null;
}

/**
 * A graph numbered once for evaluation: each symbolic tensor gets a slot, so a forward pass looks values
 * up in two arrays instead of a map per call, and the order and wiring are not recomputed per call. A
 * model builds it when first evaluated and drops it when its graph changes.
 */
export interface ExecutionPlan {
  readonly slotCount: number;
  /** Slots of the model's inputs, in input order. */
  readonly inputSlots: readonly number[];
  /** Slots of the model's outputs, in output order (one slot may appear twice). */
  readonly outputSlots: readonly number[];
  /** The layer calls in evaluation order (the input layers left out). */
  readonly steps: readonly PlanStep[];
}

export function planGraph(graph: GraphMap, inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): ExecutionPlan {
  const slotOf = new Map<number, number>();
  const assign = (t: SymbolicTensor): number => {
    const slot = slotOf.size;
    slotOf.set(t.id, slot);
    return slot;
  };
  const inputSlots = inputs.map(assign);
  const steps: PlanStep[] = [];
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    if (layer instanceof InputLayer) continue;
    const inputSlotsOfNode = node.inputTensors.map((t) => {
      const slot = slotOf.get(t.id);
      if (slot === undefined) throw new Error(`Internal error: the value of '${t.name}' is needed by '${layer.name}' before it is computed.`);
      return slot;
    });
    const hasCallArgs = Object.keys(node.callArgs).length > 0;
    const training = node.callArgs.training;
    steps.push({
      layer,
      inputSlots: inputSlotsOfNode,
      outputSlots: node.outputTensors.map(assign),
      inputIsList: node.inputIsList,
      callArgs: hasCallArgs ? node.callArgs : null,
      fixedTraining: typeof training === 'boolean' ? training : null,
    });
  }
  const outputSlots = outputs.map((t) => {
    const slot = slotOf.get(t.id);
    if (slot === undefined) throw new Error(`Internal error: the output '${t.name}' is not computed by the graph.`);
    return slot;
  });
  return { slotCount: slotOf.size, inputSlots, outputSlots, steps };
}
