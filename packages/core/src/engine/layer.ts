import * as tf from '@tensorflow/tfjs';
import { TensorClass } from './tf_direct';
import type { Constraint } from '../constraints/constraint';
import type { Initializer } from '../initializers/initializer';
import { getInitializer } from '../initializers/lookup';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers';
import type { Regularizer } from '../regularizers/regularizer';
import { enterForwardPass, leaveForwardPass } from './call_context';
import { uniqueName } from './names';
import { toSnakeCase } from '../config/case_conversion';
import { nextSeed } from './random';
import { isSymbolicTensor, Node, SymbolicTensor } from './symbolic';
import { formatShape, isShapeList, toList, type LayerDType, type Shape, type Tensor, type TensorDType } from './types';
import { LayerVariable } from './variable';

/** Arguments every layer accepts. */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Input shape without the batch dimension; only meaningful on a model's first layer. */
  inputShape?: Shape | null;
  /** Input shape including the batch dimension. */
  batchInputShape?: Shape | null;
  batchSize?: number | null;
  /** 'string' only for layers that read raw text (TextVectorization, StringLookup). */
  dtype?: TensorDType | null;
  /** Penalty on the layer's output, added to the loss during training. */
  activityRegularizer?: RegularizerIdentifier | null;
}

/** Options every layer call accepts; layers may take more (e.g. Bidirectional's initial states). */
interface CallOptions {
  training?: boolean;
  [k: string]: unknown;
}

/** Options of an eager call, on tensors. */
export interface CallKwargs extends CallOptions {
  mask?: Tensor | Tensor[] | null;
  initialState?: Tensor[] | null;
}

/**
 * Options of a call on symbolic tensors (graph building). Initial states are symbolic too (they become
 * extra inputs of the node); masks are not given but propagate when the graph runs.
 */
export interface SymbolicCallKwargs extends CallOptions {
  mask?: null;
  initialState?: SymbolicTensor[] | null;
}

export interface AddWeightOptions {
  initializer?: Initializer;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  trainable?: boolean;
  dtype?: LayerDType;
}

/** A layer class as the registry and `fromConfig` see it. */
/* eslint-disable @typescript-eslint/no-explicit-any */
export type LayerClass = (new (args: any) => Layer) & {
  className: string;
  fromConfig(config: Record<string, unknown>): Layer;
};

/**
 * The base of every layer. Subclasses implement `build` (create weights from the input shape), `call`
 * (the eager math), `computeOutputShape`, and, when they handle masks, `computeMask`. `apply` does the
 * rest: lazy building, graph recording for symbolic inputs, activity regularization.
 */
export abstract class Layer {
  /** The Keras class name (`'Dense'`), used by the registry and in configs. */
  static className: string;

  readonly name: string;
  built = false;
  /** Whether an incoming mask passes through this layer (Keras 3: layers that do not support masks drop them). */
  supportsMasking = false;
  readonly dtype: TensorDType;
  /** The input shape declared with `inputShape`/`batchInputShape`, batch dimension included. */
  readonly batchInputShape: Shape | null;
  activityRegularizer: Regularizer | null;
  /** Calls of this layer in graphs, in order (node index = position). */
  readonly inboundNodes: Node[] = [];
  /** Calls of other layers that consume this layer's outputs. */
  readonly outboundNodes: Node[] = [];

