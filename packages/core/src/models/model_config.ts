import type { Layer } from '../engine/layer';
import { deserializeLayer } from '../engine/registry';
import type { SymbolicTensor } from '../engine/symbolic';
import { memberNodeIndex, producingNode } from './graph';
import type { Model } from './model';

/** `[layerName, nodeIndex, tensorIndex]`: one tensor of a graph, named by the layer call that made it. */
export type TensorRef = [string, number, number];
/** One input of a node in a config: the tensor reference plus the call's options (Keras 2 layout). */
export type InboundRef = [string, number, number, Record<string, unknown>];

/** One layer of a functional model config. */
export type ModelLayerConfig = {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** One entry per call of the layer in this model, each the list of its input tensors. */
  inboundNodes: InboundRef[][];
};

/** camelCase mirror of Keras's functional model config (the config module turns it into Keras JSON). */
export type ModelConfig = {
  name: string;
  layers: ModelLayerConfig[];
  inputLayers: TensorRef[];
  outputLayers: TensorRef[];
};

function tensorRef(t: SymbolicTensor, nodeSet: Set<import('../engine/symbolic').Node>): TensorRef {
  return [t.sourceLayer.name, memberNodeIndex(producingNode(t), nodeSet), t.tensorIndex];
}

/** The functional config of a model: each layer's config and, per call, the tensors it was called on. */
export function modelToConfig(model: Model): ModelConfig {
  const { nodeSet, layers } = model.graphMap;
  return {
    name: model.name,
    layers: layers.map((layer) => ({
      className: layer.className,
      name: layer.name,
      config: layer.getConfig(),
      inboundNodes: layer.inboundNodes
        .filter((node) => nodeSet.has(node) && node.inputTensors.length > 0)
        .map((node) => node.inputTensors.map((t) => [...tensorRef(t, nodeSet), { ...node.callArgs }] as InboundRef)),
    })),
    inputLayers: model.inputs.map((t) => tensorRef(t, nodeSet)),
    outputLayers: model.outputs.map((t) => tensorRef(t, nodeSet)),
  };
}

function checkConfig(config: ModelConfig): void {
  if (!config || typeof config !== 'object' || !Array.isArray(config.layers)) {
    throw new Error('Model.fromConfig: expected { name, layers: [...], inputLayers, outputLayers }.');
  }
  if (!Array.isArray(config.inputLayers) || !Array.isArray(config.outputLayers)) {
    throw new Error(`Model.fromConfig: model '${config.name}' needs inputLayers and outputLayers lists of [layerName, nodeIndex, tensorIndex].`);
  }
}

/**
 * Rebuilds the graph of a functional config: creates every layer through the registry, then replays
 * the layer calls, deferring a call until the tensors it needs exist (shared layers can appear before
 * the layers that feed them).
 */
export function modelFromConfig(config: ModelConfig): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[]; name: string } {
  checkConfig(config);
  const where = `Model.fromConfig ('${config.name}')`;
  const created = new Map<string, Layer>();
  const pending = new Map<Layer, InboundRef[][]>();
  for (const entry of config.layers) {
    if (created.has(entry.name)) throw new Error(`${where}: two layers are named '${entry.name}'.`);
    const layer = deserializeLayer({ className: entry.className, config: { ...entry.config, name: entry.name } });
    created.set(entry.name, layer);
    pending.set(layer, [...(entry.inboundNodes ?? [])]);
  }

  const tensorOf = (ref: readonly unknown[]): SymbolicTensor | undefined => {
    const [layerName, nodeIndex, tensorIndex] = ref as TensorRef;
    const layer = created.get(layerName);
    if (!layer) throw new Error(`${where}: a node refers to an unknown layer '${layerName}'.`);
    const node = layer.inboundNodes[nodeIndex];
    if (!node) return undefined;
    const t = node.outputTensors[tensorIndex];
    if (!t) throw new Error(`${where}: layer '${layerName}' has no output ${tensorIndex} at node ${nodeIndex}.`);
    return t;
  };

  let remaining = [...pending.values()].reduce((n, nodes) => n + nodes.length, 0);
  while (remaining > 0) {
    let progress = false;
    for (const [layer, nodes] of pending) {
      while (nodes.length > 0) {
        const refs = nodes[0];
        if (!Array.isArray(refs) || refs.length === 0) throw new Error(`${where}: layer '${layer.name}' has an empty inbound node.`);
        const tensors = refs.map(tensorOf);
        if (tensors.some((t) => t === undefined)) break;
        const kwargs = { ...((refs[0][3] as Record<string, unknown> | undefined) ?? {}) };
        delete kwargs.mask;
        const ins = tensors as SymbolicTensor[];
        layer.apply(ins.length === 1 ? ins[0] : ins, kwargs);
        nodes.shift();
        remaining--;
        progress = true;
      }
    }
    if (!progress) {
      const stuck = [...pending].filter(([, nodes]) => nodes.length > 0).map(([l]) => l.name);
      throw new Error(`${where}: cannot connect layers ${stuck.join(', ')}: their inputs refer to layer calls that never happen.`);
    }
  }

  const resolve = (refs: TensorRef[], what: string): SymbolicTensor[] => refs.map((ref) => {
    const t = tensorOf(ref);
    if (!t) throw new Error(`${where}: ${what} refers to a missing tensor ${JSON.stringify(ref)}.`);
    return t;
  });
  return { inputs: resolve(config.inputLayers, 'inputLayers'), outputs: resolve(config.outputLayers, 'outputLayers'), name: config.name };
}
