import { InputLayer } from '../engine/input_layer';
import type { Layer } from '../engine/layer';
import type { Node, SymbolicTensor } from '../engine/symbolic';

/** The part of a layer graph between a model's inputs and outputs. */
export interface GraphMap {
  /** Every node, dependencies first (decreasing depth): the evaluation order. */
  nodes: Node[];
  /** Every layer, ordered as Keras does: by decreasing depth, ties in discovery order (inputs come first). */
  layers: Layer[];
  /** Set of the nodes that belong to the graph, for re-indexing a layer's nodes within this model. */
  nodeSet: Set<Node>;
}

/** The node that produced a symbolic tensor. */
export function producingNode(t: SymbolicTensor): Node {
  return t.sourceLayer.inboundNodes[t.nodeIndex];
}

/**
 * Walks back from the outputs to the inputs (depth-first), then orders nodes and layers by depth,
 * following Keras's functional-model construction. Fails on cycles and on tensors that are not
 * reachable from the given inputs ("graph disconnected").
 */
export function mapGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[], owner: string): GraphMap {
  const inputIds = new Set(inputs.map((t) => t.id));
  const finished: Node[] = [];
  const finishedSet = new Set<Node>();
  const inProgress = new Set<Node>();
  const layerOrder = new Map<Layer, number>();

  const visit = (tensor: SymbolicTensor): void => {
    const node = producingNode(tensor);
    if (finishedSet.has(node)) return;
    if (inProgress.has(node)) throw new Error(`${owner}: the graph has a cycle at layer '${tensor.sourceLayer.name}'.`);
    if (!layerOrder.has(node.outboundLayer)) layerOrder.set(node.outboundLayer, layerOrder.size);
    if (node.outboundLayer instanceof InputLayer && !inputIds.has(tensor.id)) {
      throw new Error(`${owner}: graph disconnected: the input '${tensor.sourceLayer.name}' is needed to compute the outputs but is not among the model's inputs; add it to inputs.`);
    }
    inProgress.add(node);
    if (!inputIds.has(tensor.id)) {
      for (const t of node.inputTensors) visit(t);
    }
    inProgress.delete(node);
    finishedSet.add(node);
    finished.push(node);
  };
  for (const t of outputs) visit(t);

  // Depth: 0 at the outputs, and every node is deeper than all its consumers.
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  const decreasingDepth = [...finished].reverse();
  for (const node of decreasingDepth) {
    let depth = nodeDepth.get(node) ?? 0;
    depth = Math.max(depth, layerDepth.get(node.outboundLayer) ?? 0);
    layerDepth.set(node.outboundLayer, depth);
    nodeDepth.set(node, depth);
    for (const t of node.inputTensors) {
      const inbound = producingNode(t);
      if (!finishedSet.has(inbound)) continue;
      nodeDepth.set(inbound, Math.max(depth + 1, nodeDepth.get(inbound) ?? 0));
    }
  }
  const nodes = [...finished].sort((a, b) => (nodeDepth.get(b)! - nodeDepth.get(a)!));
  const layers = [...layerDepth.keys()].sort((a, b) =>
    (layerDepth.get(b)! - layerDepth.get(a)!) || (layerOrder.get(a)! - layerOrder.get(b)!));

  // Inputs the outputs do not use still belong to the model (they are fed, then ignored).
  for (const t of [...inputs].reverse()) {
    const node = producingNode(t);
    if (finishedSet.has(node)) continue;
    finishedSet.add(node);
    nodes.unshift(node);
    layers.unshift(node.outboundLayer);
  }
  for (const t of inputs) {
    if (!(t.sourceLayer instanceof InputLayer)) {
      throw new Error(`${owner}: model inputs must be tensors returned by input(), but '${t.name}' comes from layer '${t.sourceLayer.name}'.`);
    }
  }
  return { nodes, layers, nodeSet: finishedSet };
}

/** The index of `node` among the nodes of its layer that belong to the graph (Keras config node indices). */
export function memberNodeIndex(node: Node, nodeSet: Set<Node>): number {
  return node.outboundLayer.inboundNodes.filter((n) => nodeSet.has(n)).indexOf(node);
}
