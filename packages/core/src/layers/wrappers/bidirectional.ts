import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { splitInitialState, splitInitialStateShapes } from '../../engine/initial_state';
import { Layer, type CallKwargs } from '../../engine/layer';
import { getLayerClass, isSerializedLayer, registerLayer, type SerializedLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import { toList, type Shape, type Tensor } from '../../engine/types';
import { RNN } from '../rnn/rnn';

export const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;
export type MergeMode = (typeof MERGE_MODES)[number] | null;

const layerSchema = z.custom<RNN | SerializedLayer>((v) => v instanceof RNN || isSerializedLayer(v), {
  error: 'expected a recurrent layer (SimpleRNN, LSTM, GRU or RNN) or its {className, config}',
});

export const bidirectionalArgsSchema = baseLayerArgsSchema.extend({
  layer: layerSchema,
  mergeMode: z.enum(MERGE_MODES, { error: 'expected "concat", "sum", "mul", "ave" or null (no merge)' }).nullable().optional(),
  backwardLayer: layerSchema.nullish(),
}).strict();
export type BidirectionalArgs = z.input<typeof bidirectionalArgsSchema>;

function resolveRecurrentLayer(layer: RNN | SerializedLayer, where: string): RNN {
  if (layer instanceof RNN) return layer;
  const cls = getLayerClass(layer.className);
  if (!cls) throw new Error(`${where}: unknown layer class ${JSON.stringify(layer.className)}.`);
  const built = cls.fromConfig({ ...layer.config });
  if (!(built instanceof RNN)) throw new Error(`${where}: ${layer.className} is not a recurrent layer; Bidirectional wraps SimpleRNN, LSTM, GRU or RNN.`);
  return built;
}

/** A fresh layer of the same class from `layer`'s config, with some keys replaced. */
function copyLayer(layer: RNN, overrides: Record<string, unknown>, where: string): RNN {
  let config: Record<string, unknown>;
  try {
    config = layer.getConfig();
  } catch (e) {
    throw new Error(`${where}: cannot copy ${layer.describe()} for the two directions: ${(e as Error).message}`);
  }
  const { batchInputShape, ...rest } = config;
  void batchInputShape;
  const cls = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): RNN };
  return cls.fromConfig({ ...rest, ...overrides });
}

function withoutPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * Runs a recurrent layer forwards and a copy backwards over the same sequence and merges the two
 * (Keras Bidirectional). As in Keras: both layers are rebuilt from the wrapped layer's config
 * (`forward_<name>`, `backward_<name>` with goBackwards), both get zeroOutputForMask =
 * returnSequences, the backward sequence is flipped back to time order before merging, initial
 * states are split in halves, and returnState gives [merged, ...forwardStates, ...backwardStates].
 * Weights: forward then backward, named `<bidirectional>/forward_<name>/kernel` and so on.
 */
export class Bidirectional extends Layer {
  static override className = 'Bidirectional';
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;

  constructor(args: BidirectionalArgs) {
    const a = parseLayerArgs('Bidirectional', bidirectionalArgsSchema, args);
    const layer = resolveRecurrentLayer(a.layer, 'Bidirectional: layer');
    // A shape given to the wrapped layer (e.g. the first layer of a Sequential) is the wrapper's input shape.
    const inherited = !a.inputShape && !a.batchInputShape && layer.batchInputShape ? { batchInputShape: layer.batchInputShape } : {};
    const { layer: _layer, backwardLayer: _backward, mergeMode, ...layerArgs } = a;
    void _layer;
    void _backward;
    super({ ...layerArgs, ...inherited });
    const where = this.describe();
    this.forwardLayer = copyLayer(layer, { name: `forward_${withoutPrefix(layer.name, 'forward_')}` }, where);
    if (a.backwardLayer) {
      this.backwardLayer = resolveRecurrentLayer(a.backwardLayer, `${where}: backwardLayer`);
      if (!this.backwardLayer.goBackwards) {
        throw new Error(`${where}: backwardLayer must have goBackwards: true (it reads the sequence from the end).`);
      }
    } else {
      this.backwardLayer = copyLayer(layer, { name: `backward_${withoutPrefix(layer.name, 'backward_')}`, goBackwards: true }, where);
    }
    this.checkDirections();
    for (const direction of [this.forwardLayer, this.backwardLayer]) {
      direction.zeroOutputForMask = direction.returnSequences;
      this.trackLayer(direction);
    }
    this.scopeDirections();
    this.mergeMode = mergeMode === undefined ? 'concat' : mergeMode;
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    this.stateful = layer.stateful;
    this.supportsMasking = true;
  }

  /** `<scope>/forward_lstm/kernel`: each direction's weights inside this layer's scope (see setWeightScope). */
  private scopeDirections(): void {
    for (const direction of [this.forwardLayer, this.backwardLayer]) direction.setWeightScope(`${this.weightScope}/${direction.name}`);
  }

