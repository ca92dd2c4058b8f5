/**
 * Matching the weight names of a file to a model's weights. Writers differ:
 * - ours and TensorFlow.js: `lstm/kernel`, `bidirectional/forward_lstm/kernel`;
 * - tf.keras 2.2+ and the converter: `lstm/lstm_cell/kernel` (the cell's scope inside the layer's),
 *   sometimes with the `:0` suffix of a TensorFlow variable.
 * A name that does not match as written is retried without `:0` and without the second-to-last scope.
 */

/** `dense/kernel:0` -> `dense/kernel`. */
export function stripVariableSuffix(name: string): string {
  return name.replace(/:\d+$/, '');
}

/** `lstm/lstm_cell/kernel` -> `lstm/kernel` (undefined when there is no scope to drop). */
export function withoutCellScope(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length < 3) return undefined;
  return [...parts.slice(0, -2), parts[parts.length - 1]].join('/');
}

/** The model weight name a file's weight name refers to, or undefined. */
export function matchWeightName(fileName: string, modelNames: ReadonlySet<string>): string | undefined {
  const candidates = [fileName, stripVariableSuffix(fileName)];
  const noCell = withoutCellScope(stripVariableSuffix(fileName));
  if (noCell !== undefined) candidates.push(noCell);
  return candidates.find((c) => modelNames.has(c));
}
