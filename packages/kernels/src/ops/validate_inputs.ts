/**
 * Checks of the tensors and attributes given to recurrentSequence(), before any kernel runs. Every
 * error names the argument, the expected shape and what was received.
 */
import * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, GATES, type CellKind, type KernelActivation } from '../spec';

const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];
const PLACE = 'recurrentSequence';

export interface CheckedDims {
  batch: number;
  time: number;
  features: number;
  units: number;
  gateWidth: number;
}

function describe(t: tf.Tensor): string {
  return `shape [${t.shape.join(', ')}] (${t.dtype})`;
}

/** `expected` is a function when building the text costs more than the check (generation runs the
 * checks once per timestep). */
function requireTensor(name: string, value: unknown, expected: string | (() => string)): tf.Tensor {
  const text = () => (typeof expected === 'string' ? expected : expected());
  if (!(value instanceof tf.Tensor)) {
    throw new Error(`${PLACE}: ${name} must be a tf.Tensor of shape ${text()}, got ${value === null ? 'null' : typeof value}`);
  }
  if (value.isDisposed) throw new Error(`${PLACE}: ${name} (expected shape ${text()}) has already been disposed`);
  return value;
}

/** Checks one tensor against an expected shape; `dtypes` lists what is accepted. */
export function checkTensor(name: string, value: unknown, shape: number[], shapeText: string, dtypes: readonly tf.DataType[] = ['float32']): tf.Tensor {
  const expected = () => `[${shapeText}] = [${shape.join(', ')}]`;
  const t = requireTensor(name, value, expected);
  const sameShape = t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
  if (!sameShape) throw new Error(`${PLACE}: ${name} must have shape ${expected()}, got ${describe(t)}`);
  if (!dtypes.includes(t.dtype)) {
    throw new Error(`${PLACE}: ${name} must have dtype ${dtypes.join(' or ')}, got ${t.dtype}; convert it with tf.cast(${name}, 'float32')`);
  }
  return t;
}

export function checkCell(cell: unknown): CellKind {
  if (typeof cell !== 'string' || !(CELLS as readonly string[]).includes(cell)) {
    throw new Error(`${PLACE}: attrs.cell must be one of ${CELLS.join(', ')}, got ${JSON.stringify(cell)}`);
  }
  return cell as CellKind;
}

export function checkActivation(name: string, value: unknown, fallback: KernelActivation): KernelActivation {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new Error(`${PLACE}: attrs.${name} must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as KernelActivation;
}

export function checkFlag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new Error(`${PLACE}: attrs.${name} must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}

/** Reads the sizes from x and the recurrent kernel and checks both weight matrices against them. */
export function checkCoreShapes(cell: CellKind, x: unknown, kernel: unknown, recurrentKernel: unknown): CheckedDims {
  const xt = requireTensor('x', x, '[batch, time, features]');
  if (xt.rank !== 3) throw new Error(`${PLACE}: x must have shape [batch, time, features], got ${describe(xt)}`);
  const [batch, time, features] = xt.shape;
  if (batch < 1 || time < 1 || features < 1) {
    throw new Error(`${PLACE}: x must have at least one sample, one timestep and one feature, got ${describe(xt)}`);
  }
  checkTensor('x', xt, [batch, time, features], 'batch, time, features');
  const G = GATES[cell];
  const rt = requireTensor('recurrentKernel', recurrentKernel, `[units, ${G}*units]`);
  if (rt.rank !== 2 || rt.shape[0] < 1) {
    throw new Error(`${PLACE}: recurrentKernel must have shape [units, ${G}*units] for ${cell}, got ${describe(rt)}`);
  }
  const units = rt.shape[0];
  checkTensor('recurrentKernel', rt, [units, G * units], `units, ${G}*units`);
  checkTensor('kernel', kernel, [features, G * units], `features, ${G}*units`);
  return { batch, time, features, units, gateWidth: G * units };
}
