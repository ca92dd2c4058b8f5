import { isShapeList, type Shape } from './types';

/**
 * When a layer that accepts an initial state (RNN, Bidirectional) is called in a graph with
 * `initialState`, the states become extra inputs of the node, `[x, ...states]` (the Keras 2 / tfjs
 * convention, also what Keras 2 JSON configs record). When the graph is evaluated, or rebuilt from
 * a config, such a layer receives that list; this splits it back. Works on tensors, symbolic tensors,
 * shapes and masks alike.
 */
export function splitInitialState<T>(inputs: T | T[], initialState?: T[] | null): { input: T; initialState: T[] | null } {
  if (Array.isArray(inputs)) {
    if (inputs.length === 0) throw new Error('splitInitialState: empty input list.');
    const [first, ...rest] = inputs;
    if (rest.length > 0) {
      if (initialState && initialState.length > 0) {
        throw new Error('Initial states were given both as extra inputs and as initialState; give them one way.');
      }
      return { input: first, initialState: rest };
    }
    return { input: first, initialState: initialState ?? null };
  }
  return { input: inputs, initialState: initialState ?? null };
}

/** The shape version of splitInitialState: `[xShape, ...stateShapes]` or a single shape. */
export function splitInitialStateShapes(inputShape: Shape | Shape[]): { input: Shape; initialState: Shape[] | null } {
  if (isShapeList(inputShape)) {
    const [first, ...rest] = inputShape;
    return { input: first, initialState: rest.length > 0 ? rest : null };
  }
  return { input: inputShape, initialState: null };
}
