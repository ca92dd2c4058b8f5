import type { Layer } from '../engine/layer';
import { formatShape, type Shape } from '../engine/types';
import { memberNodeIndex } from './graph';
import type { Model } from './model';

/** Number with thousands separators, as Keras prints totals. */
function withCommas(n: number): string {
  return n.toLocaleString('en-US');
}

/** Splits `text` into pieces of at most `width - 1` characters (breaking at spaces when possible). */
function wrap(text: string, width: number): string[] {
  const max = Math.max(1, width - 1);
  const lines: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const cut = space > 0 ? space : max;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut); // a leading space indents the continuation like the first line
  }
  lines.push(rest);
  return lines;
}

function outputShapeText(layer: Layer, model: Model): string {
  const nodes = layer.inboundNodes.filter((n) => model.graphMap.nodeSet.has(n));
  if (nodes.length === 0) return '?';
  const shapes = nodes.map((n) => n.outputTensors.map((t) => t.shape));
  const distinct = new Set(shapes.map((s) => JSON.stringify(s)));
  if (distinct.size > 1) return 'multiple';
  const outs: Shape[] = shapes[0];
  return outs.length === 1 ? formatShape(outs[0]) : `[${outs.map(formatShape).join(', ')}]`;
}

function paramText(layer: Layer): string {
  return layer.built ? String(layer.countParams()) : '0 (unbuilt)';
}

/** Keras's test: a model is shown without "Connected to" when its graph is a simple chain. */
function isSequentialLike(model: Model): boolean {
  if (model.className === 'Sequential') return true;
  const { nodes, nodeSet } = model.graphMap;
  if (model.inputs.length > 1 || model.outputs.length > 1) return false;
  if (nodes.some((n) => n.inputTensors.length > 1)) return false;
  for (const layer of model.layers) {
    if (layer.inboundNodes.filter((n) => nodeSet.has(n)).length > 1) return false;
  }
  // A chain: every node consumes the output of the node just before it.
  for (let i = 1; i < nodes.length; i++) {
    const input = nodes[i].inputTensors[0];
    if (!input || !nodes[i - 1].outputTensors.includes(input)) return false;
  }
  return true;
}

/** "Connected to" entries of a layer: `dense[0][0]` for each input of each of its calls in the model. */
function connections(layer: Layer, model: Model): string[] {
  const { nodeSet } = model.graphMap;
  return layer.inboundNodes
    .filter((n) => nodeSet.has(n))
    .flatMap((node) => node.inputTensors.map((t) => {
      const producer = t.sourceLayer.inboundNodes[t.nodeIndex];
      return `${t.sourceLayer.name}[${memberNodeIndex(producer, nodeSet)}][${t.tensorIndex}]`;
    }));
}

/**
 * Prints the Keras 2 style summary: one row per layer with name (type), output shape, parameter count
 * and, for non-chain models, the layer calls it is connected to; then the trainable/non-trainable totals.
 */
export function printSummary(model: Model, lineLength: number | undefined, print: (line: string) => void): void {
  const chain = isSequentialLike(model);
  const width = lineLength ?? (chain ? 65 : 98);
  const fractions = chain ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1];
  const stops = fractions.map((f) => Math.floor(width * f));
  const widths = stops.map((s, i) => s - (i === 0 ? 0 : stops[i - 1]));
  const headers = chain ? [' Layer (type)', 'Output Shape', 'Param #'] : [' Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  // Fields too long for their column continue on the next lines, as in Keras.
  const row = (fields: string[]) => {
    const wrapped = fields.map((f, i) => wrap(f, widths[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) {
      print(wrapped.map((w, i) => (w[k] ?? '').padEnd(widths[i])).join('').trimEnd());
    }
  };

  if (!model.hasGraph) {
    print(`Model: "${model.name}"`);
    print('The model has no input shape yet, so it is not built: give its first layer an inputShape, add an input(), or call it on data.');
    return;
  }

  print(`Model: "${model.name}"`);
  print('_'.repeat(width));
  row(headers);
  print('='.repeat(width));
  // A Sequential model's `layers` leave out its input layer, so it is not listed, as in Keras.
  const layers = model.layers;
  layers.forEach((layer, i) => {
    const first = [` ${layer.name} (${layer.className})`, outputShapeText(layer, model), paramText(layer)];
    if (chain) {
      row(first);
    } else {
      const links = connections(layer, model);
      row([...first, links.length ? links[0] : '']);
      for (const link of links.slice(1)) row(['', '', '', link]);
    }
    print(i === layers.length - 1 ? '='.repeat(width) : '');
  });
  if (layers.length === 0) print('='.repeat(width));
  const count = (ws: { size: number }[]) => ws.reduce((s, w) => s + w.size, 0);
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  print(`Total params: ${withCommas(trainable + nonTrainable)}`);
  print(`Trainable params: ${withCommas(trainable)}`);
  print(`Non-trainable params: ${withCommas(nonTrainable)}`);
  print('_'.repeat(width));
}
