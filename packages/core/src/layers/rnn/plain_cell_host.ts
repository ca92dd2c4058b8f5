import * as tf from '@tensorflow/tfjs';
import { Layer } from '../../engine/layer';
import { formatShape, isShapeList, type Shape, type Tensor } from '../../engine/types';
import { LayerVariable } from '../../engine/variable';
import type { RecurrentCell } from './cell_protocol';

/**
 * A tf.Variable created by a user-written cell, presented as a LayerVariable so that the RNN layer
 * can list, train, save and count it like its own weights. Reads and writes go to the user's
 * variable itself, so the cell's step keeps seeing the current value.
 */
export class AdoptedVariable extends LayerVariable {
  constructor(private readonly adoptedVariable: tf.Variable, name: string) {
    super({
      name, shape: [...adoptedVariable.shape], dtype: adoptedVariable.dtype === 'int32' ? 'int32' : 'float32',
      trainable: adoptedVariable.trainable,
    });
  }
  override get trainable(): boolean {
    return this.adoptedVariable.trainable;
  }
  override set trainable(value: boolean) {
    this.adoptedVariable.trainable = value;
  }
  override get initialized(): boolean {
    return !this.adoptedVariable.isDisposed;
  }
  override get val(): tf.Variable {
    if (this.adoptedVariable.isDisposed) throw new Error(`Weight ${this.name} was disposed.`);
    return this.adoptedVariable;
  }
  override read(): tf.Tensor {
    return this.val;
  }
  override write(value: tf.Tensor): void {
    if (!tf.util.arraysEqual(value.shape, this.shape)) {
      throw new Error(`Weight ${this.name}: expected shape [${this.shape.join(', ')}], got [${value.shape.join(', ')}].`);
    }
    this.val.assign(value.dtype === this.adoptedVariable.dtype ? value : tf.cast(value, this.adoptedVariable.dtype));
  }
  override dispose(): void {
    if (!this.adoptedVariable.isDisposed) this.adoptedVariable.dispose();
  }
}

/**
 * The Layer that stands for a plain (non-Layer) user cell inside an RNN layer: it builds the cell,
 * handing it a factory for weights the layer owns (`<layer>/<name>`), and exposes the tf.Variables
 * the cell created itself, so every weight of the cell is a weight of the RNN layer.
 */
export class PlainCellHost extends Layer {
  static override className = 'PlainCellHost';
  private readonly adopted = new Map<tf.Variable, AdoptedVariable>();

  constructor(readonly cell: RecurrentCell, name: string) {
    super({ name });
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    if (this.cell.built) return;
    if (typeof this.cell.build === 'function') {
      this.cell.build(shape, (name, weightShape, options) => {
        const dims = weightShape.map((d) => {
          if (!Number.isInteger(d) || d < 0) {
            throw new Error(`${this.describe()}: weight ${JSON.stringify(name)} needs a known shape, got [${weightShape.join(', ')}] for step input ${formatShape(shape)}.`);
          }
          return d;
        });
        return this.addWeight(name, dims, options ?? {});
      });
    }
    try {
      (this.cell as { built?: boolean }).built = true;
    } catch {
      // A cell exposing `built` as a read-only getter manages the flag itself.
    }
  }

  call(): Tensor {
    throw new Error(`${this.describe()}: a cell runs through its RNN layer, not on its own.`);
  }

  override get trainableWeights(): LayerVariable[] {
    return this.trainable ? unique([...super.trainableWeights, ...this.adopt(this.cell.trainableWeights)]) : [];
  }

  override get nonTrainableWeights(): LayerVariable[] {
    const own = this.adopt(this.cell.nonTrainableWeights);
    return unique(this.trainable ? [...super.nonTrainableWeights, ...own]
      : [...super.nonTrainableWeights, ...this.adopt(this.cell.trainableWeights), ...own]);
  }

  /** LayerVariables pass through; tf.Variables are wrapped once and remembered. */
  private adopt(list: ReadonlyArray<tf.Variable | LayerVariable> | undefined): LayerVariable[] {
    if (!list) return [];
    return list.map((v, i) => {
      if (v instanceof LayerVariable) return v;
      if (!(v instanceof tf.Variable)) {
        throw new Error(`${this.describe()}: the cell's weights must be tf.Variable or LayerVariable objects (entry ${i} is not).`);
      }
      let wrapped = this.adopted.get(v);
      if (!wrapped) {
        wrapped = new AdoptedVariable(v, `${this.name}/${v.name}`);
        this.adopted.set(v, wrapped);
      }
      return wrapped;
    });
  }

  override dispose(): void {
    for (const v of this.adopted.values()) v.dispose();
    this.adopted.clear();
    super.dispose();
  }
}

/** A cell may list the weights it got from the factory again in trainableWeights; count each once. */
function unique(list: LayerVariable[]): LayerVariable[] {
  return [...new Set(list)];
}