  private trainableFlag: boolean;
  private statefulFlag = false;
  private weightScopeOverride: string | null = null;
  private readonly ownWeights: LayerVariable[] = [];
  private readonly trackedLayers: Layer[] = [];
  private readonly lossFns: (() => Tensor)[] = [];
  private activityLosses: Tensor[] = [];

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueName(toSnakeCase(this.className));
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    this.activityRegularizer = args.activityRegularizer ? getRegularizer(args.activityRegularizer) : null;
    if (args.batchInputShape) {
      this.batchInputShape = [...args.batchInputShape];
    } else if (args.inputShape) {
      this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    } else {
      this.batchInputShape = null;
    }
  }

  /** The Keras class name of this layer (falls back to the JS class name for unregistered subclasses). */
  get className(): string {
    const ctor = this.constructor as typeof Layer;
    return Object.prototype.hasOwnProperty.call(ctor, 'className') ? ctor.className : ctor.name;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }
  /** Freezing a layer freezes the layers it contains (wrappers, models), as in Keras. */
  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const layer of this.childLayers) layer.trainable = value;
  }

  /** Whether the layer carries state from one batch to the next (stateful RNNs; a model when any layer is). */
  get stateful(): boolean {
    return this.statefulFlag;
  }
  set stateful(value: boolean) {
    this.statefulFlag = value;
  }

  /** Layers nested in this one (a wrapper's inner layer, a model's layers); their weights are this layer's too. */
  get childLayers(): Layer[] {
    return this.trackedLayers;
  }

  /** Declares a nested layer (called by wrappers in their constructor). */
  protected trackLayer(layer: Layer): void {
    if (!this.trackedLayers.includes(layer)) this.trackedLayers.push(layer);
  }

  // ---- to implement -------------------------------------------------------------------------------------

  /** Creates the weights from the input shape (batch dimension included, possibly null). */
  build(inputShape: Shape | Shape[]): void {
    void inputShape;
  }

  /** The eager computation. */
  abstract call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[];

  /**
   * Output shape for an input shape; by default the same shape. `callArgs` are the plain options of the
   * call (e.g. `returnAttentionScores`), for layers whose outputs depend on them.
   */
  computeOutputShape(inputShape: Shape | Shape[], callArgs?: Record<string, unknown>): Shape | Shape[] {
    void callArgs;
    return inputShape;
  }

  /** Output mask; by default the input mask when the layer supports masking, else none. */
  computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    void inputs;
    return this.supportsMasking ? (mask ?? null) : null;
  }

  /** Dtype of the outputs for a graph; by default the layer's dtype. */
  computeOutputDType(inputDTypes: TensorDType[]): TensorDType {
    void inputDTypes;
    return this.dtype;
  }

  /**
   * Dtype of the data a model starting with this layer is fed (a Sequential's inferred input): the
   * layer's dtype, or strings for layers that read raw text.
   */
  get inputDType(): TensorDType {
    return this.dtype;
  }

  /** Only stateful layers implement this. */
  resetStates?(states?: Tensor[] | null): void;

  // ---- calling ------------------------------------------------------------------------------------------

  /** Eager call on tensors (building the layer on first use), or graph building on symbolic tensors. */
  apply(inputs: Tensor | Tensor[], kwargs?: CallKwargs): Tensor | Tensor[];
  apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: SymbolicCallKwargs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], kwargs: CallKwargs | SymbolicCallKwargs = {}): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    // Written as loops over the inputs: a generator calls this once per layer per token, so the eager
    // path allocates nothing of its own.
    const isList = Array.isArray(inputs);
    const count = isList ? inputs.length : 1;
    if (count === 0) throw new Error(`${this.describe()}: called with an empty list of inputs.`);
    let symbolic = 0;
    for (let i = 0; i < count; i++) if (isSymbolicTensor(isList ? inputs[i] : inputs)) symbolic++;
    if (symbolic > 0) {
      if (symbolic !== count) {
        throw new Error(`${this.describe()}: inputs mix symbolic tensors (from input()) and concrete tensors; use one kind.`);
      }
      return this.applySymbolic(inputs as SymbolicTensor | SymbolicTensor[], kwargs as SymbolicCallKwargs);
    }
    for (let i = 0; i < count; i++) {
      const x: unknown = isList ? inputs[i] : inputs;
      if (!(x instanceof TensorClass)) {
        throw new Error(`${this.describe()}: expected tf.Tensor or symbolic inputs, got ${x === null ? 'null' : typeof x}.`);
      }
    }
    const tensors = inputs as Tensor | Tensor[];
    this.enterPass();
    try {
      if (!this.built) this.maybeBuild(Array.isArray(tensors) ? tensors.map((t) => [...t.shape]) : [...tensors.shape]);
      const outputs = this.call(tensors, kwargs as CallKwargs);
      if (this.activityRegularizer) this.recordActivityLoss(outputs);
      return outputs;
    } finally {
      leaveForwardPass();
    }
  }

  /**
   * Runs `fn` inside the current forward pass, or starts one: then the activity penalties of the previous
   * pass, here and in every nested layer, are released first.
   */
  protected inForwardPass<T>(fn: () => T): T {
    this.enterPass();
    try {
      return fn();
    } finally {
      leaveForwardPass();
    }
  }

  /** Enters a call of the forward pass (pair it with leaveForwardPass), releasing the previous pass's penalties when it starts one. */
  private enterPass(): void {
    if (enterForwardPass()) this.clearActivityLosses();
  }

  private clearActivityLosses(): void {
    // Most layers have none: no new array for them on every call.
    if (this.activityLosses.length > 0) {
      for (const t of this.activityLosses) t.dispose();
      this.activityLosses = [];
    }
    for (const layer of this.childLayers) layer.clearActivityLosses();
  }

  /** Calls `build` once, with the given shape (wrappers use it to build their inner layers). */
  maybeBuild(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
  }

  /** Eager call returning the outputs and their mask in one pass (Model evaluates graphs through this). */
  callAndComputeMask(inputs: Tensor | Tensor[], kwargs: CallKwargs): { outputs: Tensor | Tensor[]; mask: Tensor | Tensor[] | null } {
    const outputs = this.apply(inputs, kwargs);
    const mask = this.computeMask(inputs, kwargs.mask ?? null);
    return { outputs, mask };
  }

  private applySymbolic(inputs: SymbolicTensor | SymbolicTensor[], kwargs: SymbolicCallKwargs): SymbolicTensor | SymbolicTensor[] {
    let inputList = toList(inputs);
    let inputIsList = Array.isArray(inputs);
    const callArgs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(kwargs)) {
      if (value === undefined) continue;
      if (key === 'initialState' && value !== null) {
        // Keras 2 / tfjs convention: symbolic initial states become extra inputs of the node: [x, ...states].
        const states = toList(value as unknown[]);
        if (!states.every(isSymbolicTensor)) {
          throw new Error(`${this.describe()}: initialState must be symbolic tensors when the inputs are symbolic.`);
        }
        inputList = [...inputList, ...(states as SymbolicTensor[])];
        inputIsList = true;
        continue;
      }
      if (key === 'mask') {
        if (value !== null) {
          throw new Error(`${this.describe()}: passing a mask explicitly while building a graph is not supported; masks propagate automatically from Embedding(maskZero) or Masking.`);
        }
        continue;
      }
      if (containsTensor(value)) {
        throw new Error(`${this.describe()}: the call option ${JSON.stringify(key)} holds a tensor, which is not supported in a graph; only initialState may be symbolic.`);
      }
      callArgs[key] = value;
    }
    const shapes = inputList.map((t) => t.shape);
    const shapeArg: Shape | Shape[] = inputIsList ? shapes : shapes[0];
    this.assertInputCompatible(shapeArg);
    this.maybeBuild(shapeArg);
    const outShape = this.computeOutputShape(shapeArg, callArgs);
    const outputIsList = isShapeList(outShape);
    const outShapes = outputIsList ? (outShape as Shape[]) : [outShape as Shape];
    const dtype = this.computeOutputDType(inputList.map((t) => t.dtype));
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map((shape, i) => new SymbolicTensor(dtype, [...shape], this, nodeIndex, i,
      outShapes.length === 1 ? this.name : `${this.name}/${i}`));
    const node = new Node(this, inputList, outputs, callArgs, inputIsList, outputIsList);
    this.inboundNodes.push(node);
    for (const t of inputList) {
      if (!t.sourceLayer.outboundNodes.includes(node)) t.sourceLayer.outboundNodes.push(node);
    }
    return outputIsList ? outputs : outputs[0];
  }

  /** Rejects a graph input whose shape contradicts the declared `batchInputShape`. */
  private assertInputCompatible(shape: Shape | Shape[]): void {
    if (!this.batchInputShape || isShapeList(shape)) return;
    const expected = this.batchInputShape;
    const ok = expected.length === shape.length && expected.every((d, i) => d == null || shape[i] == null || d === shape[i]);
    if (!ok) {
      throw new Error(`${this.describe()}: expected input shape ${formatShape(expected)} (from its inputShape/batchInputShape), got ${formatShape(shape)}.`);
    }
  }

  /**
   * Adds the penalty of this call's outputs, in training and inference alike (Keras 3 counts it in the
   * evaluation loss too). Kept beyond the caller's tidy so `losses` can read it after the forward pass;
   * released when the next forward pass starts.
   */
  private recordActivityLoss(outputs: Tensor | Tensor[]): void {
    const regularizer = this.activityRegularizer;
    if (!regularizer) return;
    for (const o of toList(outputs)) this.activityLosses.push(tf.keep(regularizer.apply(o)));
  }

  // ---- graph access -------------------------------------------------------------------------------------

  /** The output(s) of this layer's only graph call; use `getOutputAt` for layers called several times. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    return this.getOutputAt(this.singleNodeIndex('output'));
  }

  /** The input(s) of this layer's only graph call. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return this.getInputAt(this.singleNodeIndex('input'));
  }

  getOutputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex);
    return node.outputIsList ? node.outputTensors : node.outputTensors[0];
  }

  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex);
    return node.inputIsList ? node.inputTensors : node.inputTensors[0];
  }

  private nodeAt(index: number): Node {
    const node = this.inboundNodes[index];
    if (!node) throw new Error(`${this.describe()}: has no graph call number ${index} (it has ${this.inboundNodes.length}).`);
    return node;
  }

  private singleNodeIndex(what: string): number {
    if (this.inboundNodes.length === 0) throw new Error(`${this.describe()}: has no ${what} yet; call it on a symbolic tensor from input() first.`);
    if (this.inboundNodes.length > 1) {
      throw new Error(`${this.describe()}: is called ${this.inboundNodes.length} times in graphs, so its ${what} is ambiguous; use get${what === 'input' ? 'Input' : 'Output'}At(nodeIndex).`);
    }
    return 0;
  }

  // ---- weights ------------------------------------------------------------------------------------------

  /** The prefix of this layer's weight names (`<scope>/kernel`): its name, unless a wrapper set another. */
  get weightScope(): string {
    return this.weightScopeOverride ?? this.name;
  }

  /**
   * Names the weights this layer will create `<scope>/<weight>`. TensorFlow.js and Keras 2 name a wrapped
   * layer's weights after its wrapper (`time_distributed/kernel`, `bidirectional/forward_lstm/kernel`), and
   * their files use those names, so wrappers call this before their inner layer is built. A built layer
   * keeps the names its weights already have. Layers that hold other layers pass the scope on.
   */
  setWeightScope(scope: string): void {
    if (this.built) return;
    this.weightScopeOverride = scope;
  }

  /** Declares a weight named `<weightScope>/<name>`; its value is created lazily (see LayerVariable). */
  addWeight(name: string, shape: number[], opts: AddWeightOptions = {}): LayerVariable {
    const fullName = `${this.weightScope}/${name}`;
    if (this.ownWeights.some((w) => w.name === fullName)) {
      throw new Error(`${this.describe()}: a weight named ${JSON.stringify(name)} already exists.`);
    }
    const dtype = opts.dtype ?? (this.dtype === 'int32' ? 'int32' : 'float32');
    const initializer = opts.initializer ?? getInitializer(dtype === 'float32' ? 'glorotUniform' : 'zeros');
    const variable = new LayerVariable({
      name: fullName, shape, dtype, trainable: opts.trainable ?? true, constraint: opts.constraint ?? null,
      initializer, seed: nextSeed(),
    });
    this.ownWeights.push(variable);
    const regularizer = opts.regularizer;
    if (regularizer) this.addLoss(() => regularizer.apply(variable.read()));
    return variable;
  }

  /** All weights, Keras order: this layer's trainable, then its non-trainable, then nested layers'. */
  get weights(): LayerVariable[] {
    return [...this.trainableWeightsIgnoringFlag(), ...this.nonTrainableWeightsIgnoringFlag()];
  }

  get trainableWeights(): LayerVariable[] {
    return this.trainable ? this.trainableWeightsIgnoringFlag() : [];
  }

  get nonTrainableWeights(): LayerVariable[] {
    return this.trainable ? this.nonTrainableWeightsIgnoringFlag() : this.weights;
  }

  private trainableWeightsIgnoringFlag(): LayerVariable[] {
    return [...this.ownWeights.filter((w) => w.trainable), ...this.childLayers.flatMap((l) => l.trainableWeights)];
  }

  private nonTrainableWeightsIgnoringFlag(): LayerVariable[] {
    return [...this.ownWeights.filter((w) => !w.trainable), ...this.childLayers.flatMap((l) => l.nonTrainableWeights)];
  }

  /** Copies of the weight values, Keras order; the caller owns (and disposes) them. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.read().clone());
  }

  /** Sets every weight at once, Keras order and shapes. Checks everything before writing anything. */
  setWeights(values: Tensor[]): void {
    const weights = this.weights;
    if (!this.built && weights.length === 0) {
      throw new Error(`${this.describe()}: is not built yet, so it has no weights to set; call it on an input (or build(shape)) first.`);
    }
    if (!Array.isArray(values) || values.length !== weights.length) {
      const expected = weights.map((w) => `${w.name} [${w.shape.join(', ')}]`).join(', ');
      throw new Error(`${this.describe()}: setWeights expected ${weights.length} tensors (${expected}), got ${Array.isArray(values) ? values.length : typeof values}.`);
    }
    values.forEach((v, i) => {
      if (!(v instanceof tf.Tensor)) throw new Error(`${this.describe()}: setWeights: value ${i} (for ${weights[i].name}) is not a tf.Tensor.`);
      if (!tf.util.arraysEqual(v.shape, weights[i].shape)) {
        throw new Error(`${this.describe()}: setWeights: ${weights[i].name} expects shape [${weights[i].shape.join(', ')}], got [${v.shape.join(', ')}].`);
      }
    });
    values.forEach((v, i) => weights[i].write(v));
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    if (!this.built) {
      throw new Error(`${this.describe()}: is not built, so its parameter count is unknown; call it on an input or give it an inputShape.`);
    }
    return this.weights.reduce((sum, w) => sum + w.size, 0);
  }

  // ---- losses -------------------------------------------------------------------------------------------

  /** Adds a loss computed on demand (e.g. a weight penalty). */
  addLoss(loss: () => Tensor): void {
    this.lossFns.push(loss);
  }

  /**
   * Fresh tensors, which the caller disposes: the weight penalties, and the activity penalties of the
   * last forward pass (copies, through which gradients flow when that pass was recorded by tf.grad).
   */
  get losses(): Tensor[] {
    // Each layer once, even when it is reachable twice (a layer used in a model and in a model nested in it).
    const layers = new Set<Layer>();
    const visit = (layer: Layer): void => {
      if (layers.has(layer)) return;
      layers.add(layer);
      layer.childLayers.forEach(visit);
    };
    visit(this);
    return [...layers].flatMap((l) => [...l.lossFns.map((fn) => fn()), ...l.activityLosses.map((t) => t.clone())]);
  }

  // ---- config -------------------------------------------------------------------------------------------

  /** camelCase constructor arguments; `fromConfig(getConfig())` rebuilds an equivalent layer. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    if (this.activityRegularizer) config.activityRegularizer = this.activityRegularizer.serialize();
    return config;
  }

  static fromConfig<T>(this: new (args: any) => T, config: Record<string, unknown>): T {
    return new this({ ...config });
  }

  // ---- lifetime -----------------------------------------------------------------------------------------

  /** Frees the weights (and nested layers' weights). The layer cannot be used afterwards. */
  dispose(): void {
    for (const w of this.ownWeights) w.dispose();
    for (const t of this.activityLosses) t.dispose();
    this.activityLosses = [];
    for (const l of this.childLayers) l.dispose();
  }

  /** `Dense 'dense_1'`, for error messages. */
  describe(): string {
    return `${this.className} '${this.name}'`;
  }
}

function containsTensor(value: unknown): boolean {
  if (value instanceof tf.Tensor || isSymbolicTensor(value)) return true;
  if (Array.isArray(value)) return value.some(containsTensor);
  return false;
}
