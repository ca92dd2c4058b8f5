/**
 * Typed helpers for building functional graphs: `Layer.apply` on symbolic tensors returns one tensor
 * or a list depending on the layer; these say which.
 */
import type { Layer, SymbolicCallKwargs, SymbolicTensor } from '@recurrent/core';

/** Applies a layer that has one output. */
export function call1(layer: Layer, x: SymbolicTensor | SymbolicTensor[], kwargs: SymbolicCallKwargs = {}): SymbolicTensor {
  const out = layer.apply(x as SymbolicTensor, kwargs);
  if (Array.isArray(out)) throw new Error(`${layer.name} returned ${out.length} outputs where one was expected`);
  return out;
}

/** Applies a layer that has several outputs (e.g. a recurrent layer with returnState). */
export function callN(layer: Layer, x: SymbolicTensor | SymbolicTensor[], kwargs: SymbolicCallKwargs = {}): SymbolicTensor[] {
  const out = layer.apply(x as SymbolicTensor, kwargs);
  if (!Array.isArray(out)) throw new Error(`${layer.name} returned one output where several were expected`);
  return out;
}

/** Symbolic initial states, for `{ initialState: states(h, c) }` while building a graph. */
export function states(...tensors: SymbolicTensor[]): SymbolicTensor[] {
  return tensors;
}
