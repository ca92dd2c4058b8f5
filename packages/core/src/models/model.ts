import * as tf from '@tensorflow/tfjs';
import { TensorClass, tfEngine } from '../engine/tf_direct';
import { InputLayer } from '../engine/input_layer';
import { Layer, type CallKwargs } from '../engine/layer';
import { registerLayer } from '../engine/registry';
import { isSymbolicTensor, type SymbolicTensor } from '../engine/symbolic';
import { formatShape, isShapeList, toList, type Shape, type Tensor, type TensorDType } from '../engine/types';
import type { LayerVariable } from '../engine/variable';
import { executeGraph, type GraphResult } from './execute';
import { planGraph, type ExecutionPlan } from './execution_plan';
import { withSoftmaxLogitsKept } from '../engine/softmax_logits_scope';
import { estimateMemory, type EstimateOptions, type MemoryEstimate } from './memory_estimate';
import { mapGraph, type GraphMap } from './graph';
import { modelFromConfig, modelToConfig, type ModelConfig } from './model_config';
import { predictOnBatch, testOnBatch, trainOnBatch, type OnBatchOptions } from '../training/batch_methods';
import { compileModel, optimizerOf, releaseCompiled, type CompileArgs } from '../training/compile_args';
import type { Optimizer } from '../training/optimizers/optimizer';
import { evaluateModel, type EvaluateArgs } from '../training/evaluate';
import { fitModel, type FitArgs } from '../training/fit';
import type { History } from '../training/history';
import type { Logs } from '../training/logs';
import { saveModel, type SaveModelOptions } from '../saving/save_model';
import { ownedOutputs, predictInBatches } from './predict';
import type { SequentialConfig } from './sequential';
import { printSummary } from './summary';

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
  trainable?: boolean;
}

/**
 * A functional model: the graph of layer calls between symbolic inputs and outputs. It is itself a
 * layer, so it can be called on new inputs (model-as-layer), and it evaluates its graph eagerly with
 * mask propagation for prediction and training.
 */
export class Model extends Layer {
  static override className = 'Functional';

  /**
   * Set (by a callback such as EarlyStopping or TerminateOnNaN, or by the user) to end `fit` after the
   * current batch; `fit` clears it when it starts.
   */
  stopTraining = false;

  private graphInputs: SymbolicTensor[] = [];
  private graphOutputs: SymbolicTensor[] = [];
  private graph: GraphMap = { nodes: [], layers: [], nodeSet: new Set() };
  /** The graph numbered for evaluation, made on the first forward pass after the graph is set. */
  private plan: ExecutionPlan | null = null;

  constructor(args: ModelArgs | { name?: string; trainable?: boolean }) {
    super({ name: args.name, trainable: args.trainable });
    if ('inputs' in args && 'outputs' in args) {
      this.initGraph(args.inputs, args.outputs);
      if (args.trainable === false) this.trainable = false;
    } else if (this.constructor === Model) {
      throw new Error('Model: give both inputs and outputs, e.g. model({ inputs: x, outputs: y }).');
    }
  }

  /** Sets (or replaces) the graph; Sequential calls this as layers are added. */
  protected initGraph(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[]): void {
    const ins = toList(inputs);
    const outs = toList(outputs);
    const owner = `${this.className} '${this.name}'`;
    if (ins.length === 0 || outs.length === 0) throw new Error(`${owner}: needs at least one input and one output.`);
    for (const t of [...ins, ...outs]) {
      if (!isSymbolicTensor(t)) {
        throw new Error(`${owner}: inputs and outputs must be symbolic tensors (from input() and layer.apply on them), got ${t === null ? 'null' : typeof t}.`);
      }
    }
    if (new Set(ins).size !== ins.length) throw new Error(`${owner}: the same input is listed twice.`);
    const graph = mapGraph(ins, outs, owner);
    const seen = new Map<string, Layer>();
    for (const layer of graph.layers) {
      const other = seen.get(layer.name);
      if (other && other !== layer) {
        throw new Error(`${owner}: two different layers are named '${layer.name}'; layer names must be unique within a model.`);
      }
      seen.set(layer.name, layer);
    }
    this.graphInputs = ins;
    this.graphOutputs = outs;
    this.graph = graph;
    this.plan = null;
    this.built = true;
    this.supportsMasking = true;
  }

  /** Forgets the graph (Sequential after popping its last layer). */
  protected clearGraph(): void {
    this.graphInputs = [];
    this.graphOutputs = [];
    this.graph = { nodes: [], layers: [], nodeSet: new Set() };
    this.plan = null;
    this.built = false;
  }

