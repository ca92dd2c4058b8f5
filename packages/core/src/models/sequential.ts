import type * as tf from '@tensorflow/tfjs';
import { InputLayer, input } from '../engine/input_layer';
import { Layer } from '../engine/layer';
import type { LayerClass } from '../engine/layer';
import { deserializeLayer, registerLayer } from '../engine/registry';
import { isSymbolicTensor, type SymbolicTensor } from '../engine/symbolic';
import type { Shape } from '../engine/types';
import { Model } from './model';

export interface SequentialArgs {
  layers?: (Layer | SymbolicTensor)[];
  name?: string;
  trainable?: boolean;
}

/** camelCase mirror of Keras's Sequential config. */
export type SequentialConfig = {
  name: string;
  layers: { className: string; config: Record<string, unknown> }[];
};

/**
 * A stack of single-input, single-output layers. The graph exists as soon as the input shape is known:
 * from an `input()` added first, from the first layer's `inputShape`/`batchInputShape`, or from the
 * first data the model sees (`predict`, `fit`, or `build(shape)`).
 */
export class Sequential extends Model {
  static override className = 'Sequential';
  private stack: Layer[] = [];
  /** Symbolic tensors along the chain: the input, then each layer's output. */
  private chain: SymbolicTensor[] = [];
  /** Whether the input came from an explicit input() (it then appears in the config). */
  private explicitInput = false;
  /** Whether the input shape was guessed from data (it is then relaxed when other data disagrees). */
  private inferredInput = false;

  constructor(args: SequentialArgs = {}) {
    super({ name: args.name, trainable: args.trainable });
    for (const layer of args.layers ?? []) this.add(layer);
    if (args.trainable === false) this.trainable = false;
  }

  /** The layers, without the input layer (as Keras lists them). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Appends a layer (or, first, an `input()` that fixes the input shape). */
  add(layer: Layer | SymbolicTensor): void {
    if (isSymbolicTensor(layer) || layer instanceof InputLayer) {
      const tensor = isSymbolicTensor(layer) ? layer : layer.outputTensor;
      if (!(tensor.sourceLayer instanceof InputLayer)) {
        throw new Error(`${this.describe()}: add() takes layers, or an input() as the very first element; got the output of layer '${tensor.sourceLayer.name}'.`);
      }
      if (this.stack.length > 0 || this.chain.length > 0) {
        throw new Error(`${this.describe()}: an input() can only be added first, before any layer.`);
      }
      this.chain = [tensor];
      this.explicitInput = true;
      return;
    }
    if (!(layer instanceof Layer)) {
      throw new Error(`${this.describe()}: add() expects a layer, got ${layer === null ? 'null' : typeof layer}.`);
    }
    if (layer instanceof Model && (layer.inputs.length > 1 || layer.outputs.length > 1)) {
      throw new Error(`${this.describe()}: a model with several inputs or outputs cannot be a layer of a Sequential model; use the functional API.`);
    }
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new Error(`${this.describe()}: it already has a layer named '${layer.name}'; layer names must be unique.`);
    }
    if (this.chain.length === 0 && this.stack.length === 0) {
      const shape = layer instanceof Model ? layer.inputs[0]?.shape : layer.batchInputShape;
      if (shape) this.chain = [input({ batchShape: shape, dtype: layer instanceof Model ? layer.inputs[0].dtype : layer.inputDType })];
    }
    this.stack.push(layer);
    if (this.chain.length === 0) return;
    try {
      this.extendChain(layer);
    } catch (e) {
      this.stack.pop();
      throw e;
    }
  }

  private extendChain(layer: Layer): void {
    const out = layer.apply(this.chain[this.chain.length - 1]);
    if (Array.isArray(out)) {
      throw new Error(`${this.describe()}: layer '${layer.name}' returns ${out.length} tensors; every layer of a Sequential model must return one (use the functional API).`);
    }
    this.chain.push(out);
    this.initGraph(this.chain[0], out);
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (!layer) throw new Error(`${this.describe()}: has no layers to pop.`);
    if (this.chain.length > 1) {
      this.chain.pop();
      if (this.chain.length > 1) this.initGraph(this.chain[0], this.chain[this.chain.length - 1]);
      else this.clearGraph();
    }
    return layer;
  }

  /** Creates the graph for inputs of `inputShape` (batch dimension included, null allowed), if not done yet. */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.hasGraph || inputShape === undefined) return;
    const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    if (this.stack.length === 0) throw new Error(`${this.describe()}: has no layers to build.`);
    const first = this.stack[0];
    if (this.chain.length === 0) this.chain = [input({ batchShape: shape, dtype: first instanceof Model ? first.inputs[0].dtype : first.inputDType })];
    for (const layer of this.stack) this.extendChain(layer);
  }

  /**
   * Builds from the first data seen. As in Keras 2, when later data disagrees with a shape that was only
   * inferred (another sequence length, say), the disagreeing dimensions become unknown and the graph is rebuilt.
   */
  override prepareForData(inputs: tf.Tensor[]): void {
    if (inputs.length === 0) return;
    if (!this.hasGraph) {
      if (inputs.length !== 1) throw new Error(`${this.describe()}: takes one input tensor, got ${inputs.length}.`);
      this.build([null, ...inputs[0].shape.slice(1)]);
      this.inferredInput = true;
      return;
    }
    if (!this.inferredInput || inputs.length !== 1) return;
    const current = this.chain[0].shape;
    const shape = inputs[0].shape;
    if (shape.length !== current.length || current.every((d, i) => d == null || d === shape[i])) return;
    const relaxed = current.map((d, i) => (d === shape[i] ? d : null));
    this.chain = [];
    this.clearGraph();
    this.build(relaxed);
  }

  override getConfig(): SequentialConfig {
    const layers = this.stack.map((l) => ({ className: l.className, config: l.getConfig() }));
    if (this.explicitInput) {
      const inputLayer = this.chain[0].sourceLayer as InputLayer;
      layers.unshift({ className: 'InputLayer', config: inputLayer.getConfig() });
    }
    return { name: this.name, layers };
  }

  static override fromConfig<T>(this: new (args: any) => T, config: Record<string, unknown>): T {
    const c = config as SequentialConfig;
    if (!c || !Array.isArray(c.layers)) throw new Error('Sequential.fromConfig: expected { name, layers: [{ className, config }, ...] }.');
    const seq = new this({ name: c.name }) as unknown as Sequential;
    for (const entry of c.layers) {
      if (entry.className === 'InputLayer') seq.add(new InputLayer(entry.config as ConstructorParameters<typeof InputLayer>[0]));
      else seq.add(deserializeLayer(entry));
    }
    return seq as unknown as T;
  }
}

registerLayer(Sequential as unknown as LayerClass);

/** Builds a Sequential model: `sequential({ layers: [...] })`. */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}
