/**
 * Where each weight of a model lives in a Keras 3 weights file (model.weights.h5 in a .keras archive, or a
 * .weights.h5 file), following keras/src/saving/saving_lib.py: Keras walks the model object by object; a
 * layer's own variables are `<path>/vars/0..n` (trainable first, then non-trainable, in creation order), and
 * the objects it holds are visited under the attribute that holds them. A model's layers are a list, whose
 * items are named by their class, not their layer name: `layers/lstm`, `layers/dense`, `layers/dense_1` (the
 * second Dense). The attributes of Keras's own layers are:
 *   LSTM, GRU, SimpleRNN, RNN -> `cell` (a StackedRNNCells -> `cells`, a list);
 *   Bidirectional -> `forward_layer`, `backward_layer`;   TimeDistributed -> `layer`;
 *   Sequential, Functional (a model used as a layer) -> `layers`.
 * So an LSTM followed by a Dense is `layers/lstm/cell/vars/0..2` and `layers/dense/vars/0..1`. An object
 * reached twice (a shared layer) is stored once, at its first path.
 */
import type { Layer } from '../../engine/layer';
import type { LayerVariable } from '../../engine/variable';
import { RNN } from '../../layers/rnn/rnn';
import { StackedRNNCells } from '../../layers/rnn/stacked_rnn_cells';
import { Bidirectional } from '../../layers/wrappers/bidirectional';
import { TimeDistributed } from '../../layers/wrappers/time_distributed';
import { ownWeights } from '../weight_names';

/** Keras's snake_case of a class name (keras.src.utils.naming.to_snake_case): `SimpleRNNCell` -> `simple_rnn_cell`. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

interface ModelLikeLayer extends Layer {
  layers: Layer[];
}

/** A model used as a layer (checked by shape: the model classes import the saving code, not the other way). */
function isModel(layer: Layer): layer is ModelLikeLayer {
  return 'graphMap' in layer && Array.isArray((layer as Partial<ModelLikeLayer>).layers);
}

/** The Python class Keras 3 gives the object: a model that is not Sequential is a Functional. */
function kerasClassName(layer: Layer): string {
  if (isModel(layer)) return layer.className === 'Sequential' ? 'Sequential' : 'Functional';
  return layer.className;
}

/** The layers a layer holds, by the attribute (or list attribute) Keras 3 keeps them in; null when not known. */
function heldLayers(layer: Layer): [string, Layer | Layer[]][] | null {
  if (isModel(layer)) return [['layers', layer.layers]];
  if (layer instanceof Bidirectional) return [['backward_layer', layer.backwardLayer], ['forward_layer', layer.forwardLayer]];
  if (layer instanceof TimeDistributed) return [['layer', layer.layer]];
  if (layer instanceof StackedRNNCells) return [['cells', layer.cells]];
  if (layer instanceof RNN) return [['cell', layer.cell]];
  return layer.childLayers.length === 0 ? [] : null;
}

export interface Keras3Layout {
  /** Every object's path (`''` for the model itself) and its layer, in visiting order. */
  objects: { path: string; layer: Layer }[];
  /** Every weight's dataset path, `layers/lstm/cell/vars/0`. */
  weights: { path: string; variable: LayerVariable }[];
  /** Layers whose nested layers have no known Keras 3 path (custom layers holding layers). */
  unknown: Layer[];
}

const join = (a: string, b: string) => (a === '' ? b : `${a}/${b}`);

/** The Keras 3 layout of a model's weights. */
export function keras3Layout(model: Layer): Keras3Layout {
  const layout: Keras3Layout = { objects: [], weights: [], unknown: [] };
  const visited = new Set<Layer>();
  const visit = (layer: Layer, path: string): void => {
    if (visited.has(layer)) return;
    visited.add(layer);
    layout.objects.push({ path, layer });
    ownWeights(layer).forEach((variable, i) => layout.weights.push({ path: join(path, `vars/${i}`), variable }));
    const held = heldLayers(layer);
    if (held === null) {
      layout.unknown.push(layer);
      return;
    }
    for (const [attribute, value] of held) {
      if (!Array.isArray(value)) {
        visit(value, join(path, attribute));
        continue;
      }
      // Items of a list are named by their class; repeats get _1, _2... (saving_lib's _get_unique_name).
      const used = new Map<string, number>();
      for (const item of value) {
        const base = kerasSnakeCase(kerasClassName(item));
        const n = used.get(base);
        used.set(base, n === undefined ? 0 : n + 1);
        visit(item, join(join(path, attribute), n === undefined ? base : `${base}_${n + 1}`));
      }
    }
  };
  visit(model, '');
  return layout;
}
