import type { Layer } from './layer';
import type { Shape, TensorDType } from './types';

let nextTensorId = 0;

/**
 * A placeholder for a tensor in a model graph: known shape (batch as null) and dtype, and the layer
 * call (node) that produces it. Symbolic tensors carry no data; a Model evaluates them.
 */
export class SymbolicTensor {
  /** Process-unique id, used as a key when a model evaluates its graph. */
  readonly id = nextTensorId++;
  constructor(
    readonly dtype: TensorDType,
    readonly shape: Shape,
    /** The layer whose call produced this tensor. */
    readonly sourceLayer: Layer,
    /** Index of that call among the layer's inbound nodes. */
    readonly nodeIndex: number,
    /** Index of this tensor among the call's outputs. */
    readonly tensorIndex: number,
    readonly name: string,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor(${this.name}, shape=[${this.shape.map((d) => (d == null ? 'null' : d)).join(', ')}], dtype=${this.dtype})`;
  }
}

export function isSymbolicTensor(x: unknown): x is SymbolicTensor {
  return x instanceof SymbolicTensor;
}

/** One call of a layer in a graph: which tensors went in, which came out, and the plain call options. */
export class Node {
  constructor(
    readonly outboundLayer: Layer,
    readonly inputTensors: SymbolicTensor[],
    readonly outputTensors: SymbolicTensor[],
    /** Non-tensor call options recorded with the call (e.g. `training`), JSON-serializable. */
    readonly callArgs: Record<string, unknown>,
    /** Whether the layer was called with a list (`[a, b]`) rather than one tensor. */
    readonly inputIsList: boolean,
    /** Whether the layer returned a list. */
    readonly outputIsList: boolean,
  ) {}

  get inboundLayers(): Layer[] {
    return this.inputTensors.map((t) => t.sourceLayer);
  }
}