  /** Whether the model has a graph yet (a Sequential without an input shape does not). */
  get hasGraph(): boolean {
    return this.graphOutputs.length > 0;
  }

  get inputs(): SymbolicTensor[] {
    return this.graphInputs;
  }

  get outputs(): SymbolicTensor[] {
    return this.graphOutputs;
  }

  /** Every layer of the graph, input layers included, in Keras order. */
  get layers(): Layer[] {
    return this.graph.layers;
  }

  /**
   * The memory this model is estimated to need: its weights, or training at a batch size with an
   * optimizer's slots (memory_estimate.ts). Nothing is allocated.
   */
  memoryEstimate(opts: EstimateOptions = {}): MemoryEstimate {
    const nodes = this.graph.nodeSet;
    const callShapes = (layer: Layer): [Shape[], Shape[]][] =>
      layer.inboundNodes.filter((n) => nodes.has(n)).map((n) => [n.inputTensors.map((t) => t.shape), n.outputTensors.map((t) => t.shape)]);
    return estimateMemory({ layers: this.layers, callShapes }, opts);
  }

  /** The nodes of the graph, for config and summary. */
  get graphMap(): GraphMap {
    return this.graph;
  }

  get inputNames(): string[] {
    return this.graphInputs.map((t) => t.sourceLayer.name);
  }

  get outputNames(): string[] {
    return this.graphOutputs.map((t) => t.sourceLayer.name);
  }

  override get childLayers(): Layer[] {
    return this.layers;
  }

  getLayer(name: string): Layer;
  getLayer(args: { name?: string; index?: number }): Layer;
  getLayer(arg: string | { name?: string; index?: number }): Layer {
    const name = typeof arg === 'string' ? arg : arg.name;
    if (name !== undefined) {
      const layer = this.layers.find((l) => l.name === name);
      if (!layer) throw new Error(`${this.describe()}: no layer named '${name}'; layers: ${this.layers.map((l) => l.name).join(', ')}.`);
      return layer;
    }
    const index = typeof arg === 'string' ? undefined : arg.index;
    if (index === undefined || !Number.isInteger(index) || index < 0 || index >= this.layers.length) {
      throw new Error(`${this.describe()}: getLayer needs a name or an index in [0, ${this.layers.length - 1}].`);
    }
    return this.layers[index];
  }

  // ---- weights (per layer, in layer order, as Keras) ------------------------------------------------------

  override get weights(): LayerVariable[] {
    return unique(this.layers.flatMap((l) => l.weights));
  }

  override get trainableWeights(): LayerVariable[] {
    return this.trainable ? unique(this.layers.flatMap((l) => l.trainableWeights)) : [];
  }

