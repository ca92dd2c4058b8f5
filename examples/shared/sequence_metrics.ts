/** Metrics the examples compute from predictions themselves, so the numbers are easy to audit. */

/** Levenshtein distance between two token sequences (insert, delete, substitute: cost 1 each). */
export function tokenEditDistance<T>(a: readonly T[], b: readonly T[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length];
}

export interface BinaryScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/** Accuracy, precision and recall of the positive class, from probabilities and 0/1 labels. */
export function binaryScores(probabilities: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): BinaryScores {
  if (probabilities.length !== labels.length) throw new Error(`binaryScores: ${probabilities.length} predictions for ${labels.length} labels`);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i] > threshold;
    const actual = labels[i] === 1;
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    accuracy: (tp + tn) / Math.max(1, labels.length),
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  };
}

/** Index of the largest of `size` values starting at `offset`. */
export function argmaxAt(values: ArrayLike<number>, offset: number, size: number): number {
  let best = 0;
  for (let k = 1; k < size; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}

/** Draws an index from `size` probabilities at `offset`, sharpened or flattened by a temperature (0: argmax). */
export function sampleAt(probabilities: ArrayLike<number>, offset: number, size: number, temperature: number, uniform: number): number {
  if (temperature === 0) return argmaxAt(probabilities, offset, size);
  const weights = new Float64Array(size);
  let total = 0;
  for (let k = 0; k < size; k++) {
    weights[k] = Math.exp(Math.log(Math.max(probabilities[offset + k], 1e-12)) / temperature);
    total += weights[k];
  }
  let r = uniform * total;
  for (let k = 0; k < size; k++) {
    r -= weights[k];
    if (r <= 0) return k;
  }
  return size - 1;
}