  override setWeightScope(scope: string): void {
    if (this.built) return;
    super.setWeightScope(scope);
    this.scopeDirections();
  }

  private checkDirections(): void {
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards) {
      throw new Error(`${this.describe()}: the forward and backward layers need different goBackwards values (got ${f.goBackwards} for both); do not set goBackwards on the wrapped layer.`);
    }
    for (const key of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (f[key] !== b[key]) {
        throw new Error(`${this.describe()}: the forward and backward layers must have the same ${key} (got ${f[key]} and ${b[key]}).`);
      }
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const { input } = splitInitialStateShapes(inputShape);
    for (const direction of [this.forwardLayer, this.backwardLayer]) {
      if (!direction.built) {
        direction.build(input);
        direction.built = true;
      }
    }
  }

  private stateCountMessage(given: number): string {
    return `${this.describe()}: initialState must list the forward states then the backward states (an even count), got ${given}.`;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const { input, initialState } = splitInitialState(inputs, kwargs.initialState ?? null);
    const mask = Array.isArray(kwargs.mask) ? (kwargs.mask[0] ?? null) : (kwargs.mask ?? null);
    let forwardState: Tensor[] | null = null;
    let backwardState: Tensor[] | null = null;
    if (initialState && initialState.length > 0) {
      if (initialState.length % 2 !== 0) throw new Error(this.stateCountMessage(initialState.length));
      const half = initialState.length / 2;
      forwardState = initialState.slice(0, half);
      backwardState = initialState.slice(half);
    }
    const training = kwargs.training;
    return tf.tidy(() => {
      const forward = toList(this.forwardLayer.apply(input, { training, mask, initialState: forwardState }) as Tensor | Tensor[]);
      const backward = toList(this.backwardLayer.apply(input, { training, mask, initialState: backwardState }) as Tensor | Tensor[]);
      const [y, ...forwardStates] = forward;
      const [yBackward, ...backwardStates] = backward;
      const yRev = this.returnSequences ? tf.reverse(yBackward, 1) : yBackward;
      const merged = this.merge(y, yRev);
      const outputs = Array.isArray(merged) ? merged : [merged];
      if (this.returnState) return [...outputs, ...forwardStates, ...backwardStates];
      return merged;
    });
  }

  private merge(y: Tensor, yRev: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return tf.concat([y, yRev], -1);
      case 'sum':
        return tf.add(y, yRev);
      case 'ave':
        return tf.div(tf.add(y, yRev), 2);
      case 'mul':
        return tf.mul(y, yRev);
      case null:
        return [y, yRev];
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { input, initialState } = splitInitialStateShapes(inputShape);
    if (initialState !== null) {
      if (initialState.length % 2 !== 0) throw new Error(this.stateCountMessage(initialState.length));
      this.forwardLayer.checkInitialStateShapes(initialState.slice(0, initialState.length / 2));
      this.backwardLayer.checkInitialStateShapes(initialState.slice(initialState.length / 2));
    }
    const single = this.forwardLayer.computeOutputShape(input);
    const [output, ...stateShapes] = this.returnState ? (single as Shape[]) : [single as Shape];
    let outputs: Shape[];
    if (this.mergeMode === 'concat') {
      const last = output[output.length - 1];
      outputs = [[...output.slice(0, -1), last == null ? null : last * 2]];
    } else if (this.mergeMode === null) {
      outputs = [output, [...output]];
    } else {
      outputs = [output];
    }
    if (this.returnState) return [...outputs, ...stateShapes, ...stateShapes.map((s) => [...s])];
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    void inputs;
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const outputMask = this.returnSequences ? m : null;
    const outputs = this.mergeMode === null ? [outputMask, outputMask] : [outputMask];
    if (this.returnState) {
      const stateCount = 2 * this.forwardLayer.stateSize.length;
      return [...outputs, ...Array(stateCount).fill(null)] as Tensor[];
    }
    return outputs.length === 1 ? outputs[0] : (outputs as Tensor[]);
  }

  /** Resets both directions (to zeros, or to the given states: forward half then backward half). */
  override resetStates(states?: Tensor[] | null): void {
    if (!this.stateful) throw new Error(`${this.describe()}: resetStates needs a stateful wrapped layer (stateful: true).`);
    if (states && states.length > 0) {
      if (states.length % 2 !== 0) {
        throw new Error(`${this.describe()}: resetStates expected the forward states then the backward states (an even count), got ${states.length}.`);
      }
      const half = states.length / 2;
      this.forwardLayer.resetStates(states.slice(0, half));
      this.backwardLayer.resetStates(states.slice(half));
    } else {
      this.forwardLayer.resetStates();
      this.backwardLayer.resetStates();
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mergeMode: this.mergeMode,
      layer: { className: this.forwardLayer.className, config: this.forwardLayer.getConfig() },
      backwardLayer: { className: this.backwardLayer.className, config: this.backwardLayer.getConfig() },
    };
  }
}

registerLayer(Bidirectional);
