/** Observers of every fused backward pass (for example, to plot vanishing or exploding gradients). */
import type { CellKind } from '../spec';

export interface BackwardEvent {
  tag: string;
  cell: CellKind;
  /** ||dLoss/dh_s|| over the batch at each processing step s. */
  dhNorms: Float32Array;
}

export type BackwardListener = (event: BackwardEvent) => void;

const listeners = new Set<BackwardListener>();

/** Adds a listener; returns the function that removes it. */
export function addBackwardListener(fn: BackwardListener): () => void {
  if (typeof fn !== 'function') throw new Error('addBackwardListener: expected a function (event) => void');
  // A wrapper, so adding the same function twice gives two independent subscriptions.
  const entry: BackwardListener = (e) => fn(e);
  listeners.add(entry);
  return () => {
    listeners.delete(entry);
  };
}

export function notifyBackwardListeners(event: BackwardEvent): void {
  for (const fn of listeners) fn(event);
}

export function hasBackwardListeners(): boolean {
  return listeners.size > 0;
}