  override get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable) return this.weights;
    return unique(this.layers.flatMap((l) => l.nonTrainableWeights));
  }

  override get stateful(): boolean {
    return this.layers.some((l) => l.stateful);
  }
  override set stateful(value: boolean) {
    void value;
    throw new Error(`${this.describe()}: a model is stateful when one of its layers is; set stateful on the layer.`);
  }

  /** Resets the states of every stateful layer (to zeros). */
  override resetStates(): void {
    for (const layer of this.layers) {
      if (layer.stateful && typeof layer.resetStates === 'function') layer.resetStates();
      else if (layer instanceof Model) layer.resetStates();
    }
  }

  // ---- evaluation ---------------------------------------------------------------------------------------

  /**
   * Checks that the data fed to the model matches its inputs: count, rank, fixed dimensions. Loops rather
   * than closures: a generator feeds the model once per token.
   */
  private checkFeed(inputs: Tensor[]): void {
    if (!this.hasGraph) throw new Error(`${this.describe()}: has no inputs yet; give its first layer an inputShape or add an input().`);
    if (inputs.length !== this.graphInputs.length) {
      throw new Error(`${this.describe()}: expects ${this.graphInputs.length} input tensor(s) (${this.inputNames.join(', ')}), got ${inputs.length}.`);
    }
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      if (!(x instanceof TensorClass)) throw new Error(`${this.describe()}: input ${i} is not a tf.Tensor.`);
      const expected = this.graphInputs[i].shape;
      let ok = x.rank === expected.length;
      for (let k = 0; ok && k < expected.length; k++) ok = expected[k] == null || expected[k] === x.shape[k];
      if (!ok) {
        throw new Error(`${this.describe()}: input ${i} ('${this.inputNames[i]}') expects shape ${formatShape(expected)}, got [${x.shape.join(', ')}].`);
      }
    }
    const batch = inputs[0].shape[0];
    for (const x of inputs) {
      if (x.shape[0] !== batch) {
        throw new Error(`${this.describe()}: all inputs must have the same batch size, got ${inputs.map((t) => t.shape[0]).join(', ')}.`);
      }
    }
  }

  /**
   * Keras 3's rank adjustment: data lacking a trailing axis of size 1 that the input declares gets it, so
   * a flat list of strings feeds an `input({ shape: [1], dtype: 'string' })`. The same list when nothing
   * changes.
   */
  private withDeclaredRanks(inputs: Tensor[]): Tensor[] {
    if (!this.hasGraph) return inputs;
    let adjusted: Tensor[] | null = null;
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      const expected = this.graphInputs[i]?.shape;
      if (expected && x instanceof TensorClass && x.rank === expected.length - 1 && expected[expected.length - 1] === 1) {
        adjusted ??= [...inputs];
        adjusted[i] = x.expandDims(-1);
      }
    }
    return adjusted ?? inputs;
  }

  private get executionPlan(): ExecutionPlan {
    this.plan ??= planGraph(this.graph, this.graphInputs, this.graphOutputs);
    return this.plan;
  }

  /**
   * Eager forward pass over the graph, propagating masks: used by predict and by the training engine.
   * With `keepLogits`, the logits of each softmax output come back too (`logits`), in the caller's scope.
   */
  callWithMasks(inputs: Tensor[], opts: { training: boolean; masks?: (Tensor | null)[]; keepLogits?: boolean }): GraphResult {
    this.prepareForData(inputs);
    const feedMasks = opts.masks ?? null;
    // One forward pass: the activity penalties recorded inside it replace those of the previous one.
    const keepLogits = opts.keepLogits === true;
    return this.inForwardPass(() => withSoftmaxLogitsKept(keepLogits, () => tf.tidy(() => (
      this.evaluateGraph(inputs, feedMasks, opts.training, keepLogits) as unknown as tf.TensorContainer
    ))) as unknown as GraphResult);
  }

  /** The graph evaluated on data fed as the inputs take it (ranks adjusted, then checked); inside a scope. */
  private evaluateGraph(inputs: Tensor[], feedMasks: (Tensor | null)[] | null, training: boolean, keepLogits = false): GraphResult {
    const fed = this.withDeclaredRanks(inputs);
    this.checkFeed(fed);
    return executeGraph(this.executionPlan, this.graphInputs, fed, feedMasks, training, keepLogits);
  }

  /**
   * The outputs of one forward pass in inference mode, as tensors the caller owns: what predict and
   * predictOnBatch return. One scope around the whole pass, whose masks and intermediates it frees (a
   * tf.tidy written out: the scope ends on one output itself rather than on a list, which tfjs walks key by
   * key), and no copy of an output the pass created (`ownedOutputs`).
   */
  predictOutputs(inputs: Tensor[]): Tensor[] {
    this.prepareForData(inputs);
    return this.inForwardPass(() => {
      const engine = tfEngine();
      let outputs: Tensor[] = [];
      engine.startScope();
      try {
        outputs = ownedOutputs(this.evaluateGraph(inputs, null, false).outputs);
      } finally {
        // On an error, nothing is kept: every tensor of the pass is freed, as tf.tidy does.
        engine.endScope(outputs.length === 1 ? outputs[0] : outputs);
      }
      return outputs;
    });
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    return this.callAndComputeMask(inputs, kwargs).outputs;
  }

  override callAndComputeMask(inputs: Tensor | Tensor[], kwargs: CallKwargs): { outputs: Tensor | Tensor[]; mask: Tensor | Tensor[] | null } {
    const xs = toList(inputs);
    const masks = kwargs.mask == null ? xs.map(() => null) : toList(kwargs.mask as Tensor | Tensor[]);
    const result = this.callWithMasks(xs, { training: kwargs.training === true, masks });
    const single = result.outputs.length === 1;
    const anyMask = result.masks.some((m) => m !== null);
    return {
      outputs: single ? result.outputs[0] : result.outputs,
      mask: anyMask ? (single ? result.masks[0] : (result.masks as Tensor[])) : null,
    };
  }

  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    return tf.tidy(() => {
      const { outputs, mask: outMask } = this.callAndComputeMask(inputs, { training: false, mask });
      toList(outputs).forEach((t) => t.dispose());
      return outMask as tf.TensorContainer;
    }) as Tensor | Tensor[] | null;
  }

  /** Shape inference through the graph for new input shapes. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    if (shapes.length !== this.graphInputs.length) {
      throw new Error(`${this.describe()}: expects ${this.graphInputs.length} input(s), got ${shapes.length} shape(s).`);
    }
    const known = new Map<number, Shape>();
    this.graphInputs.forEach((t, i) => known.set(t.id, shapes[i]));
    for (const node of this.graph.nodes) {
      if (node.outboundLayer instanceof InputLayer) continue;
      const ins = node.inputTensors.map((t) => known.get(t.id) ?? t.shape);
      const out = node.outboundLayer.computeOutputShape(node.inputIsList ? ins : ins[0], node.callArgs);
      const outs = isShapeList(out) ? out : [out];
      node.outputTensors.forEach((t, i) => known.set(t.id, outs[i]));
    }
    const result = this.graphOutputs.map((t) => known.get(t.id)!);
    return result.length === 1 ? result[0] : result;
  }

  override computeOutputDType(): TensorDType {
    return this.graphOutputs[0]?.dtype ?? 'float32';
  }

  /** Runs the model on `x` in batches (default 32) in inference mode and joins the results. */
  predict(x: Tensor | Tensor[], opts: { batchSize?: number } = {}): Tensor | Tensor[] {
    const xs = toList(x);
    const outs = predictInBatches(this, xs, opts.batchSize ?? 32);
    // One output comes back as a tensor, several as a list (as Keras's predict).
    return outs.length === 1 ? outs[0] : outs;
  }

  /** Hook for models that learn their input shape from the first data they see (Sequential). */
  prepareForData(inputs: Tensor[]): void {
    void inputs;
  }

  // ---- training (the engine lives in training/) ----------------------------------------------------------

  /** Sets the optimizer, loss(es) and metrics for fit/evaluate. */
  compile(args: CompileArgs): void {
    compileModel(this, args);
  }

  /** Frees the weights and the optimizer's state (slot variables). The model cannot be used afterwards. */
  override dispose(): void {
    releaseCompiled(this);
    super.dispose();
  }

  /** The optimizer set by compile (null before), e.g. to change its learning rate. */
  get optimizer(): Optimizer | null {
    return optimizerOf(this);
  }

  /** Trains for a number of epochs; resolves to the History of losses and metrics. */
  fit(x: unknown, y?: unknown, args: FitArgs = {}): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /** Loss and metrics on the given data, in inference mode. */
  evaluate(x: unknown, y?: unknown, args: EvaluateArgs = {}): Promise<number | number[] | Logs> {
    return evaluateModel(this, x, y, args);
  }

  /** One optimizer step on one batch; returns the loss and metrics of that batch. */
  trainOnBatch(x: unknown, y: unknown, opts: OnBatchOptions = {}): number | number[] | Logs {
    return trainOnBatch(this, x, y, opts);
  }

  /** Loss and metrics of one batch, in inference mode. */
  testOnBatch(x: unknown, y: unknown, opts: OnBatchOptions = {}): number | number[] | Logs {
    return testOnBatch(this, x, y, opts);
  }

  /** The outputs for one batch, in inference mode. */
  predictOnBatch(x: unknown): Tensor | Tensor[] {
    return predictOnBatch(this, x);
  }

  // ---- saving -------------------------------------------------------------------------------------------

  /**
   * Writes the model into the folder `target` as TensorFlow.js files (model.json + weights.bin, and the
   * optimizer state with `includeOptimizer`), atomically, or into a Keras 3 archive when `target` ends in
   * `.keras`; `loadModel(target)` reads either back. A folder is written before this returns; await the
   * Promise for a .keras file. See `saveModel`.
   */
  save(target: string, opts: SaveModelOptions = {}): Promise<void> {
    return saveModel(this, target, opts);
  }

  // ---- reporting and config -----------------------------------------------------------------------------

  /** Prints a Keras-style table of the layers, output shapes and parameter counts. */
  summary(lineLength?: number, printFn: (line: string) => void = console.log): void {
    printSummary(this, lineLength, printFn);
  }

  /** The functional config (a Sequential model returns its own, simpler `SequentialConfig`). */
  override getConfig(): ModelConfig | SequentialConfig {
    return modelToConfig(this);
  }

  static override fromConfig<T>(this: new (args: any) => T, config: Record<string, unknown>): T {
    const { inputs, outputs, name } = modelFromConfig(config as ModelConfig);
    return new this({ inputs, outputs, name });
  }

}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

registerLayer(Model as unknown as import('../engine/layer').LayerClass, 'Model');

/** Builds a functional model: `model({ inputs: x, outputs: y })`. */
export function model(args: ModelArgs): Model {
  return new Model(args);
}
